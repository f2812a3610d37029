"""Bytes of an uploaded file → :class:`Document`, the layout-aware text every later stage reads.

The type is sniffed from magic bytes, never trusted from the file name: `%PDF` is a PDF, a
ZIP holding `word/document.xml` is a DOCX, anything else must decode as UTF-8 text (a `.md`
name makes it Markdown). Every refusal is one of the typed errors in `analysis.errors`.
"""

from __future__ import annotations

import io
import zipfile

from cvlens.analysis.document import Document
from cvlens.analysis.errors import EmptyFileError, UnsupportedFormatError
from cvlens.analysis.extract.pdf import extract_pdf
from cvlens.analysis.extract.text import extract_text

__all__ = ["extract_document", "sniff_format"]

_ZIP_MAGIC = b"PK\x03\x04"
_BINARY_MAGIC = (
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"II*\x00",
    b"MM\x00*",
    b"\xd0\xcf\x11\xe0",  # legacy .doc (OLE)
    b"{\\rtf",
    b"\x1f\x8b",
    b"7z\xbc\xaf",
    b"Rar!",
)


def sniff_format(data: bytes, filename: str | None = None) -> str:
    """Return "pdf", "docx", "md" or "txt" from the content; raise for anything else."""
    if not data.strip():
        raise EmptyFileError("the file is empty")
    head = data[:1024]
    if b"%PDF" in head:
        return "pdf"
    if data.startswith(_ZIP_MAGIC):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return "docx"  # a ZIP header with a broken body: let the DOCX reader name it corrupt
        if "word/document.xml" in names:
            return "docx"
        raise UnsupportedFormatError("unsupported file type: a ZIP archive that is not a DOCX")
    if data.startswith(_BINARY_MAGIC) or b"\x00" in head:
        raise UnsupportedFormatError("unsupported file type: only PDF, DOCX, TXT and MD are read")
    if filename and filename.lower().endswith((".md", ".markdown")):
        return "md"
    return "txt"


def extract_document(
    data: bytes,
    filename: str | None = None,
    *,
    max_pages: int = 20,
    max_uncompressed_bytes: int = 50_000_000,
) -> Document:
    """Extract the lines of a résumé with their layout, refusing bad input with a typed error."""
    kind = sniff_format(data, filename)
    if kind == "pdf":
        return extract_pdf(data, max_pages=max_pages)
    if kind == "docx":
        # python-docx (and lxml) cost ~0.3 s to import; PDF and text callers never pay it
        from cvlens.analysis.extract.docx import extract_docx

        return extract_docx(
            data, max_pages=max_pages, max_uncompressed_bytes=max_uncompressed_bytes
        )
    return extract_text(data, markdown=kind == "md", max_pages=max_pages)
