"""Work-entry segmentation on positioned (PDF-like) lines: wrapped headers, summaries."""

from __future__ import annotations

from cvlens.analysis.document import Line
from cvlens.analysis.parse.sections import parse_work

LEFT, RIGHT = 50.0, 560.0


def _at(
    text: str,
    y: float,
    *,
    x0: float = LEFT,
    x1: float | None = None,
    bold: bool = False,
    size: float = 14.0,
) -> Line:
    right = x1 if x1 is not None else min(RIGHT, x0 + 6.5 * len(text))
    return Line(text=text, x0=x0, x1=right, y0=y - size, y1=y, font_size=size, bold=bold)


def _body(y: float) -> list[Line]:
    return [
        _at("Kept the lights on for a fleet of build machines and wrote runbooks.", y),
        _at("Cut the release checklist from a day to an hour", y + 20, x0=80),
    ]


def test_role_wrapped_beside_a_web_address_is_one_role() -> None:
    lines = [
        _at("Northwind Traders", 20, bold=True, size=18),
        _at("2019-01-31 — 2020-06-30", 20, x0=440, x1=RIGHT),
        _at(
            "Platform Reliability https://northwind.example (https://northwind.example)",
            42,
            x1=RIGHT,
        ),
        _at("Engineer", 57, bold=True),
        *_body(80),
    ]
    work = parse_work(lines)
    assert [(w.name, w.position, w.startDate) for w in work] == [
        ("Northwind Traders", "Platform Reliability Engineer", "2019-01")
    ]


def test_parenthesised_rest_under_a_role_and_its_address_joins_the_role() -> None:
    lines = [
        _at("Contoso", 20, bold=True, size=18),
        _at("2021-03-01 —", 20, x0=490, x1=RIGHT),
        _at("Data Engineer", 42, bold=True),
        _at("https://contoso.example (https://contoso.example)", 42, x0=300, x1=RIGHT),
        _at("(Contract)", 57, bold=True),
        *_body(80),
    ]
    work = parse_work(lines)
    assert [(w.name, w.position) for w in work] == [("Contoso", "Data Engineer (Contract)")]
    assert work[0].url == "https://contoso.example"
    assert work[0].highlights == ["Cut the release checklist from a day to an hour"]


def test_role_line_beside_right_hand_dates_is_not_joined_with_the_next_line() -> None:
    """A header that runs to the edge because of its dates did not wrap."""
    lines = [
        _at("Senior Developer                                  2018 - 2020", 20, x1=RIGHT),
        _at("Fabrikam Group", 35),
        *_body(60),
    ]
    work = parse_work(lines)
    assert [(w.name, w.position) for w in work] == [("Fabrikam Group", "Senior Developer")]


def test_plain_sentence_under_bold_headers_is_the_summary_not_a_new_entry() -> None:
    lines = [
        _at("Tailspin Gym", 20, bold=True, size=18),
        _at("03/2014 — 04/2014", 20, x0=470, x1=RIGHT),
        _at("Climbing Instructor", 42, bold=True),
        _at("Coaching groups of eight to twelve climbers", 63),
        _at("Ran beginner sessions twice a week", 90, x0=80),
        _at("Wide World Importers", 130, bold=True, size=18),
        _at("05/2015 — 06/2016", 130, x0=470, x1=RIGHT),
        _at("Shift Manager", 152, bold=True),
        _at("Opened the warehouse every morning", 180, x0=80),
    ]
    work = parse_work(lines)
    assert [(w.name, w.position, w.summary) for w in work] == [
        ("Tailspin Gym", "Climbing Instructor", "Coaching groups of eight to twelve climbers"),
        ("Wide World Importers", "Shift Manager", None),
    ]
    assert work[0].highlights == ["Ran beginner sessions twice a week"]


def test_undated_entries_split_where_the_organisation_style_comes_back() -> None:
    lines = [
        _at("Adventure Works", 20, bold=True),
        _at("Staff Engineer", 32, size=12),
        _at("Adventure Works", 56, bold=True),
        _at("Senior Engineer", 68, size=12),
        _at("Led the search rewrite and mentored the team on testing.", 84, size=11),
    ]
    work = parse_work(lines)
    assert [(w.name, w.position) for w in work] == [
        ("Adventure Works", "Staff Engineer"),
        ("Adventure Works", "Senior Engineer"),
    ]
    assert work[1].summary == "Led the search rewrite and mentored the team on testing."


def test_running_text_in_the_organisation_place_becomes_the_summary() -> None:
    text = """EXPERIENCE
Swimming Instructor
Teaching lanes of six swimmers twice a week
2016 - 2018
"""
    work = parse_work([Line(text=t) for t in text.splitlines()][1:])
    assert [(w.name, w.position) for w in work] == [(None, "Swimming Instructor")]
    assert work[0].summary == "Teaching lanes of six swimmers twice a week"
