"""`has_figure` answers as the one IGNORECASE pattern it stands in for."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from cvlens.analysis.review.impact import _NUMBER, has_figure

PIECES = st.sampled_from(
    [
        *[" ", "-", "_", ".", "a", "s", "x", "é", "\u017f", "\u212a", "%", "€", "٣"],
        *["two", "Ten", "TWELVE", "dozen", "Dozens", "hundred", "thousands", "MILLION"],
        *["billions", "doubled", "Tripled", "halved", "often", "twentyfold", "tenth"],
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES | st.text(max_size=3), max_size=12).map("".join))
@example("cut costs by a third, tripled revenue")
@example("thou\u017fands of users")  # the long s is an s when case is ignored
@example("Led the team")
def test_has_figure_is_the_pattern(text: str) -> None:
    assert has_figure(text) == (_NUMBER.search(text) is not None)
