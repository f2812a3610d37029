"""Sections of a document's lines: standard headings, and lines set exactly like them."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from cvlens.analysis.document import Document, Line
from cvlens.analysis.review.locate import Locator


def _locate(sizes_and_texts: list[tuple[float, str]]) -> Locator:
    lines = [Line(text=text, font_size=size) for size, text in sizes_and_texts]
    return Locator(Document(format="pdf", lines=lines), set())


def test_a_line_set_like_the_standard_headings_is_a_heading_with_its_section() -> None:
    locator = _locate(
        [
            *[(10, "Ada Lovelace"), (14, "Experience"), (10, "Built the engine")],
            *[(14, "Side Quests"), (10, "Mapped the caves"), (10, "of the north coast and more")],
        ]
    )

    assert [(h.index, h.section) for h in locator.headings] == [(1, "work"), (3, "other")]
    assert locator.sections == ["basics", "work", "work", "other", "other", "other"]
    assert locator.find("mapped the caves", "work") == ("other", "Mapped the caves")


def test_the_body_look_counts_the_words_of_every_size_that_rounds_alike() -> None:
    """10.9 and 11.1 are both 11 (6 words in all, more than the 5 set in 12): the standard
    heading is set like the body, so a line set the same way is no heading."""
    locator = _locate(
        [
            *[(11.0, "Experience"), (10.9, "one two three"), (11.1, "four five six")],
            *[(12.0, "a b c d e"), (11.0, "Side Quests"), (10.9, "seven")],
        ]
    )

    assert [h.line.text for h in locator.headings] == ["Experience"]


def test_of_looks_with_as_many_words_the_first_used_is_the_body() -> None:
    """3 words set in 11 (the heading and "Hobby Log"), 3 in 12."""
    first = _locate([(11.0, "Experience"), (12.0, "a b c"), (11.0, "Hobby Log")])
    second = _locate([(12.0, "a b c"), (11.0, "Experience"), (11.0, "Hobby Log")])

    assert [h.line.text for h in first.headings] == ["Experience"]
    assert [h.line.text for h in second.headings] == ["Experience", "Hobby Log"]


def _first_line_scan(locator: Locator, text: str, default: str) -> tuple[str, str]:
    """`find` as a scan of the lines in order, to compare with."""
    full = " ".join(text.lower().split())
    needle = full[:60]
    for line, section in zip(locator.document.lines, locator.sections, strict=True):
        folded = line.text.lower()
        unbulleted = folded.lstrip("•*-–· ") if len(folded) > 15 else None
        if needle and (needle in folded or (unbulleted is not None and unbulleted in full)):
            return section, line.text
    return default, text


WORDS = st.sampled_from(["Built", "the", "engine", "•", "-", "Experience", "mapped", "caves", "a"])
TEXTS = st.lists(WORDS | st.text(max_size=3), max_size=12).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(st.lists(TEXTS, max_size=8), st.lists(TEXTS, max_size=6))
@example(
    ["Experience", "• Built the engine of the north", "mapped caves"],
    ["Built the engine of the north and more", "mapped caves", "BUILT THE ENGINE"],
)
def test_find_is_the_first_line_that_starts_the_text_or_lies_inside_it(
    texts: list[str], queries: list[str]
) -> None:
    locator = Locator(Document(format="txt", lines=[Line(text=t) for t in texts]), set())

    for query in [*queries, *queries]:  # asked twice: the second answer is the kept one
        assert locator.find(query, "work") == _first_line_scan(locator, query, "work")
