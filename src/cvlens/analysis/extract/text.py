"""Plain text and Markdown → Document: `#` headings become bold heading lines, `-`/`*` bullets."""

from __future__ import annotations

import re

from cvlens.analysis.document import Document, Line
from cvlens.analysis.errors import FileTooLargeError, TooManyPagesError, UnsupportedFormatError
from cvlens.analysis.extract.bullets import strip_bullet

LINES_PER_PAGE = 60
MAX_TEXT_BYTES = 1_000_000
"""A text résumé is a few kilobytes; anything this large is refused before decoding."""
MAX_LINE_CHARS = 2_000
_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_DECORATION_RE = re.compile(r"\*\*|__|`")
_MD_LINK_RE = re.compile(r"\[([^\]]*)\]\(([^)\s]+)\)")
_URL_RE = re.compile(r"https?://[^\s)>\]]+")
_HEADING_SIZES = {1: 20.0, 2: 16.0, 3: 14.0}
_BODY_SIZE = 11.0


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
    return _MD_DECORATION_RE.sub("", text), bold, _BODY_SIZE, None


def extract_text(data: bytes, *, markdown: bool = False, max_pages: int = 20) -> Document:
    if len(data) > MAX_TEXT_BYTES:
        raise FileTooLargeError(
            f"the text file has {len(data):,} bytes; at most {MAX_TEXT_BYTES:,} are read"
        )
    text = _decode(data)
    raw_lines = text.splitlines()
    pages = max(1, -(-len(raw_lines) // LINES_PER_PAGE))
    if pages > max_pages:
        raise TooManyPagesError(f"the text has about {pages} pages; at most {max_pages} are read")
    lines: list[Line] = []
    links: list[str] = []
    for number, raw in enumerate(raw_lines):
        if not raw.strip():
            continue
        raw = raw[:MAX_LINE_CHARS]  # one endless line must not make later stages slow
        bold, size, style = False, _BODY_SIZE, None
        if markdown:
            raw, bold, size, style = _markdown_line(raw)
        clean, bullet = strip_bullet(raw)
        if not clean:
            continue
        links.extend(_URL_RE.findall(clean))
        lines.append(
            Line(
                text=clean,
                page=number // LINES_PER_PAGE + 1,
                y0=float(number),
                y1=float(number + 1),
                x0=float(len(raw) - len(raw.lstrip())),
                font_size=size,
                bold=bold,
                style=style,
                bullet=bullet,
            )
        )
    return Document(format="md" if markdown else "txt", pages=pages, lines=lines, links=links)
