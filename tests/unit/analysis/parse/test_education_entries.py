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


def test_field_under_a_school_dates_and_a_bare_degree_belongs_to_that_school() -> None:
    lines = [
        _at("Lakeside University", 300, bold=True, size=16),
        _at("2021 - 2023", 316, bold=True, size=13),
        _at("Master's Degree", 341, size=13),
        _at("Marine Biology", 356, bold=True, size=13),
        _at("Work-study programme", 382, x0=57, size=11.7),
        _at("Harbour College", 440, bold=True, size=16),
        _at("2018 - 2021", 456, bold=True, size=13),
        _at("Bachelor's Degree", 472, size=13),
        _at("Oceanography", 488, bold=True, size=13),
        _at("General curriculum", 513, x0=57, size=11.7),
    ]
    education = parse_education(lines)
    assert [(e.institution, e.studyType, e.area) for e in education] == [
        ("Lakeside University", "Master's Degree", "Marine Biology"),
        ("Harbour College", "Bachelor's Degree", "Oceanography"),
    ]


def test_start_and_end_years_stacked_in_a_column_are_one_range() -> None:
    lines = [
        _at("2018", 59, bold=True),
        _at("2021", 72, bold=True),
        _at("Harbour College", 103, bold=True, size=18),
        _at("Bachelor's Degree", 121),
        _at("2014", 160, bold=True),
        _at("2018", 173, bold=True),
        _at("Lakeside University", 204, bold=True, size=18),
        _at("Diploma", 222),
    ]
    education = parse_education(lines)
    assert [(e.institution, e.startDate, e.endDate) for e in education] == [
        ("Harbour College", "2018", "2021"),
        ("Lakeside University", "2014", "2018"),
    ]


def test_field_at_school_names_the_school_after_at() -> None:
    lines = [
        _at("Data Engineering at Harbour Works", 72, bold=True, size=16),
        _at("Apr 2017 - Sept 2018", 72, x0=474, size=13),
        _at("Major courses: SQL · Spark · Airflow · Kafka · Flink", 92, size=13),
        Line(  # ten tokens, nine words: the dash separates two names
            text="BSc. Marine Eng. at Lakeside - Institute of Coastal Technology",
            x0=50.0,
            x1=390.0,
            y0=119.0,
            y1=135.0,
            font_size=16.0,
        ),
        _at("Oct 2013 - Oct 2017", 134, x0=479, size=13),
    ]
    education = parse_education(lines)
    assert [(e.institution, e.studyType, e.area, e.startDate) for e in education] == [
        ("Harbour Works", None, "Data Engineering", "2017-04"),
        ("Lakeside - Institute of Coastal Technology", "BSc", "Marine Eng.", "2013-10"),
    ]


def test_field_under_a_dated_provider_and_a_bare_certificate_belongs_to_it() -> None:
    lines = [
        _at("Harbour Works", 300, bold=True, size=16),
        _at("2016 - 2017", 316, bold=True, size=13),
        _at("Certificate of Completion", 341, size=13),
        _at("Front-End Development and Quality Assurance", 356, bold=True, size=13),
        _at("Twelve months of evening classes", 382, x0=57, size=11.7),
    ]
    education = parse_education(lines)
    assert [(e.institution, e.studyType, e.area) for e in education] == [
        (
            "Harbour Works",
            "Certificate of Completion",
            "Front-End Development and Quality Assurance",
        )
    ]


def test_schools_set_as_cards_side_by_side_are_read_card_by_card() -> None:
    lines = [
        _at("Lakeside University", 72, bold=True),
        _at("Harbour College", 72, x0=308, bold=True),
        _at("Sep 2021 - Jul 2023", 88, size=12),
        _at("Sep 2018 - Jul 2021", 88, x0=308, size=12),
        _at("Master's Degree - Marine Biology", 100, size=12),
        _at("Bachelor's Degree - Oceanography", 100, x0=308, size=12),
    ]
    education = parse_education(lines)
    assert [(e.institution, e.studyType, e.area, e.startDate) for e in education] == [
        ("Lakeside University", "Master's Degree", "Marine Biology", "2021-09"),
        ("Harbour College", "Bachelor's Degree", "Oceanography", "2018-09"),
    ]


def test_dates_flush_right_beside_each_school_are_not_a_second_column_of_cards() -> None:
    lines = [
        _at("Lakeside University", 72, bold=True),
        _at("Sep 2021 - Jul 2023", 72, x0=440, size=12),
        _at("Master's Degree - Marine Biology", 88, size=12),
        _at("Harbour College", 120, bold=True),
        _at("Sep 2018 - Jul 2021", 120, x0=440, size=12),
        _at("Bachelor's Degree - Oceanography", 136, size=12),
    ]
    education = parse_education(lines)
    assert [(e.institution, e.startDate) for e in education] == [
        ("Lakeside University", "2021-09"),
        ("Harbour College", "2018-09"),
    ]
