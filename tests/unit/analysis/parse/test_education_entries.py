"""Education entries: the degree set on its own line, in either layout."""

from __future__ import annotations

from cvlens.analysis.document import Line
from cvlens.analysis.parse.sections import parse_education


def _at(text: str, y: float, *, x0: float = 50.0, bold: bool = False, size: float = 14.0) -> Line:
    x1 = min(560.0, x0 + 6.5 * len(text))
    return Line(text=text, x0=x0, x1=x1, y0=y - size, y1=y, font_size=size, bold=bold)


def test_degree_and_field_set_as_indented_items_under_the_school() -> None:
    lines = [
        _at("Lakeside University", 79, bold=True, size=18),
        _at("September 2009 — April 2014", 78, x0=421),
        _at("Computer Science Honours", 100, x0=62, bold=True),
        _at("Bachelor", 115, x0=69),
        _at("Harbour College", 160, bold=True, size=18),
        _at("2015 — 2017", 160, x0=498),
        _at("Marketing and Management", 182, x0=62, bold=True),
        _at("Masters", 197, x0=69),
    ]
    education = parse_education(lines)
    assert [(e.institution, e.area, e.studyType, e.courses) for e in education] == [
        ("Lakeside University", "Computer Science Honours", "Bachelor", []),
        ("Harbour College", "Marketing and Management", "Masters", []),
    ]


def test_lone_degree_line_after_school_field_and_dates_belongs_to_that_school() -> None:
    lines = [
        Line(
            text="Central Polytechnic  2010-08-01 — 2017-08-01",
            font_size=11.0,
            bold=True,
            style="Heading 4",
        ),
        Line(text="Chemical Eng.", font_size=11.0, style="First Paragraph"),
        Line(text="BSc.", font_size=11.0, style="Body Text"),
    ]
    education = parse_education(lines)
    assert [(e.institution, e.area, e.studyType, e.startDate) for e in education] == [
        ("Central Polytechnic", "Chemical Eng.", "BSc", "2010-08")
    ]


def test_longest_line_of_a_short_section_is_not_taken_for_running_text() -> None:
    """Nothing in the section wraps, so its longest line does not mark a text width."""
    lines = [
        _at("University of Lakeside", 286, x0=53, bold=True),
        _at("Master's Degree Software Science and Engineering (SIL)", 296, x0=53, size=12),
        _at("Work-study program (alternance)", 313, x0=72, size=11),
        _at("University of Lakeside", 336, x0=53, bold=True),
        _at("Bachelor's Degree Computer Science", 346, x0=53, size=12),
    ]
    education = parse_education(lines)
    assert [(e.studyType, e.area) for e in education] == [
        ("Master's Degree", "Software Science and Engineering (SIL)"),
        ("Bachelor's Degree", "Computer Science"),
    ]
