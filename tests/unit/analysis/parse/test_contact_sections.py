from __future__ import annotations

from cvlens.analysis.document import Document, Line
from cvlens.analysis.parse import parse_resume
from cvlens.analysis.parse.contact import find_phone, find_profiles, network_of
from cvlens.analysis.parse.headings import section_key
from cvlens.analysis.parse.places import split_location
from cvlens.analysis.parse.sections import organisation_and_role, split_degree


def test_heading_aliases() -> None:
    assert section_key("Work Experience") == "work"
    assert section_key("PROFESSIONAL EXPERIENCE:".rstrip(":")) == "work"
    assert section_key("Honors and Awards") == "awards"
    assert section_key("Honors & Awards") == "awards"
    assert section_key("Senior Engineer at Acme") is None


def test_profiles_from_urls_and_handles() -> None:
    profiles = find_profiles(
        ["octocat (GitHub)", "see linkedin.com/in/octo-cat"],
        ["https://github.com/octocat/hello-world"],  # a repository, not a profile
    )
    assert {(p.network, p.url) for p in profiles} == {
        ("GitHub", "https://github.com/octocat"),
        ("LinkedIn", "https://linkedin.com/in/octo-cat"),
    }
    assert network_of("https://github.com/octocat/hello-world") is None


def test_phone_is_not_a_date_range() -> None:
    assert find_phone(["2015-10-01 — 2016-08-01"], []) is None
    assert find_phone(["Call +58 (426) 513-10-93 any time"], []) == "+58 (426) 513-10-93"
    assert find_phone([], ["tel:(205)413-6785"]) == "(205)413-6785"


def test_locations() -> None:
    place = split_location("Birmingham Alabama AL")
    assert place is not None and place.city == "Birmingham"
    place = split_location("Nice, France")
    assert place is not None and (place.city, place.countryCode) == ("Nice", "FR")
    assert split_location("Software Engineer, Google") is None
    assert split_location("Cosmos SDK") is None


def test_role_and_organisation() -> None:
    assert organisation_and_role(["Acme Corp", "Staff Engineer"]) == ("Acme Corp", "Staff Engineer")
    assert organisation_and_role(["Director of Software Test", "Daxko"]) == (
        "Daxko",
        "Director of Software Test",
    )
    assert split_degree("Master's Degree in Software Science") == (
        "Master's Degree",
        "Software Science",
    )
    assert split_degree("Stanford University") == (None, None)


def test_plain_text_resume_with_unknown_layout() -> None:
    text = """Ada Lovelace
Mathematician
ada@example.com

EXPERIENCE
Analytical Engine Project, Lead Programmer
2019 - 2021
Wrote the first published algorithm for a machine.

EDUCATION
University of London
2018
"""
    resume = parse_resume(Document(format="txt", lines=[Line(text=t) for t in text.splitlines()]))
    assert resume.basics.name == "Ada Lovelace"
    assert resume.basics.label == "Mathematician"
    assert [(w.name, w.position, w.startDate, w.endDate) for w in resume.work] == [
        ("Analytical Engine Project", "Lead Programmer", "2019", "2021")
    ]
    assert resume.work[0].summary == "Wrote the first published algorithm for a machine."
    assert [e.institution for e in resume.education] == ["University of London"]
