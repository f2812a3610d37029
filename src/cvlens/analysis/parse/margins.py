"""Undo a two-column reading order when one "column" is only a margin.

Some themes set section headings in a left gutter beside the content, or dates and web
addresses flush right beside the entry they belong to. Geometry alone can take such a
gutter for a side bar and read it as a column of its own, after (or before) the whole
page — which parts headings from their sections and dates from their entries. When every
line of the smaller side is such a margin note (a section heading, a date, a short line
with a web address), the page is one column: we read it again row by row.
"""

from __future__ import annotations

import itertools
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


def _block_tops(margin: list[Line], content: list[Line]) -> dict[int, float]:
    """Where each gutter heading's block starts, for headings set level with the middle of
    their block rather than its first line: index in `margin` → the y of that first line.

    A block is a run of content rows in one type size no further apart than 1.5 line
    pitches, with a gap of at least 1.8 pitches above it, below the previous heading. A
    heading is lifted only when it stands beside its block (level with a row of it, not
    under its end).
    """
    size_of: dict[float, float] = {}
    for ln in content:
        y = round(ln.y1, 1)
        size_of[y] = max(size_of.get(y, 0.0), ln.font_size)
    rows = sorted(size_of)
    gaps = sorted(b - a for a, b in itertools.pairwise(rows) if b - a > 0.5)
    if len(gaps) < 3:
        return {}
    pitch = gaps[len(gaps) // 4]  # the line pitch: most gaps are between lines of a block
    tops: dict[int, float] = {}
    floor = float("-inf")
    lifted_to: float | None = None  # where the previous heading was lifted to
    for index, line in sorted(enumerate(margin), key=lambda item: item[1].y1):
        if not section_key(line.text.strip().rstrip(":")):
            continue
        half = 0.5 * max(line.font_size, 1.0)
        level = [y for y in rows if floor < y <= line.y1 + half]
        if level and line.y1 - level[-1] <= half:
            at = len(level) - 1
            while (
                at > 0
                and level[at] - level[at - 1] <= 1.5 * pitch
                and abs(size_of[level[at - 1]] - size_of[level[-1]]) <= 1.5  # not the name
            ):
                at -= 1
            top = level[at]
            before = [y for y in rows if y < top]
            apart = not before or top - before[-1] >= 1.8 * pitch
            if apart and top < line.y1 - half:
                tops[index] = top
            elif not apart and lifted_to is not None and before[-1] <= lifted_to:
                # stacked under the previous heading, beside the same block: its section
                # is empty, the block is the previous heading's; it goes after the block
                end = rows.index(level[-1])
                while end + 1 < len(rows) and rows[end + 1] - rows[end] <= 1.5 * pitch:
                    end += 1
                tops[index] = rows[end] + 0.75 * pitch
        lifted_to = tops.get(index)
        floor = tops.get(index, line.y1)
    return tops


def _rows(lines: list[Line], margin: list[Line] | None = None) -> list[Line]:
    """Lines top to bottom; lines level with each other (one baseline) left to right. A
    gutter heading set beside the middle of its block goes to the block's first row."""
    margin = margin or []
    content = [ln for ln in lines if all(ln is not m for m in margin)]
    tops = _block_tops(margin, content)
    lifted = {id(margin[i]): y for i, y in tops.items()}
    keyed = sorted(((lifted.get(id(ln), ln.y1), ln) for ln in lines), key=lambda item: item[0])
    rows: list[list[tuple[float, Line]]] = []
    for y, line in keyed:
        if rows:
            anchor_y, anchor = rows[-1][0]
            height = min(anchor.y1 - anchor.y0, line.y1 - line.y0) or line.font_size
            if abs(anchor_y - y) <= 0.5 * height:
                rows[-1].append((y, line))
                continue
        rows.append([(y, line)])
    return [
        ln.model_copy(update={"column": 0})
        for row in rows
        for _, ln in sorted(row, key=lambda item: item[1].x0)
    ]


def _x0(line: Line) -> float:
    return line.x0


def _page_in_rows(lines: list[Line]) -> list[Line]:
    left = [ln for ln in lines if ln.column == 0]
    right = [ln for ln in lines if ln.column == 1]
    if not left or not right:
        return lines
    margin = left if len(left) <= len(right) else right
    # a side bar of nothing but web addresses is a contact column, not a margin
    notes = sum(1 for ln in margin if _is_margin_note(ln))
    marked = sum(1 for ln in margin if _is_heading_or_date(ln))
    # nearly all margin notes: an award's title set beside its date does not make a side bar
    if marked and (notes == len(margin) or (marked >= 6 and notes >= 0.8 * len(margin))):
        return _rows(lines, margin)
    return lines


def read_margins_in_rows(lines: list[Line]) -> list[Line]:
    """The lines in reading order, with margin-only columns read back into their rows."""
    if not any(ln.column == 1 for ln in lines):
        return lines
    out: list[Line] = []
    for _, page in groupby(lines, key=lambda ln: ln.page):
        out.extend(_page_in_rows(list(page)))
    return out
