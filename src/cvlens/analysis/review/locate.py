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


def _gaps_above(lines: list[Line]) -> list[float]:
    """Blank space above each line on its page (0 when unknown: first line, no positions)."""
    gaps = [0.0] * len(lines)
    for i in range(1, len(lines)):
        above, line = lines[i - 1], lines[i]
        if line.page == above.page and line.y0 > above.y1 > 0:
            gaps[i] = line.y0 - above.y1
    return gaps


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
    """

    def __init__(self, document: Document, known_texts: set[str]) -> None:
        self.document = document
        lines = document.lines
        keys: dict[int, str] = {}  # the heading key of each candidate line
        candidates = [self._candidate(line, i, keys, known_texts) for i, line in enumerate(lines)]
        gaps = _gaps_above(lines)
        standard = [i for i, kind in enumerate(candidates) if kind == "standard"]
        body_look = Counter[tuple[float, bool, bool]]()
        for line in lines:  # the body is the look most of the words are set in
            body_look[_look(line)] += line.text.count(" ") + 1
        standard_looks = {_look(lines[i]) for i in standard} - {
            look for look, _ in body_look.most_common(1)
        }
        standard_gaps = [gaps[i] for i in standard if gaps[i] > 0]
        min_gap = _GAP_SHARE * statistics.median(standard_gaps) if standard_gaps else 0.0
        repeated = Counter(keys[i] for i, kind in enumerate(candidates) if kind)
        self.headings: list[LocatedLine] = []
        self.lines: list[LocatedLine] = []
        section = "basics"
        for index, (line, kind) in enumerate(zip(lines, candidates, strict=True)):
            styled = (line.style or "").lower().startswith("heading")
            other = (
                kind == "maybe"
                and repeated[keys[index]] == 1  # "Highlights" under every role
                and (styled or (_look(line) in standard_looks and gaps[index] >= min_gap))
            )
            if kind == "standard" or other:
                section = _section_of_key(keys[index]) or "other"
                self.headings.append(LocatedLine(index, line, section))
            self.lines.append(LocatedLine(index, line, section))
        self._folded = [line.text.lower() for line in lines]
        # A long line without its list glyph, to find it inside a longer text (else None).
        self._unbulleted = [f.lstrip("•*-–· ") if len(f) > 15 else None for f in self._folded]

    @staticmethod
    def _candidate(
        line: Line, index: int, keys: dict[int, str], known_texts: set[str]
    ) -> str | None:
        """Classify a line: a "standard" heading, "maybe" one (short, unknown text) or None.

        The `heading_key` of a line that gets past the length checks goes into `keys`.
        """
        if len(line.text) > _MAX_HEADING_CHARS or line.bullet:
            return None
        text = line.text.strip().rstrip(":")
        if not text or text.count(" ") >= _MAX_HEADING_WORDS:
            return None
        key = keys[index] = heading_key(text)
        if not key or len(text.split()) > _MAX_HEADING_WORDS:
            return None
        if line.text.strip()[:1].islower():
            return None  # a wrapped continuation line
        if _section_of_key(key) is not None:
            return "standard"
        if _DATE_HINT.search(text) or key in known_texts or _PUNCTUATION.search(text):
            return None
        if line.text.rstrip().endswith((":", "&")):
            return None  # a label ("Tools:") or a wrapped line
        return "maybe"

    def find(self, text: str, default_section: str) -> tuple[str, str]:
        """(section, exact document line) where `text` starts; falls back to `text` itself."""
        full = " ".join(text.lower().split())
        needle = full[:60]
        if needle:
            for item, folded, unbulleted in zip(
                self.lines, self._folded, self._unbulleted, strict=True
            ):
                if needle in folded or (unbulleted is not None and unbulleted in full):
                    return item.section, item.line.text
        return default_section, text


# The last document located, kept alive so its id cannot be reused by another object.
_cache: list[tuple[Document, frozenset[str], Locator]] = []


def locator_for(document: Document, known_texts: frozenset[str]) -> Locator:
    """The Locator of a document, built once even when review and match both ask for it."""
    for cached_document, cached_known, locator in _cache:
        if cached_document is document and cached_known == known_texts:
            return locator
    locator = Locator(document, set(known_texts))
    _cache[:] = [(document, known_texts, locator)]
    return locator
