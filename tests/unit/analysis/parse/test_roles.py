"""Role vs organisation vocabulary (analysis/data/roles.json)."""

from __future__ import annotations

import pytest

from cvlens.analysis.document import Line
from cvlens.analysis.parse.roles import title_score
from cvlens.analysis.parse.sections import organisation_and_role, parse_volunteer, parse_work


@pytest.mark.parametrize(
    ("text", "score"),
    [
        ("Registered Nurse", 2),
        ("Enterprise Mobile Technology Architecture", 1),
        ("Head of Platform", 1),
        ("Northwind Traders", 0),
        ("Digital Youth Founders", 0),
        ("Saint-Petersburg", 0),
    ],
)
def test_title_score(text: str, score: int) -> None:
    assert title_score(text) == score


def test_role_nouns_outside_software_decide_the_role() -> None:
    assert organisation_and_role(["St. Mary's Hospital", "Registered Nurse"]) == (
        "St. Mary's Hospital",
        "Registered Nurse",
    )
    assert organisation_and_role(["Staff Accountant", "Fabrikam Foods"]) == (
        "Fabrikam Foods",
        "Staff Accountant",
    )


def test_a_plural_role_noun_names_the_organisation() -> None:
    lines = [
        Line(text="Digital Youth Founders", font_size=11.0, bold=True, style="Heading 5"),
        Line(text="IT Volunteer", font_size=11.0, style="First Paragraph"),
        Line(text="Sep 2016 – May 2017", font_size=11.0, style="Body Text"),
    ]
    volunteer = parse_volunteer(lines)
    assert [(v.organization, v.position) for v in volunteer] == [
        ("Digital Youth Founders", "IT Volunteer")
    ]


def _role_entry(header: str, dates: str) -> list[Line]:
    return [
        Line(text=header, font_size=11.0, bold=True, style="Heading 5"),
        Line(text=dates, font_size=11.0, style="First Paragraph"),
        Line(text="Ran the platform for the online shop.", font_size=11.0, style="Body Text"),
    ]


def test_dash_in_a_role_qualifies_it_when_the_section_prints_roles_alone() -> None:
    lines = [
        *_role_entry("Enterprise Technology Architect", "Jan 2015 – Present"),
        *_role_entry("Senior Solution Architect - Digital eCommerce", "Jan 2010 – Jan 2015"),
        *_role_entry("Senior Integration Engineer", "Jun 2006 – Jan 2010"),
        *_role_entry("Web Developer", "Sep 2004 – Jun 2006"),
    ]
    work = parse_work(lines)
    assert [(w.name, w.position) for w in work][1] == (
        None,
        "Senior Solution Architect - Digital eCommerce",
    )


def test_dash_still_separates_role_and_employer_when_every_entry_is_written_so() -> None:
    lines = [
        *_role_entry("Enterprise Architect - Contoso Power", "Jan 2015 – Present"),
        *_role_entry("Solution Architect - Fabrikam Retail", "Jan 2010 – Jan 2015"),
        *_role_entry("Integration Engineer - Tailspin Air", "Jun 2006 – Jan 2010"),
    ]
    work = parse_work(lines)
    assert [(w.name, w.position) for w in work] == [
        ("Contoso Power", "Enterprise Architect"),
        ("Fabrikam Retail", "Solution Architect"),
        ("Tailspin Air", "Integration Engineer"),
    ]


def test_tagline_after_a_middle_dot_is_not_part_of_the_employer() -> None:
    lines = [
        Line(text="CEO/President", font_size=11.0, bold=True, style="Heading 5"),
        Line(text="Hooli XYZ · Search and cloud company", font_size=11.0, style="Body Text"),
        Line(text="Dec 2013 – Dec 2014", font_size=11.0, style="Body Text"),
    ]
    work = parse_work(lines)
    assert [(w.name, w.position, w.description) for w in work] == [
        ("Hooli XYZ", "CEO/President", "Search and cloud company")
    ]
    dotted = [*lines[:1], lines[1].model_copy(update={"text": "Tailspin · Fabrikam"}), lines[2]]
    assert [w.name for w in parse_work(dotted)] == ["Tailspin · Fabrikam"]  # two names


def _described_entry(header: str) -> list[Line]:
    return [
        Line(text=header, font_size=11.0, bold=True),
        Line(text="CEO/President", font_size=11.0),
        Line(text="Dec 2013 – Dec 2014", font_size=11.0),
        Line(text="Hooli XYZ is a search and cloud company based in Palo Alto.", font_size=10.0),
    ]


def test_a_summary_that_describes_the_employer_names_it() -> None:
    work = parse_work(_described_entry("Search and cloud company")[1:])
    assert [(w.name, w.position, w.description) for w in work] == [
        ("Hooli XYZ", "CEO/President", None)
    ]
    tagged = parse_work(_described_entry("Search and cloud company"))
    assert [(w.name, w.position, w.description) for w in tagged] == [
        ("Hooli XYZ", "CEO/President", "Search and cloud company")
    ]


def test_a_printed_employer_or_a_pronoun_is_not_replaced_by_the_summary() -> None:
    printed = parse_work(_described_entry("Fabrikam Search"))
    assert [(w.name, w.description) for w in printed] == [("Fabrikam Search", None)]
    pronoun = _described_entry("x")[1:]
    pronoun[-1] = pronoun[-1].model_copy(update={"text": "It was a small team of engineers."})
    assert [(w.name, w.position) for w in parse_work(pronoun)] == [(None, "CEO/President")]
