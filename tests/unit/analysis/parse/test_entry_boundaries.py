"""Where one work entry ends and the next begins: style cues, repeated headers."""

from __future__ import annotations

from cvlens.analysis.document import Line
from cvlens.analysis.parse.sections import parse_education, parse_work


def _para(text: str, *, style: str = "Body Text", bold: bool = False, bullet: bool = False) -> Line:
    """A DOCX paragraph: no positions, a paragraph style."""
    return Line(text=text, font_size=11.0, bold=bold, style=style, bullet=bullet)


def test_heading_styled_role_opening_in_lower_case_is_not_a_wrapped_bullet() -> None:
    lines = [
        _para("Android Engineer", style="Heading 5", bold=True),
        _para("Sep 2010 – May 2011", style="First Paragraph"),
        _para("Shipped a ticketing app for a regional rail operator", style="Normal", bullet=True),
        _para("iOS Engineer, Co-founder", style="Heading 5", bold=True),
        _para("May 2011 – Jun 2012", style="First Paragraph"),
        _para("Built a menu app for cafés and restaurants", style="Normal", bullet=True),
    ]
    work = parse_work(lines)
    assert [(w.position, w.startDate) for w in work] == [
        ("Android Engineer", "2010-09"),
        ("iOS Engineer, Co-founder", "2011-05"),
    ]
    assert work[0].highlights == ["Shipped a ticketing app for a regional rail operator"]


def test_lower_case_line_in_the_bullet_style_still_continues_the_bullet() -> None:
    lines = [
        _para("Android Engineer", style="Heading 5", bold=True),
        _para("Sep 2010 – May 2011", style="First Paragraph"),
        _para("Shipped a ticketing app for", style="Normal", bullet=True),
        _para("iOS and Android devices", style="Normal"),
    ]
    work = parse_work(lines)
    assert work[0].highlights == ["Shipped a ticketing app for iOS and Android devices"]


def _at(text: str, y: float, *, page: int = 1, x0: float = 50.0, bold: bool = False) -> Line:
    """A positioned PDF line, 14 pt."""
    x1 = min(560.0, x0 + 6.5 * len(text))
    return Line(text=text, page=page, x0=x0, x1=x1, y0=y - 14, y1=y, font_size=14.0, bold=bold)


def test_header_row_printed_again_after_a_page_break_is_one_entry() -> None:
    lines = [
        _at("Kindle Works", 740, bold=True),
        _at("2016-02-28 — 2017-11-30", 740, x0=438),
        _at("Kindle Works", 30, page=2, bold=True),
        _at("2016 02 28", 30, page=2, x0=438),
        _at("2017 11 30", 30, page=2, x0=508),
        _at("Senior Front-end Engineer", 52, page=2, bold=True),
        _at("Moved the storefront from one framework to another over a year.", 75, page=2),
    ]
    work = parse_work(lines)
    assert [(w.name, w.position, w.startDate, w.endDate) for w in work] == [
        ("Kindle Works", "Senior Front-end Engineer", "2016-02", "2017-11")
    ]


def test_summary_that_repeats_the_role_is_not_a_second_entry() -> None:
    lines = [
        _para("2018-10-30 — 2019-04-29", style="Heading 4", bold=True),
        _para("https://www.northwind.example/", style="First Paragraph"),
        _para("Full Stack Developer"),
        _para("Full Stack Developer"),
        _para("Highlights", style="Heading 4", bold=True),
        _para("Angular", style="Compact", bullet=True),
    ]
    work = parse_work(lines)
    assert [(w.name, w.position, w.startDate) for w in work] == [
        ("northwind.example", "Full Stack Developer", "2018-10")
    ]
    assert work[0].summary == "Full Stack Developer"
    assert work[0].highlights == ["Angular"]


def test_employer_named_again_after_a_role_opens_the_next_entry() -> None:
    lines = [
        _at("Compass Point", 70, bold=True),
        Line(text="Staff Engineer", x0=50, x1=150, y0=72, y1=82, font_size=12.0),
        _at("Compass Point", 104, bold=True),
        Line(text="Senior Engineer", x0=50, x1=160, y0=106, y1=116, font_size=12.0),
        Line(
            text="Led the search rewrite for agents and buyers.",
            x0=50,
            x1=400,
            y0=122,
            y1=131,
            font_size=11.0,
        ),
    ]
    work = parse_work(lines)
    assert [(w.name, w.position) for w in work] == [
        ("Compass Point", "Staff Engineer"),
        ("Compass Point", "Senior Engineer"),
    ]


