"""Matching a résumé to a job: requirements, statuses, evidence and score."""

from __future__ import annotations

from datetime import date

from cvlens.analysis.match import Match, match_job
from cvlens.analysis.match.matcher import experience_years
from cvlens.analysis.match.requirements import degree_level, extract_requirements
from cvlens.analysis.match.resume_index import index_resume
from cvlens.analysis.match.taxonomy import load_taxonomy
from cvlens.analysis.resume import Education, Resume, Skill, Work

from ..review.builders import document_from, good_document_lines, good_resume

TODAY = date(2025, 1, 1)
JOB = """Senior Backend Engineer
We want an engineer with 5+ years of experience building payment systems.
Requirements:
- Python and PostgreSQL; Kubernetes (k8s) in production.
- BS/MS in Computer Science or equivalent.
Nice to have:
- Vue.js
- Terraform
"""


def _match(job: str | dict[str, object], resume: Resume | None = None) -> Match:
    return match_job(
        resume or good_resume(), document_from(good_document_lines()), job, today=TODAY
    )


def _status(match: Match) -> dict[str, str]:
    return {i.requirement: i.status for i in [*match.matched, *match.partial, *match.missing]}


def test_requirements_split_required_and_preferred() -> None:
    wanted = extract_requirements(JOB, load_taxonomy())

    assert wanted.skills == {
        "Python": "required",
        "PostgreSQL": "required",
        "Kubernetes": "required",
        "Vue.js": "preferred",
        "Terraform": "preferred",
    }
    assert wanted.years == 5
    assert wanted.degree_level == 2


def test_matched_skills_carry_the_resume_line_as_evidence() -> None:
    match = _match(JOB)

    python = next(i for i in match.matched if i.requirement == "Python")
    assert python.evidence is not None
    assert python.evidence.line == "Python, PostgreSQL, Redis"
    assert python.evidence.section == "skills"


def test_missing_and_matched_statuses() -> None:
    status = _match(JOB)

    assert _status(status)["Kubernetes"] == "missing"
    assert _status(status)["PostgreSQL"] == "matched"
    assert _status(status)["5+ years of experience"] == "matched"
    assert _status(status)["bachelor degree"] == "matched"


def test_a_related_skill_is_a_partial_match_naming_what_stood_in() -> None:
    resume = good_resume()
    resume.skills[0].keywords.append("React")

    match = match_job(resume, document_from(["SKILLS", "React, Python"]), JOB, today=TODAY)

    vue = next(i for i in match.partial if i.requirement == "Vue.js")
    assert vue.via == "React"
    assert vue.evidence is not None and vue.evidence.line == "React, Python"


def test_synonyms_on_either_side_match_the_same_skill() -> None:
    resume = good_resume()
    resume.skills[0].keywords.append("k8s")

    match = match_job(resume, document_from(["k8s"]), "Kubernetes experience", today=TODAY)

    assert _status(match) == {"Kubernetes": "matched"}


def test_go_in_the_job_is_not_matched_by_going_on_the_resume() -> None:
    resume = Resume(work=[Work(highlights=["Kept the project going under budget."])])

    match = match_job(resume, document_from([]), "Must know Go.", today=TODAY)

    assert _status(match) == {"Go": "missing"}


def test_score_is_the_weighted_share_and_is_explained() -> None:
    everything = _match("Python and PostgreSQL")
    half = _match("Python and Kubernetes")

    assert everything.score == 100
    assert half.score == 50
    assert half.explanation[0].startswith("Score 50/100")
    assert any("Kubernetes" in line for line in half.explanation)


def test_partial_match_scores_half_credit() -> None:
    resume = good_resume()
    resume.skills[0].keywords.append("React")

    match = match_job(resume, document_from([]), "Vue.js", today=TODAY)

    assert match.score == 50


def test_years_shortfall_gives_proportional_credit() -> None:
    resume = Resume(work=[Work(startDate="2022-01", endDate="2023-12")])

    match = match_job(resume, document_from([]), "4 years of experience required", today=TODAY)

    assert _status(match) == {"4+ years of experience": "partial"}
    assert match.score == 50
    assert match.candidate_years == 2


def test_experience_years_count_overlaps_once_and_open_roles_to_today() -> None:
    resume = Resume(
        work=[
            Work(startDate="2023-01"),
            Work(startDate="2020-01", endDate="2020-12"),
            Work(startDate="2020-06", endDate="2020-12"),
        ]
    )

    assert experience_years(resume, TODAY) == 3


