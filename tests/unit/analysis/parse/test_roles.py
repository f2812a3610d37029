"""Role vs organisation vocabulary (analysis/data/roles.json)."""

from __future__ import annotations

import pytest

from cvlens.analysis.document import Line
from cvlens.analysis.parse.roles import title_score
from cvlens.analysis.parse.sections import organisation_and_role, parse_volunteer


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
