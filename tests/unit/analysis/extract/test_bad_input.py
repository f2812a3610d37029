"""Every kind of bad input is refused with its typed error and a plain message."""

from __future__ import annotations

from pathlib import Path

import pytest

from cvlens.analysis.errors import (
    AnalysisError,
    CorruptFileError,
    EmptyFileError,
    EncryptedFileError,
    FileTooLargeError,
    NoTextLayerError,
    TooManyPagesError,
    UnsupportedFormatError,
)
from cvlens.analysis.extract import extract_document


@pytest.mark.parametrize(
    ("name", "error", "words"),
    [
        ("empty.pdf", EmptyFileError, "empty"),
        ("truncated.pdf", CorruptFileError, "truncated"),
        ("encrypted.pdf", EncryptedFileError, "password"),
        ("image_only.pdf", NoTextLayerError, "no text layer; OCR is not enabled"),
        ("zip_bomb.docx", FileTooLargeError, "expand"),
        ("picture.png", UnsupportedFormatError, "unsupported"),
        ("zip_named.pdf", UnsupportedFormatError, "not a DOCX"),
        ("truncated.docx", CorruptFileError, "corrupt"),
    ],
)
def test_bad_fixture_raises_typed_error(
    fixtures: Path, name: str, error: type[AnalysisError], words: str
) -> None:
    data = (fixtures / "bad" / name).read_bytes()
    with pytest.raises(error) as caught:
        extract_document(data, name)
    assert words in str(caught.value)
    assert caught.value.code == error.code


def test_whitespace_only_text_is_empty() -> None:
    with pytest.raises(EmptyFileError):
        extract_document(b"  \n\t\n", "cv.txt")


def test_page_cap_applies_to_pdf_docx_and_text(fixtures: Path) -> None:
    pdf = (fixtures / "resumes" / "jane_doe.pdf").read_bytes()
    with pytest.raises(TooManyPagesError, match="2 pages"):
        extract_document(pdf, "cv.pdf", max_pages=1)
    with pytest.raises(TooManyPagesError):
        extract_document(b"line\n" * 5000, "cv.txt", max_pages=3)


def test_zip_bomb_cap_is_configurable(fixtures: Path) -> None:
    docx = (fixtures / "resumes" / "jane_doe.docx").read_bytes()
    with pytest.raises(FileTooLargeError):
        extract_document(docx, "cv.docx", max_uncompressed_bytes=10_000)
    assert extract_document(docx, "cv.docx").lines


def test_binary_garbage_and_non_utf8_text_are_unsupported() -> None:
    with pytest.raises(UnsupportedFormatError):
        extract_document(b"\x00\x01\x02binary", None)
    with pytest.raises(UnsupportedFormatError):
        extract_document("café".encode("latin-1") + b"\xff\xfe\xfa", "cv.txt")


def test_garbage_after_pdf_magic_is_corrupt() -> None:
    with pytest.raises(CorruptFileError):
        extract_document(b"%PDF-1.7\n this is not a pdf\n%%EOF\n", "cv.pdf")


def test_huge_text_is_refused_and_long_lines_are_capped() -> None:
    with pytest.raises(FileTooLargeError):
        extract_document(b"word " * 300_000, "cv.txt")
    doc = extract_document(b"x" * 50_000 + b"\nJane", "cv.txt")
    assert len(doc.lines[0].text) <= 2_000
    assert doc.lines[1].text == "Jane"
