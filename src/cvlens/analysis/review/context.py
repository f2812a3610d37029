"""Everything the rubric checks read, computed once per review."""

from __future__ import annotations

from dataclasses import dataclass, field

from cvlens.analysis.document import Document
from cvlens.analysis.resume import Resume
from cvlens.analysis.review.locate import Locator
from cvlens.analysis.review.models import DimensionName, Evidence, Finding, Severity


@dataclass(frozen=True)
class Bullet:
    """An achievement line: a highlight of a work, project or volunteer entry."""

    section: str
    text: str


@dataclass
class CheckResult:
    """One rubric check: its share of the dimension (`weight`), how well it passed (0–1)."""

    id: str
    weight: float
    score: float
    findings: list[Finding] = field(default_factory=list)


class ReviewContext:
    def __init__(self, resume: Resume, document: Document) -> None:
        self.resume = resume
        self.document = document
        known = {
            " ".join((text or "").lower().split())
            for entry in resume.work
            for text in (entry.name, entry.position)
        } | {" ".join((e.institution or "").lower().split()) for e in resume.education}
        known.add(" ".join((resume.basics.name or "").lower().split()))
        self.locator = Locator(document, known - {""})
        self.bullets = [
            Bullet(section, text)
            for section, entries in (
                ("work", resume.work),
                ("projects", resume.projects),
                ("volunteer", resume.volunteer),
            )
            for entry in entries
            for text in entry.highlights
            if text.strip()
        ]

    def evidence(self, text: str, section: str) -> Evidence:
        _, line = self.locator.find(text, section)
        return Evidence(section=section, line=line)

    def finding(
        self,
        dimension: DimensionName,
        check_id: str,
        severity: Severity,
        message: str,
        fix: str,
        *,
        section: str,
        text: str | None = None,
    ) -> Finding:
        evidence = self.evidence(text, section) if text else Evidence(section=section)
        return Finding(
            id=check_id,
            dimension=dimension,
            severity=severity,
            message=message,
            evidence=evidence,
            fix=fix,
        )