def test_long_school_name_in_a_heading_style_is_a_header() -> None:
    lines = [
        _para("Riverside Polytechnic", style="Heading 4", bold=True),
        _para("Bachelor in Software Development", style="First Paragraph", bold=True),
        _para("Jan 2010 – Jan 2011"),
        _para(
            "Technical High School of Electronics and IT, Lower Valley Campus North",
            style="Heading 4",
            bold=True,
        ),
        _para("Diploma in Computer Technology", style="First Paragraph", bold=True),
        _para("Jan 2006 – Jan 2010"),
    ]
    education = parse_education(lines)
    assert [(e.institution, e.startDate) for e in education] == [
        ("Riverside Polytechnic", "2010-01"),
        ("Technical High School of Electronics and IT, Lower Valley Campus North", "2006-01"),
    ]


def test_bold_header_wrapped_after_a_connector_word_is_one_header() -> None:
    def big(text: str, y: float, x1: float) -> Line:
        return Line(text=text, x0=196, x1=x1, y0=y - 19, y1=y, font_size=21.9, bold=True)

    lines = [
        big("Riverside Polytechnic", 104, 400),
        _at("Bachelor in Software Development", 121, x0=196, bold=True),
        _at("Jan 2010 – Jan 2011", 137, x0=196),
        big("Technical High School of Electronics and", 320, 550),
        big("IT, Lower Valley", 345, 350),
        _at("Diploma in Computer Technology", 362, x0=196, bold=True),
        _at("Jan 2006 – Jan 2010", 378, x0=196),
    ]
    education = parse_education(lines)
    assert [(e.institution, e.studyType) for e in education] == [
        ("Riverside Polytechnic", "Bachelor"),
        ("Technical High School of Electronics and IT, Lower Valley", "Diploma"),
    ]


def test_short_line_that_ends_an_open_sentence_continues_the_summary() -> None:
    lines = [
        _at("Founder / Full Stack Developer", 20, bold=True),
        _at("Jan 2012 – Present", 40),
        _at("A small company for web shops and my own ideas, among them", 60, x0=50),
        _at("a timer app for gyms called Interval Time", 75, x0=50),
        _at("Calculator.", 90, x0=50),
        _at("Built web apps in Vue.js and React", 112, x0=60),
    ]
    lines[2] = lines[2].model_copy(update={"x1": 560.0})  # the paragraph fills the width
    lines[3] = lines[3].model_copy(update={"x1": 470.0})  # this line did not
    work = parse_work(lines)
    assert [w.position for w in work] == ["Founder / Full Stack Developer"]
    assert work[0].summary is not None and work[0].summary.endswith("Interval Time Calculator.")


def test_tightly_set_list_items_stay_apart() -> None:
    lines = [
        _at("Platform Engineer", 20, bold=True),
        _at("Jan 2012 – Present", 40),
        _at("Owned the release train", 60, x0=80),
        _at("Perform code reviews", 72, x0=80),
        _at("Implemented a Git workflow for the teams.", 84, x0=80),
    ]
    work = parse_work(lines)
    assert work[0].highlights == [
        "Owned the release train",
        "Perform code reviews",
        "Implemented a Git workflow for the teams.",
    ]


def test_same_role_twice_with_dates_between_is_two_entries() -> None:
    lines = [
        _para("Software Engineer", style="Heading 5", bold=True),
        _para("Jul 2012 – Jun 2015", style="First Paragraph"),
        _para("Software Engineer", style="Heading 5", bold=True),
        _para("May 2016 – Present", style="First Paragraph"),
        _para("Kept the lights on.", style="Normal", bullet=True),
    ]
    work = parse_work(lines)
    assert [(w.position, w.startDate) for w in work] == [
        ("Software Engineer", "2012-07"),
        ("Software Engineer", "2016-05"),
    ]


def test_place_in_parentheses_is_the_location_without_them() -> None:
    lines = [
        _para("iOS Engineer", style="Heading 5", bold=True),
        _para("Sep 2010 – May 2011", style="First Paragraph"),
        _para("(Saint-Petersburg, Russia)"),
        _para("Shipped a ticketing app", style="Normal", bullet=True),
    ]
    assert [w.location for w in parse_work(lines)] == ["Saint-Petersburg, Russia"]
