"""The rubric end to end: scores, weights, ordering and determinism."""

from __future__ import annotations

from cvlens.analysis.resume import Resume
from cvlens.analysis.review import DIMENSIONS, review_resume

from .builders import document_from, good_document_lines, good_resume


def test_a_good_resume_scores_high_with_every_dimension_reported() -> None:
    review = review_resume(good_resume(), document_from(good_document_lines()))

    assert [d.name for d in review.dimensions] == [
        "structure",
        "impact",
        "ats",
        "readability",
        "consistency",
    ]
    assert review.score >= 90
    assert all(0 <= d.score <= 100 for d in review.dimensions)


def test_weights_sum_to_one_and_overall_is_their_weighted_mean() -> None:
    review = review_resume(good_resume(), document_from(good_document_lines()))

    assert abs(sum(weight for _, weight, _ in DIMENSIONS) - 1) < 1e-9
    weighted = sum(d.score * d.weight for d in review.dimensions)
    assert abs(review.score - weighted) <= 1


def test_an_empty_resume_scores_low_and_findings_come_most_severe_first() -> None:
    review = review_resume(Resume(), document_from(["hello"]))

    assert review.score < 40
    order = {"critical": 0, "warning": 1, "info": 2}
    severities = [order[f.severity] for f in review.findings]
    assert severities == sorted(severities)
    assert review.findings[0].severity == "critical"


def test_review_is_deterministic() -> None:
    first = review_resume(good_resume(), document_from(good_document_lines()))
    second = review_resume(good_resume(), document_from(good_document_lines()))

    assert first.to_json() == second.to_json()


def test_every_finding_has_the_documented_fields() -> None:
    review = review_resume(Resume(), document_from(["Some words"], columns=2, tables=1))

    for finding in review.to_json()["findings"]:  # type: ignore[attr-defined]
        assert set(finding) == {"id", "dimension", "severity", "message", "evidence", "fix"}
        assert set(finding["evidence"]) == {"section", "line"}
        assert finding["message"] and finding["fix"]
