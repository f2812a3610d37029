"""Readability: bullet and sentence length."""

from __future__ import annotations

from cvlens.analysis.resume import Work
from cvlens.analysis.review import review_resume

from .builders import document_from, good_document_lines, good_resume

LONG_BULLET = (
    "Designed and delivered a new internal analytics platform that ingests events from "
    "twelve product teams, normalises them, stores them in a warehouse and exposes "
    "dashboards for finance, sales and support, which 300 people now use every week."
)


def _findings(bullets: list[str], summary: str | None = None) -> dict[str, list[str | None]]:
    resume = good_resume().model_copy(
        update={"work": [Work(name="Acme", position="Engineer", highlights=bullets)]}
    )
    resume.basics.summary = summary
    lines = [*good_document_lines(), *[f"• {b}" for b in bullets]]
    review = review_resume(resume, document_from(lines))
    found: dict[str, list[str | None]] = {}
    for finding in review.findings:
        if finding.dimension == "readability":
            found.setdefault(finding.id, []).append(finding.evidence.line)
    return found


def test_long_bullet_is_flagged_with_its_line() -> None:
    found = _findings([LONG_BULLET, "Cut build time by 40% with remote caching in Bazel."])

    assert found["readability.long_bullet"] == [LONG_BULLET]


def test_very_short_bullet_is_an_info() -> None:
    found = _findings(["Did 3 things.", "Cut build time by 40% with remote caching in Bazel."])

    assert found == {"readability.short_bullet": ["Did 3 things."]}


def test_long_sentence_in_summary_is_flagged() -> None:
    summary = " ".join(["word"] * 40) + ". Short one."

    found = _findings(["Cut build time by 40% with remote caching in Bazel."], summary)

    assert len(found["readability.long_sentence"]) == 1
