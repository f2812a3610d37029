"""The fast page text (one buffer call, repaired) equals pdfium's char list, char by char."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from cvlens.analysis.extract.pdf_lines import page_text


def _minimal_pdf(content: bytes) -> bytes:
    """A one-page PDF showing `content` (a content stream) in Helvetica, with no ToUnicode."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


def _texts(data: bytes) -> list[tuple[str, str, int]]:
    """(fast text, text read char by char, char count) of every page."""
    pdf = pdfium.PdfDocument(data)
    try:
        found = []
        for index in range(len(pdf)):
            textpage = pdf[index].get_textpage()
            count = textpage.count_chars()
            slow = "".join(
                chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i) or 32) for i in range(count)
            )
            found.append((page_text(textpage, count), slow, count))
        return found
    finally:
        pdf.close()


def test_characters_missing_from_the_text_buffer_are_put_back_in_place() -> None:
    # \000 has no Unicode value and \002 is a control character: pdfium's text buffer
    # leaves both out, its char list keeps them (and their boxes) at their own indices;
    # here also as the first and the last character of the page.
    data = _minimal_pdf(
        b"BT /F1 12 Tf 72 720 Td (\\000Skills \\001\\001 Python) Tj"
        b" 0 -20 Td (Go\\002lang \\000 Rust) Tj 0 -20 Td (\\000Lead and tail\\000) Tj ET"
    )
    [(fast, slow, count)] = _texts(data)
    assert "Go\x02lang" in fast
    assert len(fast) == count
    assert fast == slow


@pytest.mark.parametrize("name", ["jane_doe.pdf", "sam_rivera_two_column.pdf"])
def test_complete_text_buffer_is_used_as_is(fixtures: Path, name: str) -> None:
    for fast, slow, count in _texts((fixtures / "resumes" / name).read_bytes()):
        assert len(fast) == count
        assert fast == slow


def test_a_hyphen_at_a_line_end_is_kept_as_printed() -> None:
    # pdfium joins "MLS-" / "specific" and marks the hyphen (U+FFFE in its buffer, U+0002
    # in its char list); the text keeps the printed "-", never a non-character
    data = _minimal_pdf(
        b"BT /F1 11 Tf 72 720 Td (Built the MLS-) Tj 0 -14 Td (specific search) Tj ET"
    )
    [(fast, slow, count)] = _texts(data)
    assert "MLS-specific" in fast
    assert "\ufffe" not in fast and "\x02" not in fast
    assert len(fast) == count
    assert fast == slow.replace("\x02", "-")
