"""Monospaced text as a page of positioned lines: character columns are x positions.

Text copied out of a PDF (`pdftotext -layout`) or exported by a tool keeps the page's
layout in spaces: a side bar beside the body, section labels in a left gutter
("Work   Software Engineer"), dates set flush right, list items indented under their
entry. We read each line of such text as the row of a page: a run of three or more
spaces separates two pieces of text (a single space, or two after a full stop, is a
space within a sentence), every piece becomes a Line placed at its character column,
and the reading order is rebuilt by the same geometry as for PDFs (`layout.order_page`).

Then what a PDF would say with fonts is recovered from the grid: each page's body is
aligned with the first page's (`align_pages`: a page without a gutter label starts its
body at another column, which the parser would read as indentation), labels alone in a
left gutter are marked as headings (`mark_gutter_labels`), and an address that a narrow
column cut in two is joined (`join_wrapped_addresses`). An indented line stays indented:
the parser reads that as a list item, as it does for PDFs.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict

from cvlens.analysis.document import Line

CHAR_WIDTH = 6.0
"""Points per character column: the advance of a 10 pt monospaced font."""
LINE_PITCH = 13.0
"""Points per text row; a blank row between two lines reads as a paragraph gap."""
BODY_SIZE = 11.0
"""A row is as tall as a line of 11 pt text: a space between words (6 pt) joins them, two
or more do not (as `layout.merge_rows` reads gaps)."""
PIECE_RE = re.compile(r"[^ ](?:[^ ]| {1,2}(?=[^ ]))*")
"""A piece of text on a row: runs of three or more spaces separate pieces. A tab inside a
line stays in its piece: typed text uses it as a field separator ("Acme<tab>Engineer"),
which the parser reads as such, not as a gap in a layout."""
TAB_SIZE = 4
MAX_LABEL_WORDS = 4
_MIN_EDGE_SHARE = 0.15
"""Share of a column's text that must start at one character column to call it the
column's left edge (the rest may be list items, wrapped lines or a stray label)."""


def pieces(raw: str) -> list[tuple[int, str]]:
    """The pieces of one text row with the character column each starts at (tabs that
    indent the row count as tab stops)."""
    indent = len(raw) - len(raw.lstrip())
    raw = raw[:indent].expandtabs(TAB_SIZE) + raw[indent:]
    found: list[tuple[int, str]] = []
    for match in PIECE_RE.finditer(raw):
        text = match.group()
        clean = text.strip()
        if clean:
            found.append((match.start() + len(text) - len(text.lstrip()), clean))
    return found


def left_edge(lines: list[Line]) -> float | None:
    """The leftmost character column where a good share of the text starts.

    A column where only labels start (short pieces with more text to their right on the
    row, "Languages   English", on rows apart) is not it, however much of a short page
    they make.
    """
    weights: Counter[float] = Counter()
    starts: defaultdict[float, list[Line]] = defaultdict(list)
    for line in lines:
        weights[line.x0] += len(line.text)
        starts[line.x0].append(line)
    beside = _labels_beside_text(lines)
    total = sum(weights.values())
    for x0 in sorted(weights):
        if weights[x0] >= _MIN_EDGE_SHARE * total and not _only_labels(starts[x0], beside):
            return x0
    return None


def _rows_apart(lines: list[Line]) -> bool:
    """No two of the lines stand on neighbouring (or the same) rows."""
    rows = sorted(round(line.y0 / LINE_PITCH) for line in lines)
    return all(b - a > 1 for a, b in itertools.pairwise(rows))


def _only_labels(lines: list[Line], beside: set[int]) -> bool:
    return all(id(line) in beside for line in lines) and _rows_apart(lines)


def _labels_beside_text(lines: list[Line]) -> set[int]:
    """Ids of the short first pieces of rows that hold more pieces."""
    rows: defaultdict[tuple[int, float], list[Line]] = defaultdict(list)
    for line in lines:
        rows[(line.page, line.y0)].append(line)
    found: set[int] = set()
    for row in rows.values():
        if len(row) > 1:
            first = min(row, key=lambda line: line.x0)
            if len(first.text.split()) <= MAX_LABEL_WORDS:
                found.add(id(first))
    return found


def _main_column(lines: list[Line]) -> list[Line]:
    """The lines of the column that holds most of the page's text."""
    chars: Counter[int] = Counter()
    for line in lines:
        chars[line.column] += len(line.text)
    main = chars.most_common(1)[0][0]
    return [line for line in lines if line.column == main]


def _shift(line: Line, dx: float) -> None:
    line.x0 += dx
    line.x1 += dx
    for span in line.spans:
        span.x0 += dx
        span.x1 += dx


