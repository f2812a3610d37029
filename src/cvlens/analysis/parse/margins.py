"""Undo a two-column reading order when one "column" is only a margin.

Some themes set section headings in a left gutter beside the content, or dates and web
addresses flush right beside the entry they belong to. Geometry alone can take such a
gutter for a side bar and read it as a column of its own, after (or before) the whole
page — which parts headings from their sections and dates from their entries. When every
line of the smaller side is such a margin note (a section heading, a date, a short line
with a web address), the page is one column: we read it again row by row.
"""

from __future__ import annotations

import re
from itertools import groupby

from cvlens.analysis.document import Line
from cvlens.analysis.parse.dates import find_date_range
from cvlens.analysis.parse.headings import section_key

_URL_RE = re.compile(r"(?:https?://|www\.)\S+")
_LETTER_RE = re.compile(r"[^\W\d_]")
MAX_URL_NOTE_WORDS = 4


def _is_heading_or_date(line: Line) -> bool:
    text = line.text.strip()
    if section_key(text.rstrip(":")):
        return True
    dates = find_date_range(text)
    if dates is None:
        return False
    rest = text.replace(dates.text, " ")
    return not _LETTER_RE.search(rest)


def _is_margin_note(line: Line) -> bool:
    text = line.text.strip()
    if _URL_RE.search(text):
        return len(text.split()) <= MAX_URL_NOTE_WORDS
    return _is_heading_or_date(line)


def _rows(lines: list[Line]) -> list[Line]:
    """Lines top to bottom; lines level with each other (one baseline) left to right."""
    ordered = sorted(lines, key=lambda ln: ln.y1)
    rows: list[list[Line]] = []
    for line in ordered:
        if rows:
            anchor = rows[-1][0]
            height = min(anchor.y1 - anchor.y0, line.y1 - line.y0) or line.font_size
            if abs(anchor.y1 - line.y1) <= 0.5 * height:
                rows[-1].append(line)
                continue
        rows.append([line])
    return [ln.model_copy(update={"column": 0}) for row in rows for ln in sorted(row, key=_x0)]


def _x0(line: Line) -> float:
    return line.x0


def _page_in_rows(lines: list[Line]) -> list[Line]:
    left = [ln for ln in lines if ln.column == 0]
    right = [ln for ln in lines if ln.column == 1]
    if not left or not right:
        return lines
    margin = left if len(left) <= len(right) else right
    # a side bar of nothing but web addresses is a contact column, not a margin
    if all(_is_margin_note(ln) for ln in margin) and any(map(_is_heading_or_date, margin)):
        return _rows(lines)
    return lines


def read_margins_in_rows(lines: list[Line]) -> list[Line]:
    """The lines in reading order, with margin-only columns read back into their rows."""
    if not any(ln.column == 1 for ln in lines):
        return lines
    out: list[Line] = []
    for _, page in groupby(lines, key=lambda ln: ln.page):
        out.extend(_page_in_rows(list(page)))
    return out
