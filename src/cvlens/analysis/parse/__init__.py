"""Document → JSON Resume. Sections come from heading aliases plus layout cues; every
section reader is tolerant: any text yields a (possibly empty) Resume, never an error."""

from __future__ import annotations

from cvlens.analysis.document import Document, Line
from cvlens.analysis.parse.basics import parse_basics
from cvlens.analysis.parse.headings import Section, split_sections
from cvlens.analysis.parse.margins import read_margins_in_rows
from cvlens.analysis.parse.sections import (
    parse_awards,
    parse_certificates,
    parse_education,
    parse_projects,
    parse_publications,
    parse_volunteer,
    parse_work,
)
from cvlens.analysis.parse.skills import is_level, parse_interests, parse_languages, parse_skills
from cvlens.analysis.resume import Reference, Resume

__all__ = ["parse_resume"]

_CONTACT_SECTIONS = {"contact", "profiles"}


def _lines_of(sections: list[Section], *keys: str) -> list[Line]:
    return [line for s in sections if s.key in keys for line in s.lines]


def _skill_blocks(lines: list[Line], by_size: bool = True) -> tuple[list[Line], list[Line]]:
    """Split un-headed skill groups ("Frontend" / "Advanced" / keywords) off other lines."""
    for index in range(1, len(lines)):
        line, previous = lines[index], lines[index - 1]
        group_over_keywords = (
            by_size
            and previous.font_size > line.font_size + 0.9
            and len(previous.text.split()) <= 4
            and len(line.text.split()) <= 6
            and index + 1 < len(lines)
            and abs(lines[index + 1].font_size - line.font_size) < 0.3
        )
        if is_level(line.text) or group_over_keywords:
            start = index - 1
            name = lines[start]
            while (  # a group name may wrap over several lines of one style
                start > 0
                and abs(lines[start - 1].font_size - name.font_size) < 0.3
                and lines[start - 1].bold == name.bold
                and len(lines[start - 1].text.split()) <= 3
                and 0 <= name.y0 - lines[start - 1].y1 < name.font_size
            ):
                start -= 1
            block = lines[start:]
            prose = [ln for ln in block if len(ln.text.split()) > 8]
            block = [ln for ln in block if len(ln.text.split()) <= 8]
            return lines[:start] + prose, _join_wrapped_names(block)
    return lines, []


def _join_wrapped_names(lines: list[Line]) -> list[Line]:
    """Join a skill-group name that wrapped ("Programming" + "languages") into one line."""
    joined: list[Line] = []
    for index, line in enumerate(lines):
        nxt = lines[index + 1] if index + 1 < len(lines) else None
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and nxt is not None
            and is_level(nxt.text)
            and line.text[:1].islower()
            and abs(previous.font_size - line.font_size) < 0.3
        ):
            joined[-1] = previous.model_copy(update={"text": f"{previous.text} {line.text}"})
        else:
            joined.append(line)
    return joined


def parse_resume(document: Document) -> Resume:
    lines = read_margins_in_rows([ln for ln in document.lines if ln.text.strip()])
    header, sections = split_sections(lines)
    header, header_skills = _skill_blocks(header, by_size=False)  # name over label is not a group
    found_skills: list[Line] = []
    for section in sections:
        if section.key in ("summary", *_CONTACT_SECTIONS):
            section.lines, block = _skill_blocks(section.lines)
            found_skills.extend(block)
    contact = _lines_of(sections, *_CONTACT_SECTIONS)
    summary_text = _lines_of(sections, "summary")
    contact_like = [ln for ln in summary_text if len(ln.text.split()) <= 6]
    prose = [ln for ln in summary_text if len(ln.text.split()) > 6]
    resume = Resume(
        basics=parse_basics(
            header,
            contact + contact_like,
            prose,
            lines,
            document.links,
            _lines_of(sections, "profiles"),
        )
    )
    resume.work = parse_work(_lines_of(sections, "work"))
    resume.volunteer = parse_volunteer(_lines_of(sections, "volunteer"))
    resume.education = parse_education(_lines_of(sections, "education"))
    resume.skills = parse_skills(header_skills + found_skills + _lines_of(sections, "skills"))
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
