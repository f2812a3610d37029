"""Everything the rubric checks read, computed once per review."""

from __future__ import annotations

from dataclasses import dataclass, field

from cvlens.analysis.document import Document
from cvlens.analysis.resume import Resume
from cvlens.analysis.review.locate import Locator, heading_key
from cvlens.analysis.review.models import DimensionName, Evidence, Finding, Severity

MAX_EXAMPLES = 5
"""Findings listed per check at most, so one habit does not flood the report."""


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
    """`bullets`: every highlight; `achievements`: those long enough to judge for impact."""

    def __init__(self, resume: Resume, document: Document, locator: Locator | None = None) -> None:
        self.resume = resume
        self.document = document
        self.locator = locator or locate(resume, document)
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
        self.achievements = [bullet for bullet in self.bullets if _is_achievement(bullet.text)]

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
        line: str | None = None,
    ) -> Finding:
        """A finding whose evidence is `line` as given, or the document line holding `text`."""
        if line is not None:
            evidence = Evidence(section=section, line=line)
        elif text:
            evidence = self.evidence(text, section)
        else:
            evidence = Evidence(section=section)
        return Finding(
            id=check_id,
            dimension=dimension,
            severity=severity,
            message=message,
            evidence=evidence,
            fix=fix,
        )


_MIN_ACHIEVEMENT_WORDS = 3


def _is_achievement(text: str) -> bool:
    """A bullet that states something done, not a lone keyword ("Java") or a link."""
    words = text.split()
    return len(words) >= _MIN_ACHIEVEMENT_WORDS and not text.strip().startswith("http")


def locate(resume: Resume, document: Document) -> Locator:
    """Where the résumé's texts stand in the document. Review and match both need it:
    `analyze_document` builds it once and hands it to both."""
    return Locator(document, set(entry_names(resume)))


def entry_names(resume: Resume) -> frozenset[str]:
    """Names of entries (employers, roles, schools, projects, skill groups, languages).

    Such a line is content, never a section heading, however it is styled.
    """
    texts: list[str | None] = [resume.basics.name, resume.basics.label]
    texts += [text for entry in resume.work for text in (entry.name, entry.position)]
    texts += [text for entry in resume.volunteer for text in (entry.organization, entry.position)]
    texts += [text for entry in resume.education for text in (entry.institution, entry.area)]
    texts += [entry.name for entry in resume.projects]
    texts += [text for skill in resume.skills for text in (skill.name, *skill.keywords)]
    texts += [entry.language for entry in resume.languages]
    texts += [entry.title for entry in resume.awards]
    texts += [entry.name for entry in resume.certificates]
    texts += [entry.name for entry in resume.interests]
    return frozenset(filter(None, (heading_key(text) for text in texts if text)))
