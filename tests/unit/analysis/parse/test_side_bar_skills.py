"""Skill groups in a side bar: years as levels, wrapped group names, a bar that runs over."""

from __future__ import annotations

from cvlens.analysis.document import Document, Line
from cvlens.analysis.parse import parse_resume
from cvlens.analysis.parse.skills import is_level, parse_skills


def _at(
    text: str,
    size: float,
    y: float,
    *,
    x0: float = 53,
    column: int = 0,
    page: int = 1,
    bold: bool = False,
) -> Line:
    """A line of the side bar (column 0, x 53-170) or of the main column (1, to x 550)."""
    x1 = min(x0 + 6 * len(text), 170.0) if column == 0 else 550.0
    return Line(
        text=text, font_size=size, bold=bold, x0=x0, x1=x1, y0=y - size, y1=y, column=column,
        page=page,
    )  # fmt: skip


def test_years_of_use_are_a_skill_level() -> None:
    assert is_level("7 Years") and is_level("20+ Years") and is_level("20 + Years")
    assert is_level("Advanced") and not is_level("2019") and not is_level("Years of fun")


def test_group_named_like_a_section_over_a_level_is_a_group_not_a_heading() -> None:
    lines = [
        _at("Kim Lee", 30, 40, bold=True),
        _at("About", 14, 90),
        _at("kim@example.com", 12, 110),
        _at("Enterprise", 14, 140),
        _at("Architecture", 14, 155),
        _at("7 Years", 12, 170, bold=True),
        _at("Governance", 12.8, 185),
        _at("Programming", 14, 210),
        _at("Languages", 14, 225),
        _at("Proficient", 12, 240, bold=True),
        _at("Python Ruby", 12.8, 255),
        _at("Social", 14, 280),
        _at("20 + Years", 12, 298, bold=True),
        _at("Forums", 12.8, 313),
    ]
    resume = parse_resume(Document(format="pdf", lines=lines))
    assert [(s.name, s.level) for s in resume.skills] == [
        ("Enterprise Architecture", "7 Years"),
        ("Programming Languages", "Proficient"),
        ("Social", "20 + Years"),
    ]
    assert resume.languages == [] and resume.basics.profiles == []


def test_side_bar_that_runs_onto_a_page_of_its_own_keeps_its_section() -> None:
    lines = [
        _at("Kim Lee", 30, 40, bold=True),
        _at("About", 14, 90),
        _at("kim@example.com", 12, 110),
        _at("Testing", 14, 140),
        _at("Master", 12, 158, bold=True),
        _at("Test Automation", 12.8, 172),
        _at("Continuous Integration", 12.8, 186),
        _at("Experience", 14, 90, x0=190, column=1),
        _at("Test Engineer at Northwind, 2012 – 2016", 12, 110, x0=190, column=1),
        _at("Wrote the release checklist and kept it short.", 11, 125, x0=214, column=1),
        _at("Publications", 14, 160, x0=190, column=1),
        _at("Huge Mistakes in Test Automation", 12, 180, x0=190, column=1),
        _at("Methodologies", 14, 43, page=2),
        _at("Master", 12, 69, page=2, bold=True),
        _at("Context Driven Testing", 12.8, 83, page=2),
    ]
    resume = parse_resume(Document(format="pdf", lines=lines, pages=2, columns=2))
    assert [(s.name, s.level) for s in resume.skills] == [
        ("Testing", "Master"),
        ("Methodologies", "Master"),
    ]
    assert [p.name for p in resume.publications] == ["Huge Mistakes in Test Automation"]


def test_cards_in_two_columns_belong_to_the_heading_on_their_left() -> None:
    def cell(text: str, size: float, y: float, x0: float, column: int) -> Line:
        return Line(text=text, font_size=size, x0=x0, x1=x0 + 7 * len(text), y0=y - size, y1=y,
                    column=column, bold=size > 20)  # fmt: skip

    lines = [
        cell("Kim Lee", 40, 40, 196, 0),
        cell("Skills", 27, 170, 127, 0),
        cell("Frontend", 22, 170, 196, 0),
        cell("React", 14, 195, 202, 0),
        cell("Interests", 27, 400, 96, 0),
        cell("Philosophy", 22, 400, 196, 0),
        cell("Ethics", 14, 425, 202, 0),
        cell("Backend", 22, 170, 385, 1),
        cell("Django", 14, 195, 391, 1),
        cell("Boardgames", 22, 400, 385, 1),
        cell("Pandemic", 14, 425, 391, 1),
    ]
    resume = parse_resume(Document(format="pdf", lines=lines, columns=2))
    skills = {s.name for s in resume.skills} | {k for s in resume.skills for k in s.keywords}
    interests = {i.name for i in resume.interests} | {
        k for i in resume.interests for k in i.keywords
    }
    assert {"Frontend", "React", "Backend", "Django"} <= skills
    assert {"Philosophy", "Boardgames", "Pandemic"} <= interests
    assert not {"Boardgames", "Pandemic"} & skills


def test_a_level_in_parentheses_after_the_group_name_is_its_level() -> None:
    lines = [
        Line(text="Frontend (Advanced): Vue, React, TypeScript", font_size=12.0),
        Line(text="Architecture (7 Years): Governance, Security Modeling", font_size=12.0),
        Line(text="Languages (spoken): English, French", font_size=12.0),
    ]
    assert [(s.name, s.level, s.keywords) for s in parse_skills(lines)] == [
        ("Frontend", "Advanced", ["Vue", "React", "TypeScript"]),
        ("Architecture", "7 Years", ["Governance", "Security Modeling"]),
        ("Languages (spoken)", None, ["English", "French"]),
    ]
