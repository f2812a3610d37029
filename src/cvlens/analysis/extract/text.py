"""Plain text and Markdown → Document: `#` headings become bold heading lines, `-`/`*` bullets."""

from __future__ import annotations

import re

from cvlens.analysis.document import Document, Line, Span
from cvlens.analysis.errors import FileTooLargeError, TooManyPagesError, UnsupportedFormatError
from cvlens.analysis.extract.bullets import strip_bullet
from cvlens.analysis.extract.grid import (
    BODY_SIZE,
    CHAR_WIDTH,
    LINE_PITCH,
    align_pages,
    join_wrapped_addresses,
    mark_gutter_labels,
    pieces,
)
from cvlens.analysis.extract.layout import order_page

LINES_PER_PAGE = 60
MAX_TEXT_BYTES = 1_000_000
"""A text résumé is a few kilobytes; anything this large is refused before decoding."""
MAX_LINE_CHARS = 2_000
MAX_ROWS_PER_PAGE = 2 * LINES_PER_PAGE
MAX_PIECES_PER_PAGE = 600
"""A dense page of a résumé has one or two hundred pieces of text; laying out thousands
would cost seconds, so such a page is read row by row."""
_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_DECORATION_RE = re.compile(r"\*\*|__|`")
_MD_LINK_RE = re.compile(r"\[([^\]]*)\]\(([^)\s]+)\)")
_ICON_RE = re.compile("[\ue000-\uf8ff]")
"""Private-use code points: icon-font glyphs (phone, mail, pin) copied out of a PDF."""
_URL_RE = re.compile(r"https?://[^\s)>\]]+")
_HEADING_SIZES = {1: 20.0, 2: 16.0, 3: 14.0}


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            break
        return text
    raise UnsupportedFormatError("unsupported file type: text that is not UTF-8")


def _markdown_line(raw: str) -> tuple[str, bool, float, str | None]:
    heading = _HEADING_RE.match(raw)
    if heading:
        level = len(heading.group(1))
        return heading.group(2), True, _HEADING_SIZES.get(level, 12.0), f"Heading {level}"
    text = _MD_LINK_RE.sub(lambda m: f"{m.group(1)} {m.group(2)}", raw)
    bold = raw.strip().startswith(("**", "__")) and raw.strip().endswith(("**", "__"))
    return _MD_DECORATION_RE.sub("", text), bold, BODY_SIZE, None


def _page_rows(text: str) -> list[list[str]]:
    """The rows of each page: form feeds (as `pdftotext` writes them) end a page, and no
    page holds more than `MAX_ROWS_PER_PAGE` rows (text without form feeds is cut every
    `LINES_PER_PAGE` rows)."""
    if "\f" in text:
        pages = [page.splitlines() for page in text.split("\f")]
        if pages and not any(row.strip() for row in pages[-1]):
            pages.pop()  # the form feed after the last page
        size = MAX_ROWS_PER_PAGE
    else:
        pages, size = [text.splitlines()], LINES_PER_PAGE
    cut = [rows[i : i + size] for rows in pages for i in range(0, max(len(rows), 1), size)]
    return cut or [[]]


def _row_pieces(raw: str, markdown: bool) -> tuple[list[tuple[int, str]], float, bool, str | None]:
    """The pieces of text of one row (with their character columns) and the row's style."""
    raw = raw[:MAX_LINE_CHARS]  # one endless line must not make later stages slow
    bold, size, style = False, BODY_SIZE, None
    if markdown:
        raw, bold, size, style = _markdown_line(raw)
    return [(c, p) for c, p in pieces(raw) if strip_bullet(p)[0]], size, bold, style


def _page_lines(rows: list[str], page: int, markdown: bool) -> tuple[list[Line], bool]:
    """The Lines of one page, one per piece of text placed at its character column, and
    whether they may be laid out (a page too crowded for a résumé is read row by row)."""
    read = [_row_pieces(raw, markdown) for raw in rows]
    if sum(len(found) for found, *_ in read) > MAX_PIECES_PER_PAGE:
        return [ln for row, raw in enumerate(rows) for ln in _whole_row(raw, row, page)], False
    lines = [
        _line(column, piece, row, page, size, bold, style)
        for row, (found, size, bold, style) in enumerate(read)
        for column, piece in found
    ]
    return lines, True


def _whole_row(raw: str, row: int, page: int) -> list[Line]:
    """A row as one Line, for a page too crowded to lay out."""
    text = " ".join(raw[:MAX_LINE_CHARS].split())
    if not strip_bullet(text)[0]:
        return []
    column = len(raw) - len(raw.lstrip())
    return [_line(min(column, MAX_LINE_CHARS), text, row, page, BODY_SIZE, False, None)]


def _line(
    column: int, piece: str, row: int, page: int, size: float, bold: bool, style: str | None
) -> Line:
    clean, bullet = strip_bullet(piece)
    x0 = column * CHAR_WIDTH
    x1 = (column + len(piece)) * CHAR_WIDTH
    y0 = row * LINE_PITCH
    return Line(
        text=clean,
        page=page,
        spans=[Span(text=clean, x0=x0, y0=y0, x1=x1, y1=y0 + size, font_size=size, bold=bold)],
        x0=x0,
        y0=y0,
        x1=x1,
        y1=y0 + size,
        font_size=size,
        bold=bold,
        style=style,
        bullet=bullet,
    )


def _without_icons(lines: list[Line]) -> list[Line]:
    """The lines without icon glyphs; a line of nothing but icons goes. (An icon still
    places its row in the layout: a stack of icon and contact rows makes a side bar.)"""
    out: list[Line] = []
    for line in lines:
        if _ICON_RE.search(line.text):
            text = _ICON_RE.sub("", line.text).strip()
            if not text:
                continue
            line.text = text
            line.spans = [span.model_copy(update={"text": text}) for span in line.spans]
        out.append(line)
    return out


def extract_text(data: bytes, *, markdown: bool = False, max_pages: int = 20) -> Document:
    if len(data) > MAX_TEXT_BYTES:
        raise FileTooLargeError(
            f"the text file has {len(data):,} bytes; at most {MAX_TEXT_BYTES:,} are read"
        )
    text = _decode(data)
    pages = _page_rows(text)
    if len(pages) > max_pages:
        raise TooManyPagesError(
            f"the text has about {len(pages)} pages; at most {max_pages} are read"
        )
    width = CHAR_WIDTH * max((min(len(r), MAX_LINE_CHARS) for p in pages for r in p), default=0)
    lines: list[Line] = []
    columns = 1
    for number, rows in enumerate(pages, start=1):
        placed, laid_out = _page_lines(rows, number, markdown)
        if not laid_out:
            lines.extend(placed)
            continue
        ordered, page_columns = order_page(placed, width)
        columns = max(columns, page_columns)
        lines.extend(join_wrapped_addresses(_without_icons(ordered)))
    mark_gutter_labels(lines)
    align_pages(lines)
    links = [url for line in lines for url in _URL_RE.findall(line.text)]
    return Document(
        format="md" if markdown else "txt",
        pages=len(pages),
        lines=lines,
        columns=columns,
        links=links,
    )
