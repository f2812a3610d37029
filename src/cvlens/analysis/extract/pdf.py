"""PDF → Document with pypdfium2: spans with page, position, font size, bold and italic.

This module opens the file, walks the pages under the caps and reads link targets; the
per-page hot path (text, word boxes, fonts → Lines) is in `pdf_lines`, and the reading
order is rebuilt from the boxes by `layout`.
"""

from __future__ import annotations

import ctypes

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from cvlens.analysis.document import Document, Line
from cvlens.analysis.errors import (
    CorruptFileError,
    EncryptedFileError,
    NoTextLayerError,
    TooManyPagesError,
)
from cvlens.analysis.extract.layout import order_page
from cvlens.analysis.extract.pdf_lines import page_lines, page_text

MAX_CHARS_PER_PAGE = 60_000
"""Caps the work on a hostile page; a dense résumé page holds about 5,000 characters."""
_LINK_PAGES = 2
"""Link targets are read from the first pages only: contact and profile links sit at the
top, and enumerating annotations is one of the slower pdfium calls."""


def _links(pdf: pdfium.PdfDocument, page: pdfium.PdfPage) -> list[str]:
    found: list[str] = []
    position = ctypes.c_int(0)
    link = pdfium_c.FPDF_LINK()
    while pdfium_c.FPDFLink_Enumerate(page.raw, ctypes.byref(position), ctypes.byref(link)):
        action = pdfium_c.FPDFLink_GetAction(link)
        if not action or pdfium_c.FPDFAction_GetType(action) != pdfium_c.PDFACTION_URI:
            continue
        size = pdfium_c.FPDFAction_GetURIPath(pdf.raw, action, None, 0)
        if 0 < size <= 4096:
            buffer = ctypes.create_string_buffer(size)
            pdfium_c.FPDFAction_GetURIPath(pdf.raw, action, buffer, size)
            found.append(buffer.value.decode("utf-8", "replace"))
    return found


def _open(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as err:
        if "password" in str(err).lower():
            raise EncryptedFileError("the PDF is password-protected") from None
        raise CorruptFileError("the PDF is corrupt and cannot be read") from None


def extract_pdf(data: bytes, *, max_pages: int = 20) -> Document:
    if b"%%EOF" not in data[-2048:]:
        raise CorruptFileError("the PDF is truncated (no end-of-file marker)")
    pdf = _open(data)
    try:
        page_count = len(pdf)
        if page_count == 0:
            raise CorruptFileError("the PDF has no pages")
        if page_count > max_pages:
            raise TooManyPagesError(
                f"the document has {page_count} pages; at most {max_pages} are read"
            )
        lines: list[Line] = []
        links: list[str] = []
        columns = 1
        for index in range(page_count):
            try:
                page = pdf[index]
            except pdfium.PdfiumError:
                raise CorruptFileError(f"page {index + 1} of the PDF is corrupt") from None
            try:
                width, height = page.get_size()
                textpage = page.get_textpage()
                try:
                    count = min(textpage.count_chars(), MAX_CHARS_PER_PAGE)
                    text = page_text(textpage, count) if count else ""
                    raw_lines = page_lines(textpage, text, height, index + 1)
                finally:
                    textpage.close()
                ordered, page_columns = order_page(raw_lines, width)
                columns = max(columns, page_columns)
                lines.extend(ordered)
                if index < _LINK_PAGES:
                    links.extend(_links(pdf, page))
            finally:
                page.close()
    finally:
        pdf.close()
    if not any(line.text.strip() for line in lines):
        raise NoTextLayerError("no text layer; OCR is not enabled")
    return Document(format="pdf", pages=page_count, lines=lines, columns=columns, links=links)
