"""The first-word test in `section_key` never refuses a heading the alias table names."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cvlens.analysis.parse import headings

ALIAS_WORDS = sorted({w for alias in headings.aliases() for w in alias.split(" ")})
OTHER = ["Experience", "and", "AND", "&", "+", "-", "Acme", "2020", "ſkills", "İ", "—", ":"]
SEPARATORS = st.sampled_from([" ", "  ", " and ", " & ", "\t", ", ", " / ", "-", ""])


def _reference(text: str) -> str | None:
    if len(text.split()) > headings.MAX_HEADING_WORDS:
        return None
    key = headings.normalise(text)
    found = headings.aliases().get(key)
    if found is None and key.endswith(" experience"):
        found = headings.aliases().get(key.removesuffix(" experience"))
    return found


WORD = st.one_of(st.sampled_from(ALIAS_WORDS), st.sampled_from(OTHER)).map(
    lambda w: w.upper() if len(w) % 3 == 0 else w.title() if len(w) % 3 == 1 else w
)


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.tuples(SEPARATORS, WORD), min_size=1, max_size=4))
def test_section_key_agrees_with_the_alias_table(parts: list[tuple[str, str]]) -> None:
    text = "".join(s + w for s, w in parts)
    assert headings.section_key(text) == _reference(text)


def test_every_alias_and_its_experience_form_is_named() -> None:
    for alias, key in headings.aliases().items():
        assert headings.section_key(alias.upper()) == key
        longer = f"{alias.title()} Experience"
        assert headings.section_key(longer) == _reference(longer)
