"""Work headers as other themes set them: a job's length beside its dates, separators a
theme prints around a field it left empty, "Role at Employer" over a place, the place
where the employer usually stands. Project-owned lines only."""

from __future__ import annotations

from cvlens.analysis.document import Line
from cvlens.analysis.parse.sections import parse_work

LEFT, RIGHT = 60.0, 560.0
BODY = "Kept the lights on for a fleet of build machines and wrote the runbooks for it."


def _at(text: str, y: float, *, x0: float = LEFT, bold: bool = False, size: float = 14.0) -> Line:
    right = min(RIGHT, x0 + 6.5 * len(text))
    return Line(text=text, x0=x0, x1=right, y0=y - size, y1=y, font_size=size, bold=bold)


def _jobs(lines: list[Line]) -> list[tuple[str | None, str | None, str | None, str | None]]:
    return [(w.name, w.position, w.startDate, w.endDate) for w in parse_work(lines)]


def test_a_jobs_length_beside_its_dates_is_neither_employer_nor_role() -> None:
    lines = [
        _at("Platform Engineer, Northwind Traders", 20, bold=True, size=16),
        _at("Feb, 2016 - Nov, 2017  1 year 9 months", 40, size=13),
        _at(BODY, 60, x0=LEFT),
        _at("Build Engineer, Fabrikam", 100, bold=True, size=16),
        _at("Mar, 2014 - Jan, 2016", 120, size=13),
        _at("(1 yr 10 mos)", 135, size=13),
        _at(BODY, 155, x0=LEFT),
    ]
    assert _jobs(lines) == [
        ("Northwind Traders", "Platform Engineer", "2016-02", "2017-11"),
        ("Fabrikam", "Build Engineer", "2014-03", "2016-01"),
    ]


def test_separators_around_an_empty_field_are_not_part_of_the_role() -> None:
    """ "{position}, {company}" with no company prints "Engineer,"; two such roles in a row
    are two jobs, and the roles read without the comma."""
    lines = [
        _at("Staff Platform Engineer,", 20, bold=True, size=16),
        _at("Sep, 2021 - Present", 40, size=13),
        _at("Senior Platform Engineer,", 70, bold=True, size=16),
        _at("Mar, 2019 - Sep, 2021", 90, size=13),
        _at(BODY, 110),
        _at(", Build Engineer", 150, bold=True, size=16),
        _at("Mar, 2017 - Mar, 2019", 170, size=13),
        _at(BODY, 190),
    ]
    assert _jobs(lines) == [
        (None, "Staff Platform Engineer", "2021-09", None),
        (None, "Senior Platform Engineer", "2019-03", "2021-09"),
        (None, "Build Engineer", "2017-03", "2019-03"),
    ]


def test_role_at_employer_over_a_place_no_list_knows() -> None:
    lines = [
        _at("Platform Engineer at Northwind", 20, bold=True, size=16),
        _at("Apr 2019 - Current", 20, x0=480, size=13),
        _at("Springfield", 36, size=13),
        _at(BODY, 60),
        _at("Build Engineer @ Fabrikam", 100, bold=True, size=16),
        _at("Oct 2018 - Apr 2019", 100, x0=480, size=13),
        _at("Shelbyville", 116, size=13),
        _at(BODY, 140),
    ]
    assert _jobs(lines) == [
        ("Northwind", "Platform Engineer", "2019-04", None),
        ("Fabrikam", "Build Engineer", "2018-10", "2019-04"),
    ]


def test_employer_and_unknown_place_over_dates_take_the_role_under_them() -> None:
    lines = [
        _at("Northwind", 20, bold=True, size=18),
        _at("Springfield", 36, bold=True, size=18),
        _at("April 2019 – Present", 52, size=15),
        _at("Platform Engineer", 80, bold=True, size=18),
        _at(BODY, 100, size=15),
        _at("Fabrikam", 140, bold=True, size=18),
        _at("Shelbyville", 156, bold=True, size=18),
        _at("October 2018 – April 2019", 172, size=15),
        _at("Build Engineer", 200, bold=True, size=18),
        _at(BODY, 220, size=15),
    ]
    assert _jobs(lines) == [
        ("Northwind", "Platform Engineer", "2019-04", None),
        ("Fabrikam", "Build Engineer", "2018-10", "2019-04"),
    ]


def test_a_place_where_the_employer_usually_stands_is_the_location() -> None:
    lines = [
        _at("Birmingham, AL", 20, bold=True, size=18),
        _at("November 2019 – January 2022", 36, size=15),
        _at("Director of Software Test", 64, bold=True, size=18),
        _at(BODY, 84, size=15),
    ]
    work = parse_work(lines)
    assert [(w.name, w.position, w.location) for w in work] == [
        (None, "Director of Software Test", "Birmingham, AL")
    ]