def _side_column(lines: list[Line], main: list[Line]) -> tuple[float, float] | None:
    """The x range of a page's other column (a side bar), if it has two."""
    side = [line for line in lines if line.column != main[0].column]
    if not side:
        return None
    return min(line.x0 for line in side), max(line.x1 for line in side)


def _within(lines: list[Line], span: tuple[float, float] | None) -> bool:
    if span is None:
        return False
    left, right = span[0] - CHAR_WIDTH, span[1] + CHAR_WIDTH
    return all(left <= line.x0 and line.x1 <= right for line in lines)


def align_pages(lines: list[Line]) -> None:
    """Start the body of every page at the column where it starts on the first page.

    A page is laid out on its own: its body starts just right of its widest gutter label,
    or at the margin when it has none, so the same body sits at column 7 on one page and
    12 on the next. Without a fix the parser would read a whole page as indented (list
    items). A page is moved only in a layout with a gutter (text left of the body on
    either page: labels, a side bar), and never when it only holds the rest of the side
    bar of the page before; a page of list items that continues a list of a plain layout
    is not moved either.
    """
    reference: tuple[float, bool] | None = None
    side: tuple[float, float] | None = None  # the side column of the page before
    by_page: defaultdict[int, list[Line]] = defaultdict(list)
    for line in lines:
        by_page[line.page].append(line)
    for page in sorted(by_page):
        own = by_page[page]
        main = _main_column(own)
        edge = left_edge(main)
        if edge is None:
            continue
        gutter = any(line.x1 <= edge - 2 * CHAR_WIDTH for line in own)
        if reference is None:
            reference = (edge, gutter)
        elif edge != reference[0] and (gutter or reference[1]) and not _within(own, side):
            for line in own:
                _shift(line, reference[0] - edge)
        side = _side_column(own, main)


def mark_gutter_labels(lines: list[Line]) -> None:
    """Set in bold the short labels that stand alone in a left gutter beside the body.

    In a layout with section labels left of the body ("Work   Software Engineer"), the
    gutter holds the section headings and nothing else: marking them lets the parser tell
    them from a heading-like line inside the body (a skill group called "Languages"). A
    gutter where two lines stand on neighbouring rows is a side bar, not labels: then
    nothing is marked.
    """
    by_page: defaultdict[int, list[Line]] = defaultdict(list)
    for line in lines:
        by_page[line.page].append(line)
    labels: list[Line] = []
    for own in by_page.values():
        edge = left_edge(own)
        if not edge:
            continue
        gutter = [line for line in own if line.x1 <= edge - 2 * CHAR_WIDTH]
        if not _rows_apart(gutter):
            return
        labels += gutter
    if any(len(line.text.split()) > MAX_LABEL_WORDS for line in labels):
        return
    for line in labels:
        line.bold = True
        for span in line.spans:
            span.bold = True


_ADDRESS_RE = re.compile(r"^\S*(?:@|www\.|://)\S*$")
_CUT_RE = re.compile(r"(?:[.\-/]|\.[a-z])$", re.IGNORECASE)
"""An address that cannot end here: on a dot, a dash or a slash, or in a one-letter
top-level domain ("example.d")."""
_ADDRESS_REST_RE = re.compile(r"^[a-z0-9][\w./~#?=&%+-]{0,11}$")
"""The rest of an address cut by a narrow column: a few characters, no spaces, in lower
case (a word such as "Experience" on the next row is not the rest of anything)."""


def _cut_address(text: str) -> bool:
    if not _ADDRESS_RE.match(text):
        return False
    domain = text.rsplit("@", 1)[1] if "@" in text else "."
    return bool(_CUT_RE.search(text)) or "." not in domain


def join_wrapped_addresses(lines: list[Line]) -> list[Line]:
    """Join an e-mail or web address that a narrow column cut in two.

    A side bar too narrow for "hello@example.dev" prints "hello@example." on one row and
    "dev" on the next, at the same column: the address is one word again.
    """
    out: list[Line] = []
    for line in lines:
        last = out[-1] if out else None
        if (
            last is not None
            and last.page == line.page
            and last.x0 == line.x0
            and round((line.y0 - last.y0) / LINE_PITCH) == 1
            and _cut_address(last.text)
            and _ADDRESS_REST_RE.match(line.text)
        ):
            text = last.text + line.text
            last.text = text
            last.x1 = max(last.x1, line.x1)
            last.y1 = line.y1
            last.spans = [span.model_copy(update={"text": text}) for span in last.spans[:1]]
            continue
        out.append(line)
    return out
