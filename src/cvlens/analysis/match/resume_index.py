"""Where each skill appears on a résumé: the exact document line and its section."""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass

from cvlens.analysis.document import Document
from cvlens.analysis.match.taxonomy import Taxonomy
from cvlens.analysis.resume import Resume
from cvlens.analysis.review.context import locate
from cvlens.analysis.review.locate import Locator
from cvlens.analysis.review.models import Evidence


@dataclass(frozen=True)
class ResumeSkills:
    evidence: dict[str, Evidence]
    text: str

    def __contains__(self, skill: str) -> bool:
        return skill in self.evidence


def index_resume(
    resume: Resume, document: Document, taxonomy: Taxonomy, locator: Locator | None = None
) -> ResumeSkills:
    evidence: dict[str, Evidence] = {}
    locator = locator or locate(resume, document)
    sections = locator.sections
    texts = [line.text for line in document.lines]
    document_text = "\n".join(texts)
    starts: list[int] | None = None
    for hit in taxonomy.find(document_text):
        if hit.skill not in evidence:
            if starts is None:
                starts = list(itertools.accumulate((len(t) + 1 for t in texts), initial=0))
            index = bisect.bisect_right(starts, hit.start) - 1
            evidence[hit.skill] = Evidence(section=sections[index], line=texts[index])
    # A text that is one whole line, but for case, is in the folded document too.
    lowered_lines = set(locator.folded)
    folded_document: str | None = None
    structured = _structured_texts(resume)
    for section, text in structured:
        if text.lower() in lowered_lines:
            continue  # already scanned, with its exact line
        if folded_document is None:
            folded_document = " ".join(document_text.lower().split())
        if " ".join(text.lower().split()) in folded_document:
            continue
        for hit in taxonomy.find(text):
            evidence.setdefault(hit.skill, Evidence(section=section, line=text))
    return ResumeSkills(evidence, "\n".join([document_text, *(t for _, t in structured)]))


def _structured_texts(resume: Resume) -> list[tuple[str, str]]:
    """Résumé fields as (section, text), for résumés whose document lacks the line."""
    out: list[tuple[str, str]] = []
    for skill in resume.skills:
        out += [("skills", text) for text in [skill.name or "", *skill.keywords] if text]
    for work in resume.work:
        out += [("work", t) for t in [work.position, work.summary, *work.highlights] if t]
    for project in resume.projects:
        texts = [project.name, project.description, *project.highlights, *project.keywords]
        out += [("projects", t) for t in texts if t]
    if resume.basics.summary:
        out.append(("basics", resume.basics.summary))
    if resume.basics.label:
        out.append(("basics", resume.basics.label))
    for education in resume.education:
        out += [("education", t) for t in [education.area, *education.courses] if t]
    for certificate in resume.certificates:
        out += [("certificates", certificate.name)] if certificate.name else []
    return out
