"""ATS readiness: text layer, columns, tables, images, headings, length."""

from __future__ import annotations

from cvlens.analysis.document import Document, Line
from cvlens.analysis.review import review_resume

from .builders import document_from, good_document_lines, good_resume


def _ats(document: Document) -> tuple[int, dict[str, str]]:
    review = review_resume(good_resume(), document)
    ats = next(d for d in review.dimensions if d.name == "ats")
    return ats.score, {f.id: f.severity for f in review.findings if f.dimension == "ats"}


def test_missing_text_layer_is_critical() -> None:
    score, found = _ats(document_from([], has_text_layer=False))

    assert found["ats.no_text_layer"] == "critical"
    assert score < 50


def test_columns_tables_and_images_each_cost_points() -> None:
    clean, _ = _ats(document_from(good_document_lines()))
    score, found = _ats(document_from(good_document_lines(), columns=2, tables=1, images=2))

    assert {"ats.columns", "ats.tables", "ats.images"} <= set(found)
    assert score < clean


def test_column_finding_quotes_a_line_of_the_second_column() -> None:
    lines = [Line(text=t, font_size=10) for t in good_document_lines()]
    lines.append(Line(text="Skills sidebar: Python, Go", column=1, font_size=10))
    review = review_resume(good_resume(), Document(format="pdf", lines=lines, columns=2))

    finding = next(f for f in review.findings if f.id == "ats.columns")

    assert finding.evidence.line == "Skills sidebar: Python, Go"


def test_nonstandard_heading_is_flagged_and_standard_ones_are_not() -> None:
    _, found = _ats(document_from(good_document_lines()))
    review = review_resume(good_resume(), document_from(good_document_lines()))

    assert found["ats.nonstandard_heading"] == "warning"
    flagged = [f.evidence.line for f in review.findings if f.id == "ats.nonstandard_heading"]
    assert flagged == ["ADDITIONAL INFORMATION"]


def test_no_standard_heading_at_all_is_a_warning() -> None:
    _, found = _ats(document_from(["Ada", "Did things for 10 years. " * 40]))

    assert found["ats.no_standard_headings"] == "warning"


def test_docx_heading_style_marks_a_heading() -> None:
    lines = [Line(text=t, font_size=10) for t in good_document_lines()]
    lines.append(Line(text="Where I Have Been", style="Heading 1", font_size=10))
    review = review_resume(good_resume(), Document(format="docx", lines=lines))

    flagged = [f.evidence.line for f in review.findings if f.id == "ats.nonstandard_heading"]

    assert "Where I Have Been" in flagged


def test_too_short_and_too_many_pages() -> None:
    _, short = _ats(document_from(["EXPERIENCE", "Engineer"]))
    _, long = _ats(document_from(good_document_lines(), pages=5))

    assert short["ats.too_short"] == "warning"
    assert long["ats.too_many_pages"] == "critical"


def test_labels_repeated_under_each_entry_are_not_headings() -> None:
    lines = [*good_document_lines(), "HIGHLIGHTS", "Did a thing", "HIGHLIGHTS", "Did another"]

    _, found = _ats(document_from(lines))
    review = review_resume(good_resume(), document_from(lines))

    flagged = [f.evidence.line for f in review.findings if f.id == "ats.nonstandard_heading"]
    assert "HIGHLIGHTS" not in flagged
    assert found["ats.nonstandard_heading"] == "warning"  # ADDITIONAL INFORMATION still is


def test_a_line_set_like_a_heading_but_without_the_space_above_is_a_label() -> None:
    def line(text: str, y: float, gap_before: float = 2.0) -> Line:
        return Line(text=text, y0=y + gap_before, y1=y + gap_before + 10, font_size=12, bold=True)

    lines = [
        line("EXPERIENCE", 100, gap_before=20),
        Line(text="Engineer at Acme, 2019 - 2021", y0=124, y1=134, font_size=10),
        line("TOOLING", 134),
        Line(text="Bazel and Buildkite, 40% faster builds", y0=148, y1=158, font_size=10),
        line("EDUCATION", 158, gap_before=20),
        line("SIDE QUESTS", 200, gap_before=20),
    ]
    review = review_resume(good_resume(), Document(format="pdf", lines=lines))

    flagged = [f.evidence.line for f in review.findings if f.id == "ats.nonstandard_heading"]

    assert flagged == ["SIDE QUESTS"]


def test_page_count_is_not_judged_for_text_files() -> None:
    _, found = _ats(document_from(good_document_lines(), pages=5, format="txt"))

    assert "ats.too_many_pages" not in found
