"""Small builders for the review tests: a Document from plain lines, a good Resume."""

from __future__ import annotations

from cvlens.analysis.document import Document, Line
from cvlens.analysis.resume import Basics, Education, Location, Profile, Resume, Skill, Work

GOOD_BULLETS = [
    "Led a team of 6 engineers to rebuild the billing service, cutting invoice errors by 40%.",
    "Reduced p95 API latency from 900 ms to 120 ms by adding Redis caching and query indexes.",
    "Shipped a self-service onboarding flow that raised trial conversion by 12 points in Q3.",
]


def document_from(lines: list[str], **kwargs: object) -> Document:
    """One Line per string; a line starting with '• ' becomes a bullet."""
    built = [
        Line(text=text.removeprefix("• "), bullet=text.startswith("• "), font_size=10.0)
        for text in lines
    ]
    return Document.model_validate({"format": "pdf", "lines": built, **kwargs})


def good_resume() -> Resume:
    return Resume(
        basics=Basics(
            name="Ada Lovelace",
            email="ada@example.com",
            phone="+44 20 7946 0000",
            summary="Backend engineer with 8 years building payment systems.",
            location=Location(city="London", countryCode="GB"),
            profiles=[Profile(network="GitHub", url="https://github.com/ada")],
        ),
        work=[
            Work(
                name="Acme Pay",
                position="Senior Engineer",
                startDate="2020-01",
                highlights=GOOD_BULLETS,
            ),
            Work(
                name="Globex",
                position="Engineer",
                startDate="2016-03",
                endDate="2019-12",
                highlights=["Built the ledger reconciliation job processing 2M rows nightly."],
            ),
        ],
        education=[Education(institution="University of London", studyType="BSc", area="Maths")],
        skills=[Skill(name="Backend", keywords=["Python", "PostgreSQL", "Redis"])],
    )


def good_document_lines() -> list[str]:
    filler = "Worked across payments, ledgers and reporting for European merchants. " * 30
    return [
        "Ada Lovelace",
        "ada@example.com | +44 20 7946 0000 | London",
        "SUMMARY",
        "Backend engineer with 8 years building payment systems.",
        "EXPERIENCE",
        "Senior Engineer, Acme Pay",
        "Jan 2020 – Present",
        *[f"• {bullet}" for bullet in GOOD_BULLETS],
        "Engineer, Globex",
        "Mar 2016 – Dec 2019",
        "• Built the ledger reconciliation job processing 2M rows nightly.",
        "EDUCATION",
        "University of London, BSc Maths",
        "SKILLS",
        "Python, PostgreSQL, Redis",
        "ADDITIONAL INFORMATION",
        filler,
    ]
