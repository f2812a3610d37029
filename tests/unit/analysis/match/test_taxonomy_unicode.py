"""Characters whose lower-case form changes length (`İ`) or token class (the Kelvin sign)."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from cvlens.analysis.match import load_taxonomy

ODD = ["\u212a", "\u0130"]  # KELVIN SIGN lowers to ASCII `k`; `İ` lowers to two characters
PIECES = st.sampled_from(
    [
        *ODD,
        *[" ", "  ", "\n", "-", " - ", "/", ".", ",", "@", "é", "K", "k", "8s"],
        *["Python", "React", "Ruby", "on", "Rails", "C++", ".NET", "Node.js", "CI/CD"],
        *["k8s", "Kubernetes", "Go", "golang", "Django", "UI", "design", "ada@python.org"],
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES | st.text(max_size=3), max_size=25).map("".join))
@example("a \u212a Python")
@example("\u212aubernetes and React")
def test_odd_characters_read_like_any_other_letter(text: str) -> None:
    """Never raises; every hit's span holds its surface, a form of its skill; and the hits
    are those of the same text with `é` (a letter no token holds, lowered in place) in
    place of each odd character."""
    taxonomy = load_taxonomy()

    hits = taxonomy.find(text)

    for hit in hits:
        assert hit.surface in " ".join(text[hit.start : hit.end].split())
        entry = taxonomy.lookup(hit.surface)
        assert entry is not None
        assert entry.name == hit.skill
    plain = text
    for odd in ODD:
        plain = plain.replace(odd, "é")
    assert hits == taxonomy.find(plain)


def test_skills_beside_odd_characters_are_found() -> None:
    taxonomy = load_taxonomy()
    assert [hit.skill for hit in taxonomy.find("\u212aubernetes and React")] == ["React"]
    assert [hit.skill for hit in taxonomy.find("a \u212a Python")] == ["Python"]
    assert [hit.skill for hit in taxonomy.find("\u0130 know Django and k8s")] == [
        "Django",
        "Kubernetes",
    ]
