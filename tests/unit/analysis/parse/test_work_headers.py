"""Employer, role and place out of the header lines of a work entry (DOCX-like lines)."""

from __future__ import annotations

from cvlens.analysis.document import Line
from cvlens.analysis.parse.sections import parse_work

BODY = "Shipped the billing service to production"


def _lines(*texts: str) -> list[Line]:
    """DOCX-like paragraphs; "**Name**" is bold."""
    return [
        Line(
            text=t.removeprefix("• ").strip("*"),
            bullet=t.startswith("• "),
            bold=t.startswith("**"),
            font_size=11.0,
        )
        for t in texts
    ]


def _work(*texts: str) -> list[tuple[str | None, str | None, str | None]]:
    return [(w.name, w.position, w.location) for w in parse_work(_lines(*texts))]


def test_employer_and_role_separated_by_a_tab() -> None:
    assert _work("Fabrikam Foods\tStaff Accountant", "2019 – 2021", f"• {BODY}") == [
        ("Fabrikam Foods", "Staff Accountant", None)
    ]


def test_employment_type_after_a_middle_dot_is_not_part_of_the_employer() -> None:
    work = _work("Senior Engineer", "Fabrikam · Full-time", "Jan 2019 - Present", f"• {BODY}")
    assert work == [("Fabrikam", "Senior Engineer", None)]


def test_place_after_the_employer_is_the_location() -> None:
    work = _work("Fabrikam Foods, Berlin, Germany", "Senior Engineer (2019 – 2021)", f"• {BODY}")
    assert work == [("Fabrikam Foods", "Senior Engineer", "Berlin, Germany")]


def test_roles_grouped_under_one_employer_share_it() -> None:
    work = _work(
        "**Fabrikam Foods**", "Senior Engineer", "2020 – 2021", f"• {BODY}",
        "Engineer", "2019 – 2020", f"• {BODY}",
    )  # fmt: skip
    assert work == [
        ("Fabrikam Foods", "Senior Engineer", None),
        ("Fabrikam Foods", "Engineer", None),
    ]


def test_plain_text_gives_no_cue_to_group_roles_under_an_employer() -> None:
    work = _work(
        "Fabrikam Foods", "Senior Engineer", "2020 – 2021", f"• {BODY}",
        "Engineer", "2019 – 2020", f"• {BODY}",
    )  # fmt: skip
    assert work == [("Fabrikam Foods", "Senior Engineer", None), (None, "Engineer", None)]


def test_a_role_without_employer_after_role_first_entries_stays_without_one() -> None:
    """Role above employer: a lone role is a job whose employer was not printed."""
    work = _work(
        "**Senior Engineer**", "Fabrikam Foods", "2020 – 2021", f"• {BODY}",
        "**Freelance Developer**", "2019 – 2020", f"• {BODY}",
    )  # fmt: skip
    assert work == [
        ("Fabrikam Foods", "Senior Engineer", None),
        (None, "Freelance Developer", None),
    ]


def test_a_legal_entity_after_at_or_a_comma_is_the_employer_despite_a_role_word() -> None:
    """ "Marketer" ends a title, but "s.r.o." makes "Code Marketer s.r.o." a company."""
    assert _work(
        "CEO / FULL STACK DEVELOPER at Code Marketer s.r.o.", "2012 – 2018", f"• {BODY}"
    ) == [("Code Marketer s.r.o.", "CEO / FULL STACK DEVELOPER", None)]
    assert _work(
        "Code Marketer s.r.o., CEO / FULL STACK DEVELOPER", "2012 – 2018", f"• {BODY}"
    ) == [("Code Marketer s.r.o.", "CEO / FULL STACK DEVELOPER", None)]
