from __future__ import annotations

from cvlens.analysis.document import Document, Line
from cvlens.analysis.parse import parse_resume
from cvlens.analysis.parse.basics import parse_basics
from cvlens.analysis.parse.contact import find_phone, find_profiles, find_website, network_of
from cvlens.analysis.parse.headings import section_key
from cvlens.analysis.parse.places import split_location
from cvlens.analysis.parse.sections import organisation_and_role, split_degree


def test_heading_aliases() -> None:
    assert section_key("Work Experience") == "work"
    assert section_key("PROFESSIONAL EXPERIENCE:".rstrip(":")) == "work"
    assert section_key("Honors and Awards") == "awards"
    assert section_key("Honors & Awards") == "awards"
    assert section_key("Senior Engineer at Acme") is None


def test_a_section_name_followed_by_experience_names_that_section() -> None:
    assert section_key("Projects Experience") == "projects"
    assert section_key("Volunteering Experience") == "volunteer"
    assert section_key("Customer Experience") is None


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


def _place(text: str) -> tuple[str | None, str | None, str | None] | None:
    place = split_location(text)
    return None if place is None else (place.city, place.region, place.countryCode)


def test_a_country_or_region_in_parentheses_and_a_trailing_comma() -> None:
    assert _place("Lyon (FR),") == ("Lyon", None, "FR")
    assert _place("Lyon, (FR)") == ("Lyon", None, "FR")
    assert _place("Valencia (Venezuela),") == ("Valencia", None, "VE")
    assert _place("Ottawa, (ON)") == ("Ottawa", "ON", None)
    assert _place("Platform Engineer (Contract)") is None


def test_a_postal_address_gives_its_city() -> None:
    assert _place("12 Elm Street, AL 35201, Huntsville (US), Alabama") == (
        "Huntsville",
        "Alabama",
        "US",
    )
    assert _place("12 Elm Street, CA 94110, Oakland, California (US)") == (
        "Oakland",
        "California",
        "US",
    )
    assert _place("Oakland, California CA") == ("Oakland", "California CA", None)
    assert _place("12 Elm Street, Suite 4, 35201") is None


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


def test_role_with_roman_numeral_is_not_a_place() -> None:
    assert split_location("Senior Software Engineer II") is None
    assert split_location("Toronto ON") is not None


def _line(text: str, size: float, y: float, bold: bool = False) -> Line:
    return Line(
        text=text, font_size=size, bold=bold, x0=50, x1=50 + 6 * len(text), y0=y, y1=y + size
    )


def test_side_bar_skill_groups_without_a_skills_heading() -> None:
    lines = [
        _line("Kim Lee", 30, 10, bold=True),
        _line("Web Developer", 16, 50),
        _line("About", 14, 90),
        _line("kim@example.com", 12, 110),
        _line("Frontend", 14, 140),
        _line("Advanced", 12, 158, bold=True),
        _line("Vue, React", 12, 172),
        _line("Backend", 14, 200),
        _line("Intermediate", 12, 218, bold=True),
        _line("Django", 12, 232),
    ]
    resume = parse_resume(Document(format="pdf", lines=lines))
    assert [(s.name, s.level, s.keywords) for s in resume.skills] == [
        ("Frontend", "Advanced", ["Vue", "React"]),
        ("Backend", "Intermediate", ["Django"]),
    ]
    assert resume.basics.email == "kim@example.com"


def test_organisation_order_is_learned_from_the_other_entries() -> None:
    text = """Jo Park
EXPERIENCE
Umbrella
Staff Engineer
2020 - Present
Built things that worked.
Hooli
Platform Lead
2018 - 2020
Ran the platform team.
Pied Piper
Compression
2016 - 2018
Squeezed bytes very hard.
"""
    resume = parse_resume(Document(format="txt", lines=[Line(text=t) for t in text.splitlines()]))
    assert [(w.name, w.position) for w in resume.work] == [
        ("Umbrella", "Staff Engineer"),
        ("Hooli", "Platform Lead"),
        ("Pied Piper", "Compression"),
    ]


def test_web_address_cut_by_a_wrap_is_completed_from_the_link_target() -> None:
    links = ["mailto:ada@lovelace.dev", "https://www.lovelace.dev/", "https://github.com/ada"]
    assert find_website(["www.lovelace.d", "ev"], None, links) == "https://www.lovelace.dev/"
    assert find_website(["lovelace.dev"], None, links) == "lovelace.dev"  # printed whole


def _header_line(text: str, x0: float, y: float, size: float = 12.8) -> Line:
    return Line(text=text, x0=x0, x1=x0 + 5.5 * len(text), y0=y - size, y1=y, font_size=size)


