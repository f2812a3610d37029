"""Tie résumé content back to the exact document line it came from, and to its section.

Section headings are recognised from a short list of the standard names that applicant
tracking systems look for (the rubric rewards them), plus layout cues for the non-standard
ones: a DOCX heading style, all-caps, or a font clearly larger than the body text.
"""

from __future__ import annotations

import re
import statistics
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
_MAX_HEADING_WORDS = 5
_LARGER_FONT = 1.15
_DATE_HINT = re.compile(r"\d{4}|present", re.IGNORECASE)


def heading_key(text: str) -> str:
    return " ".join(re.sub(r"[^a-z ]", " ", text.lower().replace("&", " and ")).split())


@dataclass(frozen=True)
class LocatedLine:
    index: int
    line: Line
    section: str


class Locator:
    """Sections of a document's lines, and the line on which a piece of text appears."""

    def __init__(self, document: Document, known_texts: set[str]) -> None:
        self.document = document
        sizes = [line.font_size for line in document.lines if line.font_size > 0]
        self.body_size = statistics.median(sizes) if sizes else 0.0
        self.headings: list[LocatedLine] = []
        self.lines: list[LocatedLine] = []
        section = "basics"
        for index, line in enumerate(document.lines):
            key = heading_key(line.text)
            if self._looks_like_heading(line, known_texts):
                section = STANDARD_HEADINGS.get(key, "other")
                self.headings.append(LocatedLine(index, line, section))
            self.lines.append(LocatedLine(index, line, section))
        self._folded = [" ".join(item.line.text.lower().split()) for item in self.lines]

    def _looks_like_heading(self, line: Line, known_texts: set[str]) -> bool:
        text = line.text.strip().rstrip(":")
        key = heading_key(text)
        if not key or len(text.split()) > _MAX_HEADING_WORDS:
            return False
        if key in STANDARD_HEADINGS and not line.bullet:
            return True
        if line.bullet or _DATE_HINT.search(text) or key in known_texts:
            return False
        styled = (line.style or "").lower().startswith("heading")
        letters = [ch for ch in text if ch.isalpha()]
        caps = len(letters) > 3 and all(ch.isupper() for ch in letters)
        larger = self.body_size > 0 and line.font_size >= self.body_size * _LARGER_FONT
        return styled or (caps and len(text.split()) > 1) or (larger and line.bold)

    def find(self, text: str, default_section: str) -> tuple[str, str]:
        """(section, exact document line) where `text` starts; falls back to `text` itself."""
        full = " ".join(text.lower().split())
        needle = full[:60]
        if needle:
            for item, folded in zip(self.lines, self._folded, strict=True):
                if needle in folded or (len(folded) > 15 and folded.lstrip("•*-–· ") in full):
                    return item.section, item.line.text
        return default_section, text
