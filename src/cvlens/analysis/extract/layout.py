"""Reading order for positioned lines: row merging and two-column detection.

PDF content streams are in paint order, which for HTML-printed résumés often puts
right-aligned dates or a side bar far from where a reader meets them. We rebuild the
order from geometry alone: lines on one baseline are joined, and a page is split into
two columns when a vertical gutter separates two *independent* stacks of lines (their
baselines do not line up row by row, or both stacks are dense). A narrow gutter of
section labels or a stack of right-aligned dates lines up with its neighbours row by
row, so it is read as rows, not as a column.
"""

from __future__ import annotations

import bisect
import itertools
import operator

from cvlens.analysis.document import Line, Span

_MIN_GUTTER = 6.0  # points of white space between the columns


def _height(line: Line) -> float:
    return max(line.y1 - line.y0, line.font_size * 0.8, 1.0)


_baseline = operator.attrgetter("y1")
_left = operator.attrgetter("x0")


def _rows(lines: list[Line]) -> list[list[Line]]:
    """Cluster lines whose baselines agree, top to bottom; each row left to right.

    A line joins the row when its baseline is within half the smaller height of the row's
    first line's (whose page, baseline and height are kept, not read again per line).
    """
    rows: list[list[Line]] = []
    page = 0
    baseline = height = 0.0
    for line in sorted(lines, key=_baseline):
        line_height = _height(line)
        if rows and page == line.page and abs(baseline - line.y1) <= 0.5 * min(height, line_height):
            rows[-1].append(line)
        else:
            rows.append([line])
            page, baseline, height = line.page, line.y1, line_height
    return [sorted(row, key=_left) if len(row) > 1 else row for row in rows]


def _joins(left: Line, right: Line) -> bool:
    small, large = sorted((left.font_size, right.font_size))
    return 0 <= right.x0 - left.x1 <= 0.6 * small and large <= 1.15 * small


def merge_rows(lines: list[Line]) -> list[Line]:
    """Join fragments that sit on one baseline with a word-sized gap between them."""
    merged: list[Line] = []
    for row in _rows(lines):
        start = len(merged)
        for line in row:
            last = merged[-1] if len(merged) > start else None
            if last is not None and _joins(last, line):
                merged[-1] = _join(last, line)
            else:
                merged.append(line)
    return merged


def _join(a: Line, b: Line) -> Line:
    spans: list[Span] = [*a.spans, *b.spans]
    size_a, size_b = len(a.text), len(b.text)
    return a.model_copy(
        update={
            "text": f"{a.text} {b.text}",
            "spans": spans,
            "x1": max(a.x1, b.x1),
            "y0": min(a.y0, b.y0),
            "y1": max(a.y1, b.y1),
            "font_size": a.font_size if size_a >= size_b else b.font_size,
            "bold": a.bold if size_a >= size_b else b.bold,
            "italic": a.italic if size_a >= size_b else b.italic,
        }
    )


def _aligned_share(side: list[Line], other: list[Line]) -> float:
    """Share of `side` lines that have a line of `other` on the same baseline."""
    if not side:
        return 0.0
    baselines = sorted(o.y1 for o in other)
    hits = 0
    for line in side:
        tolerance = 0.2 * _height(line) + 0.5
        at = bisect.bisect_left(baselines, line.y1 - tolerance)
        if at < len(baselines) and baselines[at] <= line.y1 + tolerance:
            hits += 1
    return hits / len(side)


def _stacked(side: list[Line]) -> bool:
    """A column is a stack of lines; a gutter of labels or dates is spread out."""
    ordered = sorted(side, key=lambda ln: ln.y0)
    pairs = list(itertools.pairwise(ordered))
    if len(pairs) < 3:
        return False
    close = sum(1 for a, b in pairs if b.page == a.page and b.y0 - a.y1 < 1.5 * a.font_size)
    return close >= 0.6 * len(pairs)


def _split_score(lines: list[Line], cut: float) -> tuple[float, list[Line], list[Line], int]:
    left = [ln for ln in lines if ln.x1 <= cut - _MIN_GUTTER]
    right = [ln for ln in lines if ln.x0 >= cut - 1.0]
    crossing = len(lines) - len(left) - len(right)
    if len(left) < 3 or len(right) < 3 or crossing > max(2, len(lines) // 10):
        return -1.0, left, right, crossing
    independent = max(_aligned_share(left, right), _aligned_share(right, left)) < 0.8
    if not (independent or (_stacked(left) and _stacked(right))):
        return -1.0, left, right, crossing
    return float(min(len(left), len(right)) - 3 * crossing), left, right, crossing


def order_page(lines: list[Line], page_width: float) -> tuple[list[Line], int]:
    """Lines of one page in reading order, and how many columns the page has (1 or 2)."""
    rows = merge_rows(lines)
    if len(rows) < 6 or page_width <= 0:
        return rows, 1
    candidates = sorted(
        {round(ln.x0) for ln in rows if 0.2 * page_width < ln.x0 < 0.8 * page_width}
    )
    best: tuple[float, float] = (-1.0, 0.0)
    rights = sorted(ln.x1 for ln in rows)
    lefts = sorted(ln.x0 for ln in rows)
    for cut in candidates:
        # The counts `_split_score` refuses first, by bisection: most cuts stop here.
        left = bisect.bisect_right(rights, cut - _MIN_GUTTER)
        right = len(lefts) - bisect.bisect_left(lefts, cut - 1.0)
        if left < 3 or right < 3 or len(rows) - left - right > max(2, len(rows) // 10):
            continue
        score = _split_score(rows, float(cut))[0]
        if score > best[0]:
            best = (score, float(cut))
    if best[0] <= 0:
        return rows, 1
    gutter = best[1]
    ordered: list[Line] = []
    band_left: list[Line] = []
    band_right: list[Line] = []
    for line in sorted(rows, key=lambda ln: (ln.y0, ln.x0)):
        if line.x1 <= gutter - _MIN_GUTTER:
            line.column = 0
            band_left.append(line)
        elif line.x0 >= gutter - 1.0:
            line.column = 1
            band_right.append(line)
        else:  # spans the gutter: closes the current band of two columns
            ordered.extend(band_left + band_right)
            band_left, band_right = [], []
            ordered.append(line)
    ordered.extend(band_left + band_right)
    return ordered, 2
