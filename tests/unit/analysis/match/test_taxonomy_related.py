"""`related_among`: the related skills among many names at once, as `are_related` picks them."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from cvlens.analysis.match import load_taxonomy

NAMES = sorted(load_taxonomy().skills)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(NAMES),
    st.lists(st.sampled_from(NAMES) | st.sampled_from(["React", "Vue.js", "no such skill"])),
)
@example("React", ["Vue.js", "React", "Angular", "Python", "Next.js"])
@example("JavaScript", ["TypeScript", "Node.js", "Java"])
def test_related_among_is_every_name_that_are_related_picks(skill: str, names: list[str]) -> None:
    taxonomy = load_taxonomy()

    related = taxonomy.related_among(skill, names)

    assert related == sorted(name for name in names if taxonomy.are_related(skill, name))
