"""A document's word count is the sum of its lines' word counts."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cvlens.analysis.document import Document, Line

TEXTS = st.lists(st.sampled_from(["", " ", "\n", "\t", "\u00a0", "a", "bc", "-", "é"]), max_size=8)


@settings(max_examples=200, deadline=None)
@given(st.lists(TEXTS.map("".join), max_size=6))
def test_words_counts_each_line_apart(texts: list[str]) -> None:
    document = Document(format="txt", lines=[Line(text=text) for text in texts])

    assert document.words == sum(len(text.split()) for text in texts)
