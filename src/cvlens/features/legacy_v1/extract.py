"""Text extraction exactly as legacy did it (TXT/MD as UTF-8, PDF via pypdfium2, DOCX)."""

from __future__ import annotations

import io
from pathlib import PurePath

ALLOWED_SUFFIXES = frozenset({".txt", ".md", ".pdf", ".docx"})


class ExtractionError(ValueError):
    """The file could not be read as the type its name claims."""


def suffix_of(filename: str) -> str:
    return PurePath(filename).suffix.lower()


def extract_text(filename: str, content: bytes) -> str:
    """Plain text of `content`, chosen by the file name's suffix."""
    suffix = suffix_of(filename)
    try:
        if suffix in (".txt", ".md"):
            return content.decode("utf-8")
        if suffix == ".pdf":
            return _pdf_text(content)
        if suffix == ".docx":
            return _docx_text(content)
    except ExtractionError:
        raise
    except Exception as exc:  # every parser has its own error types; all mean "unreadable"
        raise ExtractionError(f"could not read {suffix[1:]} file") from exc
    raise ExtractionError(f"unsupported file type: {suffix or 'none'}")


def _pdf_text(content: bytes) -> str:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(content)
    try:
        pages = []
        for page in pdf:
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return "\n".join(pages).replace("\r\n", "\n")
    finally:
        pdf.close()


def _docx_text(content: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(content))
    return "\n".join(paragraph.text for paragraph in document.paragraphs)
