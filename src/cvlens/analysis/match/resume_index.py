"""Where each skill appears on a résumé: the exact document line and its section."""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass

from cvlens.analysis.document import Document
from cvlens.analysis.match.taxonomy import Taxonomy
from cvlens.analysis.resume import Resume
from cvlens.analysis.review.context import entry_names
from cvlens.analysis.review.locate import locator_for
from cvlens.analysis.review.models import Evidence


@dataclass(frozen=True)
class ResumeSkills:
    evidence: dict[str, Evidence]
    text: str

    def __contains__(self, skill: str) -> bool:
        return skill in self.evidence


def index_resume(resume: Resume, document: Document, taxonomy: Taxonomy) -> ResumeSkills:
    evidence: dict[str, Evidence] = {}
    located = locator_for(document, entry_names(resume)).lines
    starts = list(itertools.accumulate((len(item.line.text) + 1 for item in located), initial=0))
    for hit in taxonomy.find("\n".join(item.line.text for item in located)):
        if hit.skill not in evidence:
            item = located[bisect.bisect_right(starts, hit.start) - 1]
            evidence[hit.skill] = Evidence(section=item.section, line=item.line.text)
    document_text = document.text
    folded_document = " ".join(document_text.lower().split())
    structured = _structured_texts(resume)
    for section, text in structured:
        if " ".join(text.lower().split()) in folded_document:
            continue  # already scanned, with its exact line
        for hit in taxonomy.find(text):
            evidence.setdefault(hit.skill, Evidence(section=section, line=text))
    texts = [document_text, *(text for _, text in structured)]
    return ResumeSkills(evidence, "\n".join(texts))


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