def test_an_address_wrapped_in_a_narrow_box_gives_its_city() -> None:
    header = [
        _header_line("Dana Whitfield", 300, 80, size=18.7),
        _header_line("Site Reliability Engineer", 280, 108, size=13.3),
        _header_line("dana@example.org", 340, 151),
        _header_line("12 Elm Street, Oakland,", 58, 164),
        _header_line("English", 430, 165),
        _header_line("California, US, CA 94110", 66, 175),
    ]
    basics = parse_basics(header, [], [], header, [])
    assert basics.location is not None
    assert (basics.location.city, basics.location.region) == ("Oakland", "California")


def test_an_address_without_commas_wrapped_mid_city_gives_the_whole_city() -> None:
    header = [
        _header_line("Dana Whitfield", 300, 80, size=18.7),
        _header_line("dana@example.org", 340, 151),
        _header_line("410 Harbor Ave Santa", 58, 164),
        _header_line("Barbara California CA", 58, 177),
        _header_line("93101 US", 58, 190),
    ]
    basics = parse_basics(header, [], [], header, [])
    assert basics.location is not None
    assert (basics.location.city, basics.location.region) == ("Santa Barbara", "California")
    assert _place("12 Main Street Springfield IL 62701") == ("Springfield", "IL", None)
    assert _place("100 Days Of Code Challenge") is None


def test_city_region_country_and_code_in_four_parts() -> None:
    assert _place("Oakland, California, US, CA") == ("Oakland", "California", "US")
    assert _place("Fabrikam, Oakland, Berlin, US") is None


def test_headings_and_dates_in_a_left_gutter_with_location_and_professional_skills() -> None:
    """Headings ("Contact", "Location", "Professional Skills", ...) and dates in a left
    gutter that extraction reads as a column of its own: the page is still one column,
    under the name printed above it."""

    def at(text: str, x0: float, y: float, column: int, *, size: float = 12.0) -> Line:
        x1 = x0 + 5.5 * len(text)
        return Line(text=text, x0=x0, x1=x1, y0=y - size, y1=y, font_size=size, column=column)

    gutter = [
        at("Contact", 62, 125, 0),
        at("Location", 62, 162, 0),
        at("Professional Skills", 62, 228, 0),
        at("Work Experience", 62, 308, 0),
        at("2019-05-01 to Present", 62, 325, 0, size=10.0),
        at("2016-02-01 to 2019-05-01", 62, 390, 0, size=10.0),
    ]
    content = [
        at("Dana Whitfield", 280, 64, 1, size=22.5),
        at("Site Reliability Engineer", 246, 78, 1),
        at("dana@example.org", 368, 123, 1),
        at("Oakland, California", 368, 162, 1),
        at("Observability: Prometheus, Grafana, OpenTelemetry", 217, 228, 1),
        at("Platform Engineer at Northwind", 217, 324, 1),
        at("Kept the build fleet running and wrote the runbooks for it.", 217, 340, 1),
        at("Build Engineer at Fabrikam", 217, 389, 1),
        at("Moved the release train from weekly to daily deploys.", 217, 405, 1),
    ]
    resume = parse_resume(Document(format="pdf", lines=gutter + content))
    assert (resume.basics.name, resume.basics.label) == (
        "Dana Whitfield",
        "Site Reliability Engineer",
    )
    assert [(w.name, w.position, w.startDate) for w in resume.work] == [
        ("Northwind", "Platform Engineer", "2019-05"),
        ("Fabrikam", "Build Engineer", "2016-02"),
    ]


def _top(text: str, y: float, size: float = 12.0) -> Line:
    return Line(text=text, x0=81, x1=81 + 6 * len(text), y0=y - size, y1=y, font_size=size)


def test_name_and_label_on_one_line_and_a_piped_contact_line() -> None:
    header = [
        _top("Dana Whitfield, Site Reliability Engineer | SRE", 77, size=20),
        _top("dana@example.org | (205) 555-0134 | Oakland, California, US", 90),
        _top("https://github.com/danaw", 102),
    ]
    basics = parse_basics(header, [], [], header, [])
    assert (basics.name, basics.label) == ("Dana Whitfield", "Site Reliability Engineer | SRE")
    assert basics.location is not None
    assert (basics.location.city, basics.location.region) == ("Oakland", "California")


def test_a_name_with_a_post_nominal_or_in_surname_first_order_is_not_split() -> None:
    for text in ("Dana Whitfield, PhD", "Whitfield, Dana"):
        header = [_top(text, 77, size=20), _top("Site Reliability Engineer", 92)]
        basics = parse_basics(header, [], [], header, [])
        assert (basics.name, basics.label) == (text, "Site Reliability Engineer")


def test_a_contact_label_is_not_a_city() -> None:
    header = [
        _top("Dana Whitfield", 77, size=20),
        _top("dana@example.org", 92),
        _top("Region", 106),
        _top("(205) 555-0134", 120),
    ]
    assert parse_basics(header, [], [], header, []).location is None
