"""Golden tests: the fixture résumés parse back to the facts they were rendered from."""

from __future__ import annotations

from pathlib import Path

import pytest

from cvlens.analysis.extract import extract_document
from cvlens.analysis.parse import parse_resume
from cvlens.analysis.resume import Resume
from tests.fixtures.resume_content import JANE, SAM


def _parse(fixtures: Path, name: str) -> Resume:
    path = fixtures / "resumes" / name
    return parse_resume(extract_document(path.read_bytes(), path.name))


@pytest.mark.parametrize("name", ["jane_doe.pdf", "jane_doe.docx", "jane_doe.txt", "jane_doe.md"])
def test_jane_basics_work_education_skills(fixtures: Path, name: str) -> None:
    resume = _parse(fixtures, name)
    basics = resume.basics
    assert basics.name == JANE["name"]
    assert basics.label == JANE["label"]
    assert basics.email == JANE["email"]
    assert basics.phone == JANE["phone"]
    assert basics.location is not None and basics.location.city == JANE["city"]
    assert JANE["linkedin"] in [p.url for p in basics.profiles]
    expected_work = [(j["name"], j["position"], j["start"], j["end"]) for j in JANE["work"]]  # type: ignore[index,union-attr]
    assert [(w.name, w.position, w.startDate, w.endDate) for w in resume.work] == expected_work
    assert resume.work[0].highlights == JANE["work"][0]["highlights"]  # type: ignore[index]
    assert resume.work[0].location == JANE["work"][0]["location"]  # type: ignore[index]
    school = JANE["education"][0]  # type: ignore[index]
    assert [
        (e.institution, e.studyType, e.area, e.startDate, e.endDate) for e in resume.education
    ] == [
        (school["institution"], school["studyType"], school["area"], school["start"], school["end"])
    ]
    assert [(s.name, s.keywords) for s in resume.skills] == JANE["skills"]
    assert basics.summary is not None and "nine years" in basics.summary


def test_jane_pdf_minor_sections(fixtures: Path) -> None:
    resume = _parse(fixtures, "jane_doe.pdf")
    assert resume.education[0].score == "3.8"
    assert [(c.name, c.issuer, c.date) for c in resume.certificates] == JANE["certificates"]
    assert [(lang.language, lang.fluency) for lang in resume.languages] == JANE["languages"]
    assert [i.name for i in resume.interests] == JANE["interests"]
    assert [(p.name, p.description) for p in resume.projects] == JANE["projects"]
    networks = {p.network: p.username for p in resume.basics.profiles}
    assert networks == {"LinkedIn": "janedoe", "GitHub": "janedoe"}


def test_two_column_pdf(fixtures: Path) -> None:
    resume = _parse(fixtures, "sam_rivera_two_column.pdf")
    assert resume.basics.name == SAM["name"]
    assert resume.basics.label == SAM["label"]
    assert resume.basics.email == SAM["email"]
    assert resume.basics.phone == SAM["phone"]
    assert resume.basics.location is not None
    assert (resume.basics.location.city, resume.basics.location.countryCode) == ("London", "GB")
    assert [(s.name, s.keywords) for s in resume.skills] == SAM["skills"]
    assert [(lang.language, lang.fluency) for lang in resume.languages] == SAM["languages"]
    expected = [(j["name"], j["position"], j["start"], j["end"]) for j in SAM["work"]]  # type: ignore[index,union-attr]
    assert [(w.name, w.position, w.startDate, w.endDate) for w in resume.work] == expected
    assert resume.work[1].highlights == SAM["work"][1]["highlights"]  # type: ignore[index]
    assert [e.institution for e in resume.education] == ["University of Manchester"]