def test_a_role_wrapped_in_a_narrow_cell_beside_its_dates_is_one_role() -> None:
    """A table row: the role cell is narrow, the dates stand in the next cell; the role's
    last words go to a second line although the header is far from the page's edge."""
    lines = [
        _at("Northwind Traders", 20, bold=True, size=16),
        _at("Backend Engineer", 45, x0=LEFT),  # ends near x 164
        _at("2019-02-01 - 2021-05-01", 45, x0=210),
        _at("(Contract, Part-time)", 57),
        _at(BODY, 90),
        _at("Northwind Traders", 130, bold=True, size=16),
        _at("Platform Reliability", 155),  # ends near x 190
        _at("2017-01-01 - 2019-02-01", 155, x0=210),
        _at("Engineer", 167),
        _at(BODY, 200),
    ]
    assert _jobs(lines) == [
        ("Northwind Traders", "Backend Engineer (Contract, Part-time)", "2019-02", "2021-05"),
        ("Northwind Traders", "Platform Reliability Engineer", "2017-01", "2019-02"),
    ]


def test_an_employer_beside_far_dates_does_not_take_the_role_under_it() -> None:
    lines = [
        _at("Northwind", 20, bold=True),
        _at("2019-02-01 - 2021-05-01", 20, x0=420),
        _at("Platform Engineer", 34, bold=True),
        _at(BODY, 60),
    ]
    assert _jobs(lines) == [("Northwind", "Platform Engineer", "2019-02", "2021-05")]


def test_short_plain_lines_after_the_body_of_bold_headers_are_more_body() -> None:
    """Bold employer, dates and role; the highlights printed as plain lines without glyphs."""
    lines = [
        _at("Northwind Traders", 20, bold=True, size=16),
        _at("August 2012 - February 2016", 34, bold=True, size=13),
        _at("Operations Manager", 52, bold=True, size=13),
        _at("Managed the inbound call centre and its vendors.", 75, size=13),
        _at("Negotiated vendor rates.", 90, size=13),
        _at("Managed warehouse fulfillment.", 105, size=13),
        _at("Fabrikam", 140, bold=True, size=16),
        _at("April 2006 - August 2012", 154, bold=True, size=13),
        _at("Shift Supervisor", 172, bold=True, size=13),
        _at("Successfully won the regional award", 195, size=13),
    ]
    assert _jobs(lines) == [
        ("Northwind Traders", "Operations Manager", "2012-08", "2016-02"),
        ("Fabrikam", "Shift Supervisor", "2006-04", "2012-08"),
    ]


def test_one_word_items_and_a_role_under_bold_dates_stay_in_the_body() -> None:
    lines = [
        _at("Northwind", 20, bold=True, size=16),
        _at("April 2019 - Present", 34, bold=True, size=13),
        _at("Front End Developer", 52, bold=True, size=13),
        _at("Front End Developer", 75, size=13),
        _at("Java", 90, size=13),
        _at("React", 105, size=13),
        _at("December 2013 - December 2014", 140, bold=True, size=13),
        _at("Chief Executive Officer", 158, bold=True, size=13),
        _at(BODY, 180, size=13),
        _at("Successfully won the regional award", 195, size=13),
    ]
    assert _jobs(lines) == [
        ("Northwind", "Front End Developer", "2019-04", None),
        # a role set like the one above, with no employer of its own, is grouped under it
        ("Northwind", "Chief Executive Officer", "2013-12", "2014-12"),
    ]


def test_employer_and_its_tagline_over_dates_take_the_role_in_the_employers_style() -> None:
    """ "Employer" (bold) / tagline (plain) / dates / "Role" (bold, like the employer): the
    role completes the entry; it does not open the next one."""
    lines = [
        _at("Northwind", 20, bold=True, size=18),
        _at("Springfield, IL", 36, bold=True, size=18),
        _at("Awesome compression company", 52, size=15),
        _at("December 2013 – December 2014", 68, size=15),
        _at("Chief Executive Officer", 96, bold=True, size=18),
        _at(BODY, 116, size=15),
    ]
    work = parse_work(lines)
    assert [(w.name, w.position, w.startDate) for w in work] == [
        ("Northwind", "Chief Executive Officer", "2013-12")
    ]


def test_a_role_that_left_a_parenthesis_open_goes_on_on_the_next_line() -> None:
    lines = [
        _at("Northwind Traders", 20, bold=True, size=18),
        _at("January 2005 – June 2006", 36, size=15),
        _at("Practice Lead (Collaboration, Usability,", 64, bold=True, size=18),
        _at("Portal, NET)", 80, bold=True, size=18),
        _at(BODY, 100, size=15),
    ]
    assert _jobs(lines) == [
        (
            "Northwind Traders",
            "Practice Lead (Collaboration, Usability, Portal, NET)",
            "2005-01",
            "2006-06",
        )
    ]
