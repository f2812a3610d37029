"""Consistency: date formats, reverse-chronological order, gaps, date ranges."""

from __future__ import annotations

from cvlens.analysis.resume import Work
from cvlens.analysis.review import Finding, review_resume
from cvlens.analysis.review.consistency import month_index

from .builders import document_from, good_document_lines, good_resume


def _consistency(work: list[Work] | None = None, lines: list[str] | None = None) -> list[Finding]:
    resume = good_resume()
    if work is not None:
        resume = resume.model_copy(update={"work": work})
    review = review_resume(resume, document_from(lines or good_document_lines()))
    return [f for f in review.findings if f.dimension == "consistency"]


def _job(position: str, start: str, end: str | None) -> Work:
    return Work(name="Co", position=position, startDate=start, endDate=end, highlights=[])


def test_month_index_reads_iso_months_and_bare_years() -> None:
    assert month_index("2020-03") == 2020 * 12 + 2
    assert month_index("2020") == 2020 * 12
    assert month_index("2020", end=True) == 2020 * 12 + 11
    assert month_index(None) is None
    assert month_index("Present") is None


def test_consistent_resume_has_no_findings() -> None:
    assert _consistency() == []


def test_mixed_date_formats_flag_the_minority_line() -> None:
    lines = good_document_lines()
    lines[lines.index("Mar 2016 – Dec 2019")] = "03/2016 – 12/2019"

    findings = [f for f in _consistency(lines=lines) if f.id == "consistency.date_format"]

    assert [f.evidence.line for f in findings] == ["03/2016 – 12/2019"]
    assert "MM/YYYY" in findings[0].message


def test_roles_out_of_order_are_flagged() -> None:
    work = [_job("Engineer", "2016-03", "2019-12"), _job("Senior Engineer", "2020-01", None)]

    findings = [f for f in _consistency(work) if f.id == "consistency.order"]

    assert len(findings) == 1
    assert findings[0].evidence.line == "Senior Engineer, Acme Pay"


def test_gap_over_six_months_is_flagged_and_a_short_one_is_not() -> None:
    long_gap = [_job("Senior Engineer", "2021-01", None), _job("Engineer", "2016-03", "2019-12")]
    short_gap = [_job("Senior Engineer", "2020-05", None), _job("Engineer", "2016-03", "2019-12")]

    gaps = [f for f in _consistency(long_gap) if f.id == "consistency.gap"]

    assert len(gaps) == 1
    assert "12 months" in gaps[0].message
    assert not [f for f in _consistency(short_gap) if f.id == "consistency.gap"]


def test_overlapping_roles_are_not_gaps() -> None:
    work = [
        _job("Senior Engineer", "2021-01", None),
        _job("Consultant", "2017-01", "2018-06"),
        _job("Engineer", "2016-03", "2020-12"),
    ]

    assert not [f for f in _consistency(work) if f.id == "consistency.gap"]


def test_end_before_start_is_critical() -> None:
    work = [_job("Engineer", "2019-05", "2018-01")]

    findings = [f for f in _consistency(work) if f.id == "consistency.end_before_start"]

    assert [f.severity for f in findings] == ["critical"]
