"""The rubric: five dimensions, each the weighted mean of its checks, scored 0–100.

Overall score = Σ dimension score × dimension weight (weights below sum to 1):

| dimension   | weight | checks (weight inside the dimension)                                   |
|-------------|--------|------------------------------------------------------------------------|
| structure   | 0.25   | sections 0.5, contact 0.4, summary 0.1                                 |
| impact      | 0.30   | quantified bullets 0.4, action verbs 0.3, filler 0.2, first person 0.1 |
| ats         | 0.20   | text layer 0.3, layout 0.25, headings 0.25, length 0.2                 |
| readability | 0.10   | bullet length 0.6, sentence length 0.4                                 |
| consistency | 0.15   | date format 0.3, order 0.3, gaps 0.3, date ranges 0.1                  |

Every check is deterministic; docs/review-rubric.md explains each one and its thresholds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from cvlens.analysis.document import Document
from cvlens.analysis.resume import Resume
from cvlens.analysis.review import ats, consistency, impact, readability, structure
from cvlens.analysis.review.context import CheckResult, ReviewContext
from cvlens.analysis.review.locate import Locator
from cvlens.analysis.review.models import DimensionName, DimensionScore, Finding, Review

Check = Callable[[ReviewContext], CheckResult]
DIMENSIONS: list[tuple[DimensionName, float, Sequence[Check]]] = [
    ("structure", 0.25, structure.CHECKS),
    ("impact", 0.30, impact.CHECKS),
    ("ats", 0.20, ats.CHECKS),
    ("readability", 0.10, readability.CHECKS),
    ("consistency", 0.15, consistency.CHECKS),
]
_SEVERITY_ORDER = {"critical": 0, "warning": 1, "info": 2}


def review_resume(resume: Resume, document: Document, locator: Locator | None = None) -> Review:
    """Score a parsed résumé against the rubric; findings come most severe first.
    `locator`: the document's Locator when the caller has one (see `context.locate`)."""
    ctx = ReviewContext(resume, document, locator)
    dimensions: list[DimensionScore] = []
    findings: list[Finding] = []
    overall = 0.0
    for name, weight, checks in DIMENSIONS:
        results = [check(ctx) for check in checks]
        total_weight = sum(result.weight for result in results)
        score = sum(result.weight * result.score for result in results) / total_weight
        dimensions.append(DimensionScore(name=name, score=round(100 * score), weight=weight))
        overall += weight * score
        findings.extend(finding for result in results for finding in result.findings)
    findings.sort(key=lambda finding: _SEVERITY_ORDER[finding.severity])
    return Review(score=round(100 * overall), dimensions=dimensions, findings=findings)
