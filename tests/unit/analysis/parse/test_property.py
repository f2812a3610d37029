"""The parser accepts any text: it may find nothing, but it never raises."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cvlens.analysis.document import Document, Line, Span
from cvlens.analysis.parse import parse_resume
from cvlens.analysis.resume import Resume

_WORDS = st.sampled_from(
    ["Experience", "EDUCATION", "Skills:", "Jan 2020 -", "Present", "2019", "@", "Inc.",
     "University", "•", "-", "Engineer", "at", "+1 (415) 555-0134", "a@b.co", "(GitHub)",
     "https://github.com/x", "Paris, France", "Advanced", "Native", "GPA: 3.9", ":", "|"]
)  # fmt: skip
_TEXT = st.one_of(
    st.text(max_size=80),
    st.lists(_WORDS, max_size=8).map(" ".join),
)
_LINE = st.builds(
    lambda text, size, bold, bullet, x0, y0, page, column: Line(
        text=text,
        font_size=size,
        bold=bold,
        bullet=bullet,
        x0=x0,
        x1=x0 + 5 * len(text),
        y0=y0,
        y1=y0 + size,
        page=page,
        column=column,
        spans=[Span(text=text, font_size=size, bold=bold)],
    ),
    _TEXT,
    st.floats(min_value=0, max_value=60, allow_nan=False),
    st.booleans(),
    st.booleans(),
    st.floats(min_value=0, max_value=600, allow_nan=False),
    st.floats(min_value=0, max_value=800, allow_nan=False),
    st.integers(min_value=1, max_value=3),
    st.integers(min_value=0, max_value=1),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_LINE, max_size=40), st.lists(st.text(max_size=40), max_size=3))
def test_parse_resume_never_raises(lines: list[Line], links: list[str]) -> None:
    resume = parse_resume(Document(format="pdf", lines=lines, links=links))
    assert isinstance(resume, Resume)
    resume.to_json_resume()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=2000))
def test_parse_resume_never_raises_on_plain_text(text: str) -> None:
    lines = [Line(text=t) for t in text.splitlines()]
    resume = parse_resume(Document(format="txt", lines=lines))
    assert isinstance(resume, Resume)


def test_long_hostile_text_parses_quickly_enough_to_finish() -> None:
    """Hundreds of long, date- and URL-laden lines: the parser finishes and finds the e-mail."""
    line = "Jan 2020 - Present https://github.com/x a@b.co +1 415 555 0134 Engineer at Acme, " * 20
    lines = [Line(text=line[:2000]) for _ in range(600)]
    resume = parse_resume(Document(format="txt", lines=[Line(text="Jo"), *lines]))
    assert resume.basics.email == "a@b.co"
