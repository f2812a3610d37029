"""The whole analysis in one call: bytes → Document → Resume → Review (+ Match).

`AnalysisResult.to_json()` is the contract of `cvlens analyze --format json` and of the
API's analysis result; change its top-level shape only on purpose (see DESIGN.md §8).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cvlens.analysis.document import Document
from cvlens.analysis.extract import extract_document
from cvlens.analysis.match import Match, match_job
from cvlens.analysis.parse import parse_resume
from cvlens.analysis.resume import Resume
from cvlens.analysis.review import Review, review_resume
from cvlens.analysis.review.context import locate

StageCallback = Callable[[str, int], None]
"""`on_stage(stage, progress)`: called as each stage starts (extract 0, parse 30, review 60,
match 80) and once more with the last stage and 100 when the analysis is done."""

STAGE_PROGRESS = {"extract": 0, "parse": 30, "review": 60, "match": 80}


@dataclass(frozen=True)
class AnalysisResult:
    document: Document
    resume: Resume
    review: Review
    match: Match | None

    def to_json(self) -> dict[str, Any]:
        review = self.review.to_json()
        return {
            "resume": self.resume.to_json_resume(),
            "review": {
                "score": review["score"],
                "dimensions": review["dimensions"],
                "findings": review["findings"],
            },
            "match": self.match.to_json() if self.match is not None else None,
            "document": self.document.summary(),
        }


def _notify(on_stage: StageCallback | None, stage: str) -> None:
    if on_stage is not None:
        on_stage(stage, STAGE_PROGRESS[stage])


def analyze_document(
    document: Document,
    job: str | dict[str, Any] | None = None,
    *,
    on_stage: StageCallback | None = None,
) -> AnalysisResult:
    """Parse, review and (with a job) match an already extracted document."""
    _notify(on_stage, "parse")
    resume = parse_resume(document)
    _notify(on_stage, "review")
    locator = locate(resume, document)  # review and match both read it
    review = review_resume(resume, document, locator)
    match = None
    if job is not None:
        _notify(on_stage, "match")
        match = match_job(resume, document, job, locator=locator)
    if on_stage is not None:
        on_stage("match" if job is not None else "review", 100)
    return AnalysisResult(document=document, resume=resume, review=review, match=match)


def analyze_bytes(
    data: bytes,
    filename: str | None,
    job: str | dict[str, Any] | None = None,
    *,
    max_pages: int = 20,
    on_stage: StageCallback | None = None,
) -> AnalysisResult:
    """Analyse a file's bytes; bad input raises a typed `AnalysisError` before any result."""
    _notify(on_stage, "extract")
    document = extract_document(data, filename, max_pages=max_pages)
    return analyze_document(document, job, on_stage=on_stage)


_WARM_UP_TEXT = b"""Dana Example
dana@example.org | +1 415 555 0134 | Oakland, CA
EXPERIENCE
Engineer at Fabrikam Inc.
Jan 2020 - Present
* Cut build time by 40% with Python and Docker
EDUCATION
University of Somewhere
BSc Computer Science, 2015 - 2019
SKILLS
Python, Docker, PostgreSQL
"""


def warm_up() -> None:
    """Load the shipped data (taxonomy, lexicons, compiled patterns) and fill every lazy
    cache with one small analysis, so a long-lived worker's first real job does not pay
    for it."""
    analyze_bytes(_WARM_UP_TEXT, "warm-up.txt", "Python and Kubernetes engineer, 3+ years")
