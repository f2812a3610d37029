from __future__ import annotations

from pathlib import Path

from cvlens.analysis.extract import extract_document


def _doc(fixtures: Path, name: str):  # type: ignore[no-untyped-def]
    path = fixtures / "resumes" / name
    return extract_document(path.read_bytes(), path.name)


def test_two_page_pdf_keeps_pages_fonts_and_links(fixtures: Path) -> None:
    doc = _doc(fixtures, "jane_doe.pdf")
    assert doc.format == "pdf"
    assert doc.pages == 2
    assert doc.has_text_layer
    name = doc.lines[0]
    assert name.text == "Jane Doe"
    assert name.bold
    assert name.font_size == max(line.font_size for line in doc.lines)
    assert {line.page for line in doc.lines} == {1, 2}
    education = next(line for line in doc.lines if line.text == "EDUCATION")
    assert education.page == 2
    assert "https://github.com/janedoe" in doc.links


def test_pdf_spans_carry_style_and_position(fixtures: Path) -> None:
    doc = _doc(fixtures, "jane_doe.pdf")
    company = next(line for line in doc.lines if line.text == "Acme Payments Inc.")
    assert company.italic
    assert not company.bold
    assert company.spans and company.spans[0].x0 > 0
    title = next(line for line in doc.lines if line.text.startswith("Senior Backend Engineer"))
    assert title.y0 < company.y0  # top-left origin: the title is above the company line


def test_pdf_bullets_are_flagged_and_glyph_stripped(fixtures: Path) -> None:
    doc = _doc(fixtures, "jane_doe.pdf")
    bullets = [line for line in doc.lines if line.bullet]
    assert any(line.text.startswith("Cut p99 checkout latency") for line in bullets)
    assert not any(line.text.startswith("-") for line in bullets)


def test_right_aligned_date_is_read_on_its_row(fixtures: Path) -> None:
    doc = _doc(fixtures, "jane_doe.pdf")
    texts = [line.text for line in doc.lines]
    title = texts.index("Senior Backend Engineer", texts.index("EXPERIENCE"))
    assert texts[title + 1] == "Mar 2021 - Present"


def test_two_column_layout_reads_side_bar_then_main_column(fixtures: Path) -> None:
    doc = _doc(fixtures, "sam_rivera_two_column.pdf")
    assert doc.columns == 2
    texts = [line.text for line in doc.lines]
    assert texts[:2] == ["Sam Rivera", "Data Scientist"]
    side = ["CONTACT", "SKILLS", "Machine Learning", "scikit-learn", "LANGUAGES"]
    main = ["EXPERIENCE", "Data Scientist", "EDUCATION", "University of Manchester"]
    positions = [texts.index(t, 2) for t in side + main]
    assert positions == sorted(positions)
    assert {doc.lines[texts.index(t, 2)].column for t in side} == {0}
    assert {doc.lines[texts.index(t, 2)].column for t in main} == {1}


def test_pdf_lines_and_spans_are_what_validation_makes(fixtures: Path) -> None:
    """Lines and Spans are built without validation: same JSON (field order, types), same
    fields set, as the models validated from their own data."""
    for name in ("jane_doe.pdf", "sam_rivera_two_column.pdf"):
        for line in _doc(fixtures, name).lines:
            for model in (line, *line.spans):
                twin = type(model).model_validate(model.model_dump())
                assert model.model_dump_json() == twin.model_dump_json()
                assert model.model_fields_set == twin.model_fields_set
                assert model == twin
