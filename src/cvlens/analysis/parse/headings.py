"""Section headings: shipped aliases (analysis/data/headings.json) plus layout cues."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from operator import itemgetter
from pathlib import Path

from cvlens.analysis.document import Line
from cvlens.analysis.parse.skills import is_level

_WORD_RE = re.compile(r"[a-z0-9&+]+")
MAX_HEADING_WORDS = 6


@cache
def aliases() -> dict[str, str]:
    """Normalised heading text → section key (work, education, skills, ...)."""
    raw = (Path(__file__).resolve().parents[1] / "data" / "headings.json").read_text("utf-8")
    table: dict[str, list[str]] = {k: v for k, v in json.loads(raw).items() if k[0] != "_"}
    return {normalise(alias): key for key, names in table.items() for alias in names}


@cache
def _first_words() -> frozenset[str]:
    """The first word of every alias: a text whose first word is none of them is no alias,
    nor an alias followed by "experience"."""
    return frozenset(alias.split(" ")[0] for alias in aliases())


def normalise(text: str) -> str:
    """Case-folded, "and" as "&", runs of letters, digits, "&" and "+" joined by one space."""
    return " ".join(_WORD_RE.findall(_folded(text)))


def _folded(text: str) -> str:
    return text.casefold().replace(" and ", " & ")


def section_key(text: str) -> str | None:
    """The section a heading text names, or None. `and` and `&` are the same, and a
    known section name followed by "Experience" names that section."""
    if len(text.split()) > MAX_HEADING_WORDS:
        return None
    folded = _folded(text)
    first = _WORD_RE.search(folded)
    if first is not None and first.group() not in _first_words():
        return None
    key = " ".join(_WORD_RE.findall(folded))  # normalise(text)
    found = aliases().get(key)
    if found is None and key.endswith(" experience"):  # "Projects Experience"
        found = aliases().get(key.removesuffix(" experience"))
    return found


@dataclass
class Section:
    key: str
    heading: Line | None
    lines: list[Line] = field(default_factory=list)


def body_size(lines: list[Line]) -> float:
    """The font size most characters use."""
    sizes: dict[float, int] = {}
    for line in lines:
        size = round(line.font_size, 1)
        sizes[size] = sizes.get(size, 0) + len(line.text)
    # the first size to reach the most characters, as Counter.most_common(1) picks it
    return max(sizes.items(), key=itemgetter(1))[0] if sizes else 0.0


def _style(line: Line) -> tuple[float, bool, str]:
    return (round(line.font_size), line.bold, (line.style or "").casefold())


def _has_layout_cue(line: Line, body: float) -> bool:
    text = line.text.strip()
    return (
        line.font_size >= body + 0.9
        or line.bold
        or (text.isupper() and len(text) > 2)
        or (line.style or "").casefold().startswith(("heading", "title"))
    )


def split_sections(lines: list[Line]) -> tuple[list[Line], list[Section]]:
    """Lines before the first heading (the header), then every section in reading order.

    A line is a heading when its text is a known alias *and* it is set like the other
    headings of the document: the dominant style among alias lines that stand out by
    size, weight, capitals or paragraph style. In plain text (no styles at all) an alias
    alone on its line is enough.
    """
    body = body_size(lines)
    keys = [section_key(ln.text.rstrip(":")) for ln in lines]
    candidates = [i for i, key in enumerate(keys) if key]
    if any(lines[i].text[:1].isupper() for i in candidates):
        # "Programming / languages": a wrapped label's second line is not a heading
        candidates = [i for i in candidates if not lines[i].text[:1].islower()]
    # "Programming" / "Languages" / "Proficient": an alias over a skill level names a group
    candidates = [
        i
        for i in candidates
        if i + 1 >= len(lines) or not is_level(lines[i + 1].text) or keys[i] == "skills"
    ]
    cued = [lines[i] for i in candidates if _has_layout_cue(lines[i], body)]
    heading_styles = Counter(_style(ln) for ln in cued)
    accepted: set[int] = set()
    if heading_styles:
        top_style, _ = heading_styles.most_common(1)[0]
        for i in candidates:
            style = _style(lines[i])
            if (
                abs(style[0] - top_style[0]) <= 1
                and style[1] == top_style[1]
                and style[2] == top_style[2]
            ):
                accepted.add(i)
    else:
        accepted = {i for i in candidates if len(lines[i].text.split()) <= 4}
    header: list[Line] = []
    sections: list[Section] = []
    two_column_pages = {ln.page for ln in lines if ln.column == 1}
    overflow = _side_bar_overflow(lines, two_column_pages)
    by_column: dict[int, Section] = {}  # the open section of each column of a side-bar layout
    headed = {(lines[i].page, lines[i].column) for i in accepted}
    left_headings: list[Section] = []  # headings of column 0 on the current page
    for index, line in enumerate(lines):
        column = overflow.get(line.page, line.column)
        if index in accepted:
            sections.append(Section(key=keys[index] or "other", heading=line))
            by_column[column] = sections[-1]
            if line.column == 0:
                left_headings = [s for s in left_headings if _on_page(s, line.page)]
                left_headings.append(sections[-1])
        elif not sections:
            header.append(line)
        elif (
            line.column == 1
            and line.page in two_column_pages
            and (line.page, 1) not in headed
            and (beside := _beside(left_headings, line)) is not None
        ):
            # cards set in two columns under headings on the left: the right-hand card
            # belongs to the heading level with or above it
            beside.lines.append(line)
        elif (line.page in two_column_pages or line.page in overflow) and column in by_column:
            # a side bar that runs onto the next page continues its own section there
            by_column[column].lines.append(line)
        else:
            sections[-1].lines.append(line)
    return header, sections


def _on_page(section: Section, page: int) -> bool:
    return section.heading is not None and section.heading.page == page


def _beside(left_headings: list[Section], line: Line) -> Section | None:
    above = [
        s
        for s in left_headings
        if s.heading is not None and s.heading.page == line.page and s.heading.y0 <= line.y1
    ]
    return above[-1] if above else None


def _side_bar_overflow(lines: list[Line], two_column_pages: set[int]) -> dict[int, int]:
    """Pages after a two-column page that hold only the rest of one column (the side bar
    ran longer than the main column): page → that column."""
    out: dict[int, int] = {}
    pages = sorted({ln.page for ln in lines} - two_column_pages)
    for page in pages:
        if page - 1 not in two_column_pages:
            continue
        own = [ln for ln in lines if ln.page == page and ln.x1 > 0]
        for column in (0, 1):
            before = [ln for ln in lines if ln.page == page - 1 and ln.column == column]
            if not (own and before):
                continue
            left, right = min(b.x0 for b in before) - 6, max(b.x1 for b in before) + 6
            if all(left <= ln.x0 and ln.x1 <= right for ln in own):
                out[page] = column
                break
    return out
