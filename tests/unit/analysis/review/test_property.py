"""Review and match never raise, whatever text the parser hands them."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cvlens.analysis.document import Document, Line
from cvlens.analysis.match import match_job
from cvlens.analysis.parse import parse_resume
from cvlens.analysis.resume import Resume, Work
from cvlens.analysis.review import review_resume

LINES = st.lists(st.text(max_size=120), max_size=40)
DATES = st.one_of(st.none(), st.text(max_size=10), st.from_regex(r"\A\d{4}(-\d{2})?\Z"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=LINES, job=st.text(max_size=300))
def test_review_and_match_accept_any_parsed_text(lines: list[str], job: str) -> None:
    document = Document(format="txt", lines=[Line(text=text) for text in lines])
    resume = parse_resume(document)

    review = review_resume(resume, document)
    match = match_job(resume, document, job, today=date(2025, 1, 1))

    assert 0 <= review.score <= 100
    assert 0 <= match.score <= 100


@settings(max_examples=60, deadline=None)
@given(starts=st.lists(DATES, max_size=6), ends=st.lists(DATES, max_size=6))
def test_any_dates_are_tolerated(starts: list[str | None], ends: list[str | None]) -> None:
    work = [
        Work(position="Engineer", startDate=start, endDate=end, highlights=["Built 3 things."])
        for start, end in zip(starts, ends, strict=False)
    ]
    resume = Resume(work=work)
    document = Document(format="txt", lines=[Line(text="EXPERIENCE"), Line(text="Engineer")])

    review = review_resume(resume, document)
    match = match_job(resume, document, "3+ years of experience", today=date(2025, 1, 1))

    assert 0 <= review.score <= 100
    assert match.candidate_years is not None and match.candidate_years >= 0
