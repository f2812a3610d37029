"""Links are blanked before skills are looked for, only where a link can be, same result."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cvlens.analysis.match.taxonomy import _LINK, _LINK_ANCHOR, _anchor_starts, _blank_links

PIECES = st.sampled_from(
    [
        *[" ", "\n", "\t", "\u00a0", "@", "://", "www.", "WWW.", ".", "-", "+", "(", ")", "[", "<"],
        *["wWw.", "ww", "w", "W.", "\u212a", "\u0130"],
        *["https", "ada", "Ada_1", "python.org", "x", "é", "github.com/ada", "mailto:"],
    ]
)


def _everywhere(text: str) -> str:
    return _LINK.sub(lambda link: " " * len(link.group()), text)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES | st.text(max_size=4), max_size=30).map("".join))
def test_blanking_only_around_anchors_equals_blanking_everywhere(text: str) -> None:
    assert _blank_links(text) == _everywhere(text)


def test_links_keep_their_length_and_the_rest_is_untouched() -> None:
    text = "Mail ada@python.org or see https://github.com/ada (www.ada.dev) in Python"

    blanked = _blank_links(text)

    assert len(blanked) == len(text)
    assert blanked.split() == ["Mail", "or", "see", "(", ")", "in", "Python"]


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES | st.text(max_size=4), max_size=30).map("".join))
def test_anchor_starts_are_where_the_anchor_pattern_matches(text: str) -> None:
    starts = _anchor_starts(text)

    assert starts == sorted(starts)
    assert {match.start() for match in _LINK_ANCHOR.finditer(text)} <= set(starts)
    assert all(_LINK_ANCHOR.match(text, start) for start in starts)
