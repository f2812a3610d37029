"""A column made only of margin notes (headings, dates, web addresses) is read in rows."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cvlens.analysis.document import Document, Line
from cvlens.analysis.parse import parse_resume
from cvlens.analysis.parse.margins import read_margins_in_rows


def _at(text: str, y: float, x0: float, column: int, *, size: float = 14.0) -> Line:
    x1 = min(560.0, x0 + 6.5 * len(text))
    return Line(text=text, x0=x0, x1=x1, y0=y - size, y1=y, font_size=size, column=column)


def test_headings_in_a_left_gutter_stay_beside_their_sections() -> None:
    """The extractor read the gutter of headings as a side bar, before the whole page."""
    lines = [
        _at("Education", 107, 84, 0, size=27),
        _at("Languages", 470, 73, 0, size=27),
        _at("Led the weekly coaching sessions for new staff", 41, 206, 1),
        _at("Harbour Technical University", 104, 196, 1, size=22),
        _at("Bachelor in Software Development", 121, 196, 1),
        _at("Jan 2010 – Jan 2014", 137, 196, 1),
        _at("Lakeside University", 176, 196, 1, size=22),
        _at("Master in Marketing", 193, 196, 1),
        _at("Jan 2014 – Jan 2016", 209, 196, 1),
        _at("English", 467, 196, 1, size=22),
        _at("Native speaker", 484, 196, 1),
    ]
    resume = parse_resume(Document(format="pdf", lines=lines, columns=2))
    assert [(e.institution, e.startDate) for e in resume.education] == [
        ("Harbour Technical University", "2010-01"),
        ("Lakeside University", "2014-01"),
    ]
    assert [lang.language for lang in resume.languages] == ["English"]


def test_right_hand_dates_and_addresses_are_read_beside_their_entries() -> None:
    lines = [
        _at("Front End Developer", 41, 50, 0),
        _at("Kept the design system in one place", 62, 80, 0),
        _at("Full Stack Developer", 202, 50, 0),
        _at("Wrote the billing service", 222, 80, 0),
        _at("Moved reports to a queue", 242, 80, 0),
        _at("https://tailspin.example/ (https://tailspin.example/)", 41, 330, 1),
        _at("2018-10-30 — 2019-04-29", 179, 438, 1),
        _at("https://fabrikam.example/ (https://fabrikam.example/)", 202, 330, 1),
    ]
    ordered = [ln.text for ln in read_margins_in_rows(lines)]
    assert ordered[:3] == [
        "Front End Developer",
        "https://tailspin.example/ (https://tailspin.example/)",
        "Kept the design system in one place",
    ]
    assert ordered[3:5] == ["2018-10-30 — 2019-04-29", "Full Stack Developer"]
    assert all(ln.column == 0 for ln in read_margins_in_rows(lines))


def test_a_real_side_bar_keeps_its_column_order() -> None:
    lines = [
        _at("Contact", 40, 40, 0, size=18),
        _at("ada@example.com", 60, 40, 0),
        _at("Skills", 100, 40, 0, size=18),
        _at("Python", 120, 40, 0),
        _at("Experience", 40, 200, 1, size=18),
        _at("Engineer at Northwind", 60, 200, 1),
        _at("2019 – 2021", 80, 200, 1),
        _at("Built the data pipeline", 100, 220, 1),
    ]
    assert read_margins_in_rows(lines) == lines


def test_a_side_bar_of_web_addresses_only_keeps_its_column_order() -> None:
    lines = [
        _at("https://linkedin.com/in/ada", 40, 40, 0),
        _at("https://github.com/ada", 60, 40, 0),
        _at("Experience", 40, 260, 1, size=18),
        _at("Engineer at Northwind", 60, 260, 1),
        _at("2019 – 2021", 80, 260, 1),
        _at("Built the data pipeline", 100, 280, 1),
    ]
    assert read_margins_in_rows(lines) == lines


_NOTE_OR_TEXT = st.sampled_from(
    ["Education", "Skills", "2018-10-30 — 2019-04-29", "Jan 2010 – Jan 2014",
     "https://tailspin.example/", "Harbour Technical University", "Wrote the billing service"]
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            _NOTE_OR_TEXT,
            st.floats(min_value=0, max_value=800, allow_nan=False),
            st.floats(min_value=0, max_value=500, allow_nan=False),
            st.integers(min_value=0, max_value=1),
            st.integers(min_value=1, max_value=2),
        ),
        max_size=30,
    )
)
def test_reading_in_rows_keeps_every_line(rows: list[tuple[str, float, float, int, int]]) -> None:
    lines = sorted(
        (
            _at(text, y, x0, column).model_copy(update={"page": page})
            for text, y, x0, column, page in rows
        ),
        key=lambda ln: ln.page,
    )
    out = read_margins_in_rows(lines)
    assert sorted((ln.page, ln.text, ln.y1) for ln in out) == sorted(
        (ln.page, ln.text, ln.y1) for ln in lines
    )
    assert [ln.page for ln in out] == sorted(ln.page for ln in out)


def test_a_gutter_heading_beside_the_middle_of_its_block_heads_the_whole_block() -> None:
    """Headings centred on their block; an empty section's heading stacked under the one
    before it, beside the same block."""
    lines = [
        _at("Contact", 142, 62, 0, size=12),
        _at("Professional Skills", 267, 62, 0, size=12),
        _at("Summary", 282, 62, 0, size=12),
        _at("Work Experience", 353, 62, 0, size=12),
        _at("2017-05-01 to Present", 370, 62, 0, size=10),
        _at("Email", 141, 218, 1, size=12),
        _at("dana@example.org", 141, 368, 1, size=12),
        _at("Languages: Python, Go, Rust, TypeScript", 231, 217, 1, size=12),
        _at("Databases: PostgreSQL, Redis", 246, 217, 1, size=12),
        _at("Cloud: AWS, Terraform", 261, 217, 1, size=12),
        _at("Observability: Prometheus, Grafana", 276, 217, 1, size=12),
        _at("Tools: Docker, Kubernetes", 291, 217, 1, size=12),
        _at("Messaging: Kafka, RabbitMQ", 306, 217, 1, size=12),
        _at("Testing: pytest, Hypothesis", 321, 217, 1, size=12),
        _at("Platform Engineer at Northwind", 353, 217, 1, size=12),
        _at("Kept the build fleet running and wrote the runbooks.", 368, 241, 1, size=12),
    ]
    resume = parse_resume(Document(format="pdf", lines=lines, columns=2))
    assert [s.name for s in resume.skills] == [
        "Languages", "Databases", "Cloud", "Observability", "Tools", "Messaging", "Testing"
    ]  # fmt: skip
    assert [(w.name, w.position) for w in resume.work] == [("Northwind", "Platform Engineer")]


def test_a_gutter_of_headings_and_dates_with_an_awards_title_is_still_a_margin() -> None:
    gutter = [
        _at("Contact", 133, 62, 0, size=12),
        _at("Work Experience", 306, 62, 0, size=12),
        _at("2013-12-01 to 2014-12-01", 323, 62, 0, size=10),
        _at("Education", 435, 62, 0, size=12),
        _at("2011-06-01 to 2014-01-01", 452, 62, 0, size=10),
        _at("Awards", 592, 62, 0, size=12),
        _at("Coastal Pioneer Award", 609, 62, 0, size=7),
        _at("2014-11-01", 633, 62, 0, size=10),
    ]
    content = [
        _at("Dana Whitfield", 64, 253, 1, size=22.5),
        _at("Site Reliability Engineer", 78, 290, 1, size=12),
        _at("dana@example.org", 133, 368, 1, size=12),
        _at("Platform Engineer at Northwind", 306, 217, 1, size=12),
        _at("Kept the build fleet running and wrote the runbooks.", 323, 241, 1, size=12),
        _at("Moved the release train from weekly to daily deploys.", 338, 241, 1, size=12),
        _at("Cut the paging noise by half in one quarter.", 353, 241, 1, size=12),
        _at("Harbour Technical University", 435, 217, 1, size=12),
        _at("Bachelor in Software Development", 452, 217, 1, size=12),
        _at("Coastal Pioneer Award from the Harbour Guild", 609, 217, 1, size=12),
    ]
    resume = parse_resume(Document(format="pdf", lines=gutter + content, columns=2))
    assert (resume.basics.name, resume.basics.label) == (
        "Dana Whitfield",
        "Site Reliability Engineer",
    )
    assert [(w.name, w.position) for w in resume.work] == [("Northwind", "Platform Engineer")]
