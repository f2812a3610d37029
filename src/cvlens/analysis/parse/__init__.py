"""Document → JSON Resume. Sections come from heading aliases plus layout cues; every
section reader is tolerant: any text yields a (possibly empty) Resume, never an error."""

from __future__ import annotations

from cvlens.analysis.document import Document, Line
from cvlens.analysis.parse.basics import parse_basics
from cvlens.analysis.parse.headings import Section, split_sections
from cvlens.analysis.parse.sections import (
    parse_awards,
    parse_certificates,
    parse_education,
    parse_projects,
    parse_publications,
    parse_volunteer,
    parse_work,
)
from cvlens.analysis.parse.skills import LEVELS, parse_interests, parse_languages, parse_skills
from cvlens.analysis.resume import Reference, Resume

__all__ = ["parse_resume"]

_CONTACT_SECTIONS = {"contact", "profiles"}


def _lines_of(sections: list[Section], *keys: str) -> list[Line]:
    return [line for s in sections if s.key in keys for line in s.lines]


def _skill_blocks(lines: list[Line]) -> tuple[list[Line], list[Line]]:
    """Split un-headed skill groups ("Frontend" / "Advanced" / keywords) off other lines."""
    for index in range(1, len(lines)):
        if lines[index].text.strip().casefold() in LEVELS and index >= 1:
            return lines[: index - 1], lines[index - 1 :]
    return lines, []


def parse_resume(document: Document) -> Resume:
    lines = [ln for ln in document.lines if ln.text.strip()]
    header, sections = split_sections(lines)
    header, header_skills = _skill_blocks(header)
    contact = _lines_of(sections, *_CONTACT_SECTIONS)
    summary_lines = _lines_of(sections, "summary")
    summary_text, summary_skills = _skill_blocks(summary_lines)
    contact_like = [ln for ln in summary_text if len(ln.text.split()) <= 6]
    prose = [ln for ln in summary_text if len(ln.text.split()) > 6]
    resume = Resume(
        basics=parse_basics(header, contact + contact_like, prose, lines, document.links)
    )
    resume.work = parse_work(_lines_of(sections, "work"))
    resume.volunteer = parse_volunteer(_lines_of(sections, "volunteer"))
    resume.education = parse_education(_lines_of(sections, "education"))
    resume.skills = parse_skills(header_skills + summary_skills + _lines_of(sections, "skills"))
    resume.projects = parse_projects(_lines_of(sections, "projects"))
    resume.awards = parse_awards(_lines_of(sections, "awards"))
    resume.certificates = parse_certificates(_lines_of(sections, "certificates"))
    resume.publications = parse_publications(_lines_of(sections, "publications"))
    resume.languages = parse_languages(_lines_of(sections, "languages"))
    resume.interests = parse_interests(_lines_of(sections, "interests"))
    resume.references = [
        Reference(name=ln.text.strip())
        for ln in _lines_of(sections, "references")[:20]
        if len(ln.text.split()) <= 6
    ]
    return resume