def test_degree_levels() -> None:
    assert degree_level("BS/MS in Computer Science") == 2
    assert degree_level("Master's degree") == 3
    assert degree_level("PhD in Physics") == 4
    assert degree_level("response times under 50 ms") is None


def test_missing_degree() -> None:
    resume = Resume(education=[Education(studyType="BSc", area="Maths")])

    match = match_job(resume, document_from([]), "A PhD is required.", today=TODAY)

    assert _status(match) == {"doctorate degree": "missing"}


def test_json_resume_job_record() -> None:
    job: dict[str, object] = {
        "title": "Data Engineer",
        "description": "Build pipelines.",
        "qualifications": ["3+ years of experience with Airflow"],
        "skills": [{"name": "Data", "keywords": ["Spark", "dbt", "Snowplow"]}],
    }

    wanted = extract_requirements(job, load_taxonomy())

    assert set(wanted.skills) == {"Apache Airflow", "Apache Spark", "dbt"}
    assert {"Data", "Snowplow"} <= set(wanted.keywords)
    assert wanted.years == 3
    assert wanted.title == "Data Engineer"


def test_repeated_unknown_words_become_keywords_and_are_matched_whole() -> None:
    job = "Experience with payments. Payments reconciliation and payments risk."

    match = _match(job)

    assert _status(match).get("payments") == "matched"
    payments = next(i for i in match.matched if i.requirement == "payments")
    assert payments.evidence is not None
    assert payments.evidence.line == "Backend engineer with 8 years building payment systems."


def test_empty_job_scores_zero_with_an_explanation() -> None:
    match = _match("")

    assert match.score == 0
    assert match.matched == match.missing == match.partial == []
    assert "No skills" in match.explanation[0]


def test_skills_joined_by_or_form_one_requirement_met_by_either() -> None:
    resume = Resume(skills=[Skill(name="Streaming", keywords=["Kinesis"])])

    match = match_job(resume, document_from(["Kinesis"]), "Kafka or Kinesis; AWS/GCP", today=TODAY)

    status = _status(match)
    assert status["Apache Kafka or Amazon Kinesis"] == "matched"
    assert status["Amazon Web Services or Google Cloud Platform"] == "missing"
    kafka = next(i for i in match.matched if i.requirement.startswith("Apache Kafka"))
    assert kafka.via == "Amazon Kinesis"


def test_hiring_as_a_verb_is_not_a_skill() -> None:
    wanted = extract_requirements("Acme is hiring a data engineer.", load_taxonomy())

    assert "Hiring" not in wanted.skills


def test_years_are_read_in_digits_ranges_and_words() -> None:
    taxonomy = load_taxonomy()
    cases = {
        "At least five years of experience": 5,
        "3-5 years experience with APIs": 3,
        "5+ yrs of professional experience": 5,
        "seven (7) years of experience": 7,
        "Python, 2 years": None,  # no mention of experience: not a requirement
    }

    for text, years in cases.items():
        assert extract_requirements(text, taxonomy).years == years, text


def test_a_job_record_with_odd_field_types_is_read_without_error() -> None:
    job: dict[str, object] = {
        "title": 3,
        "description": "Go and Rust",
        "responsibilities": "not a list",
        "qualifications": [1, None, "5 years of experience"],
        "skills": [{"name": 7, "keywords": "Python"}, "Terraform", 42],
    }

    wanted = extract_requirements(job, load_taxonomy())

    assert set(wanted.skills) == {"Go", "Rust", "Terraform"}
    assert wanted.years == 5
    assert wanted.title is None


def test_a_field_that_is_a_document_line_is_read_as_the_document_writes_it() -> None:
    """A work highlight that is a document line but for case or spacing is not read again
    (the line's lower-case `spring` names no framework); a field the document lacks is."""
    document = document_from(
        ["Ada Lovelace", "Experience", "led the spring rewrite of the Kafka API"]
    )
    resume = Resume(
        work=[
            Work(name="Acme", highlights=["Led the Spring rewrite of the Kafka API"]),
            Work(name="Initech", highlights=["led  the Spring rewrite of the  Kafka API"]),
        ],
        skills=[Skill(name="Tools", keywords=["Terraform"])],
    )

    have = index_resume(resume, document, load_taxonomy())

    assert "Spring" not in have
    assert have.evidence["Terraform"].section == "skills"
    assert have.evidence["Terraform"].line == "Terraform"
    assert have.evidence["Apache Kafka"].line == "led the spring rewrite of the Kafka API"
    assert have.evidence["Apache Kafka"].section == "work"
