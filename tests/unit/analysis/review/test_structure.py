"""Structure checks: required sections and contact completeness."""

from __future__ import annotations

from cvlens.analysis.review import review_resume

from .builders import document_from, good_document_lines, good_resume


def _ids(resume_changes: dict[str, object]) -> dict[str, str]:
    resume = good_resume().model_copy(update=resume_changes)
    review = review_resume(resume, document_from(good_document_lines()))
    return {f.id: f.severity for f in review.findings if f.dimension == "structure"}


def test_complete_resume_has_no_structure_findings() -> None:
    assert _ids({}) == {}


def test_missing_work_is_critical_and_missing_skills_a_warning() -> None:
    review = review_resume(
        good_resume().model_copy(update={"work": [], "skills": []}),
        document_from(good_document_lines()),
    )

    missing = {
        f.evidence.section: f.severity
        for f in review.findings
        if f.id == "structure.missing_section"
    }
    assert missing == {"work": "critical", "skills": "warning"}


def test_missing_email_is_critical_and_missing_phone_a_warning() -> None:
    basics = good_resume().basics.model_copy(update={"email": None, "phone": None})

    found = _ids({"basics": basics})

    assert found["structure.contact.email"] == "critical"
    assert found["structure.contact.phone"] == "warning"


def test_structure_score_drops_with_each_missing_contact_field() -> None:
    full = review_resume(good_resume(), document_from(good_document_lines()))
    basics = good_resume().basics.model_copy(update={"email": None})
    partial = review_resume(
        good_resume().model_copy(update={"basics": basics}), document_from(good_document_lines())
    )

    assert partial.dimensions[0].score < full.dimensions[0].score


def test_missing_summary_is_an_info_finding() -> None:
    basics = good_resume().basics.model_copy(update={"summary": None})

    assert _ids({"basics": basics}) == {"structure.summary": "info"}


def test_jobs_without_employer_are_named_and_cost_their_share_of_the_work_section() -> None:
    resume = good_resume()
    complete = review_resume(resume, document_from(good_document_lines()))
    first, *rest = resume.work
    unnamed = first.model_copy(update={"name": None})
    review = review_resume(
        resume.model_copy(update={"work": [unnamed, *rest]}), document_from(good_document_lines())
    )

    findings = [f for f in review.findings if f.id == "structure.work_employer"]
    assert [(f.severity, f.evidence.section) for f in findings] == [("warning", "work")]
    assert first.position and first.position in findings[0].message
    assert findings[0].evidence.line is not None and first.position in findings[0].evidence.line
    structure = {d.name: d.score for d in review.dimensions}["structure"]
    complete_structure = {d.name: d.score for d in complete.dimensions}["structure"]
    assert structure < complete_structure
