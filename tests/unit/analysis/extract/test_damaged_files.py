"""Damaged copies of good files are refused with a typed error (or read), never crash."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cvlens.analysis.errors import AnalysisError
from cvlens.analysis.extract import extract_document
from cvlens.analysis.parse import parse_resume

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "resumes"
_EDITS = st.lists(
    st.tuples(st.floats(min_value=0, max_value=1, exclude_max=True), st.integers(0, 255)),
    min_size=1,
    max_size=20,
)


@pytest.mark.parametrize("name", ["jane_doe.pdf", "jane_doe.docx", "sam_rivera_two_column.pdf"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=_EDITS, cut=st.floats(min_value=0.05, max_value=1.0))
def test_damaged_file_raises_typed_error_or_parses(
    name: str, edits: list[tuple[float, int]], cut: float
) -> None:
    original = (FIXTURES / name).read_bytes()
    data = bytearray(original)
    for where, value in edits:
        data[int(where * len(data))] = value
    damaged = bytes(data[: max(1, int(cut * len(data)))]) + original[-40:]
    try:
        document = extract_document(damaged, name)
    except AnalysisError as err:
        assert err.message  # a plain message for people
        return
    assert parse_resume(document).to_json_resume()["basics"] is not None
