from __future__ import annotations

from pathlib import Path

from cvlens.analysis.extract import extract_document, sniff_format


def test_docx_keeps_styles_bold_lists_and_tables(fixtures: Path) -> None:
    doc = extract_document((fixtures / "resumes" / "jane_doe.docx").read_bytes(), "cv.docx")
    assert doc.format == "docx"
    by_text = {line.text: line for line in doc.lines}
    assert by_text["Jane Doe"].style == "Title"
    assert by_text["Experience"].style == "Heading 1"
    assert by_text["Senior Backend Engineer, Acme Payments Inc."].bold
    assert by_text["Led a team of 5 engineers that migrated 120 services to Kubernetes"].bullet
    assert by_text["jane.doe@example.com"].in_table
    assert doc.tables == 1
    assert not by_text["Summary"].in_table


def test_markdown_headings_and_bullets(fixtures: Path) -> None:
    doc = extract_document((fixtures / "resumes" / "jane_doe.md").read_bytes(), "cv.md")
    assert doc.format == "md"
    heading = next(line for line in doc.lines if line.text == "Experience")
    assert heading.bold and heading.style == "Heading 2"
    bullet = next(line for line in doc.lines if line.text.startswith("Cut p99"))
    assert bullet.bullet


def test_plain_text_is_utf8_text(fixtures: Path) -> None:
    data = (fixtures / "resumes" / "jane_doe.txt").read_bytes()
    doc = extract_document(data, "cv.txt")
    assert doc.format == "txt"
    assert doc.lines[0].text == "Jane Doe"
    assert "https://www.linkedin.com/in/janedoe" in doc.links
    assert extract_document("Zoë Ünal\n".encode(), None).lines[0].text == "Zoë Ünal"


def test_type_comes_from_content_not_name(fixtures: Path) -> None:
    pdf = (fixtures / "resumes" / "jane_doe.pdf").read_bytes()
    assert sniff_format(pdf, "resume.txt") == "pdf"
    docx = (fixtures / "resumes" / "jane_doe.docx").read_bytes()
    assert sniff_format(docx, "resume.pdf") == "docx"
    assert sniff_format(b"# Jane", "cv.md") == "md"
    assert sniff_format(b"# Jane", None) == "txt"
