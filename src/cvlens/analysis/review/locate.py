"""Tie résumé content back to the exact document line it came from, and to its section.

Section headings are recognised from a short list of the standard names that applicant
tracking systems look for (the rubric rewards them), plus layout cues for the non-standard
ones: a DOCX heading style, all-caps, or a font clearly larger than the body text.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass

from cvlens.analysis.document import Document, Line

STANDARD_HEADINGS: dict[str, str] = {
    "summary": "basics", "profile": "basics", "professional summary": "basics", "about": "basics",
    "about me": "basics", "objective": "basics", "career objective": "basics", "contact": "basics",
    "contact information": "basics", "personal information": "basics",
    "experience": "work", "work experience": "work", "professional experience": "work",
    "employment": "work", "employment history": "work", "work history": "work",
    "career history": "work", "relevant experience": "work",
    "education": "education", "academic background": "education",
    "education and training": "education", "qualifications": "education",
    "skills": "skills", "technical skills": "skills", "core skills": "skills",
    "key skills": "skills", "core competencies": "skills", "competencies": "skills",
    "technologies": "skills", "tools": "skills", "expertise": "skills",
    "projects": "projects", "personal projects": "projects", "selected projects": "projects",
    "side projects": "projects", "open source": "projects",
    "certifications": "certificates", "certificates": "certificates", "licenses": "certificates",
    "licenses and certifications": "certificates", "awards": "awards", "honors": "awards",
    "honours": "awards", "honors and awards": "awards", "achievements": "awards",
    "publications": "publications", "languages": "languages", "interests": "interests",
    "hobbies": "interests", "volunteer": "volunteer", "volunteering": "volunteer",
    "volunteer experience": "volunteer", "references": "references",
}  # fmt: skip
# One of these words in a short heading names its section ("Open Source Projects").
SECTION_WORDS: dict[str, str] = {
    "experience": "work", "employment": "work", "work": "work", "education": "education",
    "skills": "skills", "projects": "projects", "certifications": "certificates",
    "awards": "awards", "publications": "publications", "languages": "languages",
    "interests": "interests", "volunteer": "volunteer", "volunteering": "volunteer",
    "summary": "basics", "profile": "basics", "profiles": "basics", "references": "references",
}  # fmt: skip
_MAX_SECTION_WORD_HEADING = 3
_MAX_HEADING_WORDS = 5
_MAX_HEADING_CHARS = 60
_GAP_SHARE = 0.75  # a heading has at least this share of the space above standard headings
_NOT_LETTERS = re.compile(r"[^a-z ]")
_DATE_HINT = re.compile(r"\d{4}|present", re.IGNORECASE)
_PUNCTUATION = re.compile(r"[.,;/@]")


def _look(line: Line) -> tuple[float, bool, bool]:
    """How a line is set: font size (to half a point), bold, all capitals."""
    return (round(line.font_size * 2) / 2, line.bold, line.text.isupper())


def _gap_above(lines: list[Line], index: int) -> float:
    """Blank space above a line on its page (0 when unknown: first line, no positions)."""
    if index == 0:
        return 0.0
    above, line = lines[index - 1], lines[index]
    if line.page == above.page and line.y0 > above.y1 > 0:
        return line.y0 - above.y1
    return 0.0


def _standard_looks(lines: list[Line], standard: list[int]) -> set[tuple[float, bool, bool]]:
    """The looks of the standard headings, but for the look most body words are set in."""
    if not standard:
        return set()
    # words per exact (size, bold, capitals), in order of first use; then per rounded look
    exact: dict[tuple[float, bool, bool], int] = {}
    for line in lines:
        text = line.text
        look = (line.font_size, line.bold, text.isupper())
        exact[look] = exact.get(look, 0) + text.count(" ") + 1
    body_look: dict[tuple[float, bool, bool], int] = {}
    for (size, bold, upper), words in exact.items():
        look = (round(size * 2) / 2, bold, upper)
        body_look[look] = body_look.get(look, 0) + words
    body = max(body_look.items(), key=lambda item: item[1])[0]  # the first of equals
    return {_look(lines[i]) for i in standard} - {body}


def heading_key(text: str) -> str:
    return " ".join(_NOT_LETTERS.sub(" ", text.lower().replace("&", " and ")).split())


def standard_section(text: str) -> str | None:
    """The JSON Resume section a standard heading names, or None for other text."""
    return _section_of_key(heading_key(text))


def _section_of_key(key: str) -> str | None:
    if key in STANDARD_HEADINGS:
        return STANDARD_HEADINGS[key]
    words = key.split()
    if len(words) <= _MAX_SECTION_WORD_HEADING:
        return next((SECTION_WORDS[w] for w in words if w in SECTION_WORDS), None)
    return None


def _candidate(line: Line, index: int, keys: dict[int, str], known_texts: set[str]) -> str | None:
    """Classify a line: a "standard" heading, "maybe" one (short, unknown text) or None.

    The `heading_key` of a line that gets past the length checks goes into `keys`.
    """
    if len(line.text) > _MAX_HEADING_CHARS or line.bullet:
        return None
    text = line.text.strip().rstrip(":")
    if not text or text.count(" ") >= _MAX_HEADING_WORDS or text[0].islower():
        return None  # long, or a wrapped continuation line
    key = keys[index] = heading_key(text)
    if not key or len(text.split()) > _MAX_HEADING_WORDS:
        return None
    if _section_of_key(key) is not None:
        return "standard"
    if _DATE_HINT.search(text) or key in known_texts or _PUNCTUATION.search(text):
        return None
    if line.text.rstrip().endswith((":", "&")):
        return None  # a label ("Tools:") or a wrapped line
    return "maybe"


@dataclass(frozen=True)
class LocatedLine:
    index: int
    line: Line
    section: str


class Locator:
    """Sections of a document's lines, and the line on which a piece of text appears.

    A line that is not a standard heading counts as a heading only when it looks exactly like
    the standard headings of the same document (font size, bold, capitals), or carries a DOCX
    heading style — so bold job titles and project names are not mistaken for headings.

    `sections[i]` is the section of `document.lines[i]`; `headings` are the heading lines.
    """

    def __init__(self, document: Document, known_texts: set[str]) -> None:
        self.document = document
        lines = document.lines
        keys: dict[int, str] = {}  # the heading key of each candidate line
        standard: list[int] = []
        maybe: list[int] = []
        for index, line in enumerate(lines):
            kind = _candidate(line, index, keys, known_texts)
            if kind == "standard":
                standard.append(index)
            elif kind == "maybe":
                maybe.append(index)
        standard_looks = _standard_looks(lines, standard)
        standard_gaps = [gap for gap in (_gap_above(lines, i) for i in standard) if gap > 0]
        min_gap = _GAP_SHARE * statistics.median(standard_gaps) if standard_gaps else 0.0
        repeated = Counter(keys[i] for i in [*standard, *maybe])
        heading_at: dict[int, str] = {}
        for index in standard:
            heading_at[index] = _section_of_key(keys[index]) or "other"
        for index in maybe:
            line = lines[index]
            if repeated[keys[index]] == 1 and (  # "Highlights" under every role
                (line.style or "").lower().startswith("heading")
                or (_look(line) in standard_looks and _gap_above(lines, index) >= min_gap)
            ):
                heading_at[index] = _section_of_key(keys[index]) or "other"
        self.headings = [LocatedLine(i, lines[i], heading_at[i]) for i in sorted(heading_at)]
        sections = ["basics"] * len(lines)
        stop = len(lines)
        for heading in reversed(self.headings):  # a heading's section runs to the next one
            sections[heading.index : stop] = [heading.section] * (stop - heading.index)
            stop = heading.index
        self.sections = sections
        self.folded = [line.text.lower() for line in lines]  # each line in lower case
        # A long line without its list glyph, to find it inside a longer text (else None).
        self._unbulleted = [f.lstrip("•*-–· ") if len(f) > 15 else None for f in self.folded]
        self._found: dict[str, int | None] = {}  # the line of each folded text asked about

    def find(self, text: str, default_section: str) -> tuple[str, str]:
        """(section, exact document line) where `text` starts; falls back to `text` itself."""
        full = " ".join(text.lower().split())
        if full not in self._found:
            self._found[full] = self._line_of(full)
        index = self._found[full]
        if index is None:
            return default_section, text
        return self.sections[index], self.document.lines[index].text

    def _line_of(self, full: str) -> int | None:
        """The first line that holds the start of `full` or lies whole (without its glyph)
        inside it."""
        needle = full[:60]
        if needle:
            for index, (folded, unbulleted) in enumerate(
                zip(self.folded, self._unbulleted, strict=True)
            ):
                if needle in folded or (unbulleted is not None and unbulleted in full):
                    return index
        return None
