"""DOCX → Document with python-docx: paragraph styles, bold/italic, list items and tables.

The archive is inspected *before* anything is decompressed: a declared uncompressed size
over the cap (a zip bomb) is refused without reading a byte of it.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator

import docx
from docx.document import Document as DocxDocument
from docx.table import Table
from docx.text.paragraph import Paragraph

from cvlens.analysis.document import Document, Line, Span
from cvlens.analysis.errors import CorruptFileError, FileTooLargeError, TooManyPagesError
from cvlens.analysis.extract.bullets import strip_bullet

WORDS_PER_PAGE = 500
"""Used to estimate pages when docProps/app.xml does not say how many there are."""

_STYLE_SIZES = {"title": 26.0, "heading 1": 20.0, "heading 2": 16.0, "heading 3": 14.0}
_BODY_SIZE = 11.0
_PAGES_RE = re.compile(rb"<Pages>(\d+)</Pages>")


def _check_archive(data: bytes, max_uncompressed_bytes: int) -> int | None:
    """Refuse zip bombs and broken archives; return the page count the file declares."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            total = sum(info.file_size for info in infos)
            if total > max_uncompressed_bytes:
                raise FileTooLargeError(
                    f"the DOCX would expand to {total:,} bytes; at most "
                    f"{max_uncompressed_bytes:,} are read"
                )
            if "word/document.xml" not in {info.filename for info in infos}:
                raise CorruptFileError("the DOCX has no document body")
            if "docProps/app.xml" in archive.namelist():
                match = _PAGES_RE.search(archive.read("docProps/app.xml"))
                return int(match.group(1)) if match else None
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        EOFError,
        OSError,
        zlib.error,
        NotImplementedError,  # an unknown compression method
        ValueError,
    ) as err:
        raise CorruptFileError("the DOCX is corrupt or truncated") from err
    return None


def _blocks(document: DocxDocument) -> Iterator[tuple[Paragraph, bool]]:
    """Body paragraphs in order, table cells flattened row by row (flagged as in a table)."""
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            yield Paragraph(child, document), False
        elif tag == "tbl":
            for row in Table(child, document).rows:
                seen: set[int] = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # merged cells repeat
                        continue
                    seen.add(id(cell._tc))
                    for paragraph in cell.paragraphs:
                        yield paragraph, True


def _style_name(paragraph: Paragraph) -> str:
    try:
        style = paragraph.style
    except (KeyError, ValueError):
        return ""
    return str(style.name) if style is not None and style.name else ""


def _lines(paragraph: Paragraph, in_table: bool) -> list[Line]:
    style = _style_name(paragraph)
    spans: list[Span] = []
    size = _STYLE_SIZES.get(style.lower(), _BODY_SIZE)
    for run in paragraph.runs:
        if not run.text:
            continue
        run_size = run.font.size.pt if run.font.size is not None else size
        spans.append(
            Span(
                text=run.text,
                font_size=run_size,
                bold=bool(run.bold) or style.lower().startswith(("heading", "title")),
                italic=bool(run.italic),
            )
        )
    text = paragraph.text
    if not text.strip():
        return []
    p_pr = paragraph._p.pPr
    listed = (p_pr is not None and p_pr.numPr is not None) or "list" in style.lower()
    main = max(spans, key=lambda s: len(s.text.strip())) if spans else None
    lines: list[Line] = []
    for part in text.split("\n"):
        clean, glyph = strip_bullet(part)
        if not clean:
            continue
        lines.append(
            Line(
                text=clean,
                spans=spans,
                font_size=main.font_size if main else size,
                bold=main.bold if main else False,
                italic=main.italic if main else False,
                style=style or None,
                bullet=listed or glyph,
                in_table=in_table,
            )
        )
    return lines


def extract_docx(
    data: bytes, *, max_pages: int = 20, max_uncompressed_bytes: int = 50_000_000
) -> Document:
    declared_pages = _check_archive(data, max_uncompressed_bytes)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as err:  # python-docx raises many types for a malformed package
        raise CorruptFileError("the DOCX is corrupt and cannot be read") from err
    lines: list[Line] = []
    tables = sum(1 for child in document.element.body.iterchildren() if child.tag.endswith("}tbl"))
    for paragraph, in_table in _blocks(document):
        lines.extend(_lines(paragraph, in_table))
    words = sum(len(line.text.split()) for line in lines)
    pages = declared_pages or max(1, -(-words // WORDS_PER_PAGE))
    if pages > max_pages:
        raise TooManyPagesError(
            f"the document has about {pages} pages; at most {max_pages} are read"
        )
    links = [str(rel.target_ref) for rel in document.part.rels.values() if rel.is_external]
    images = len(document.inline_shapes)
    return Document(
        format="docx", pages=pages, lines=lines, tables=tables, images=images, links=links
    )
