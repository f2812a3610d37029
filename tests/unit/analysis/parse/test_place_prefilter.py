"""The cheap test in front of the region peeling of `split_location` never refuses a text
the peeling would read."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cvlens.analysis.parse import places

NAMES = [*places.COUNTRIES, *places.REGIONS]
WORDS = st.one_of(
    st.sampled_from(NAMES).map(lambda n: n.title() if len(n) % 2 else n.upper()),
    st.sampled_from(sorted(places._CODES)),
    st.sampled_from(["Springfield", "York", "New", ".", "..", "Texas.", ".Texas", "ny", "Acme"]),
)


def _peels_a_region(words: list[str]) -> bool:
    """The first step of the peeling in `split_location`: a run of the last words is a
    region, country or code."""
    return any(
        len(words) - size >= 1 and places._is_region(" ".join(words[-size:])) for size in (3, 2, 1)
    )


@settings(max_examples=2000, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=4).map(lambda ws: " ".join(ws).split()))
def test_prefilter_passes_every_text_that_ends_with_a_region(words: list[str]) -> None:
    if len(words) >= 2 and _peels_a_region(words):
        assert places._may_end_with_region(words)


def test_prefilter_refuses_text_without_a_region_at_its_end() -> None:
    assert not places._may_end_with_region(["Senior", "Software", "Engineer"])
    assert places._may_end_with_region(["Austin", "Texas", "."])
    assert places._may_end_with_region(["Austin", "TX"])
    assert places.split_location("Austin Texas .") is not None
