"""The shipped taxonomy: size, aliases, relations and whole-word matching."""

from __future__ import annotations

import pytest

from cvlens.analysis.match import load_taxonomy


def _found(text: str) -> list[str]:
    return [hit.skill for hit in load_taxonomy().find(text)]


def test_taxonomy_has_at_least_1500_skills_with_categories() -> None:
    taxonomy = load_taxonomy()

    assert len(taxonomy) >= 1500
    assert all(entry.category for entry in taxonomy.skills.values())


def test_loaded_once() -> None:
    assert load_taxonomy() is load_taxonomy()


@pytest.mark.parametrize(
    ("form", "skill"),
    [
        ("k8s", "Kubernetes"),
        ("JS", "JavaScript"),
        ("golang", "Go"),
        ("postgres", "PostgreSQL"),
        ("ReactJS", "React"),
        ("node.js", "Node.js"),
        ("sklearn", "scikit-learn"),
        ("c sharp", "C#"),
    ],
)
def test_aliases_resolve_to_the_canonical_skill(form: str, skill: str) -> None:
    entry = load_taxonomy().lookup(form)

    assert entry is not None
    assert entry.name == skill


def test_go_does_not_match_inside_other_words_or_as_the_verb() -> None:
    assert _found("We are going to go far with Go and golang.") == ["Go", "Go"]


def test_java_is_not_found_inside_javascript() -> None:
    assert _found("JavaScript only") == ["JavaScript"]


def test_symbols_skills_are_matched_whole() -> None:
    text = "C++, C#, .NET, Node.js and ASP.NET; also C/C++ and Objective-C."

    assert _found(text) == ["C++", "C#", ".NET", "Node.js", "ASP.NET", "C", "C++", "Objective-C"]


def test_sentence_punctuation_does_not_stick_to_a_skill() -> None:
    assert _found("Built APIs in Node.js. Deployed on AWS.") == ["Node.js", "Amazon Web Services"]


def test_multi_word_skills_win_over_their_parts() -> None:
    assert _found("React Native and Spring Boot") == ["React Native", "Spring Boot"]


def test_a_hyphenated_or_slashed_compound_is_split_when_unknown() -> None:
    assert _found("React-based UI in Python/Django") == ["React", "UI design", "Python", "Django"]


def test_single_letter_languages_need_their_case_and_no_hyphen() -> None:
    assert _found("C-level executives and a c compiler") == []
    assert _found("Wrote drivers in C and models in R") == ["C", "R"]


def test_everyday_words_match_only_with_their_case() -> None:
    assert _found("spring cleaning with swift express delivery") == []
    assert _found("Spring, Swift and Express") == ["Spring", "Swift", "Express"]


def test_related_skills() -> None:
    taxonomy = load_taxonomy()

    assert taxonomy.are_related("React", "Vue.js")
    assert taxonomy.are_related("Next.js", "React")
    assert taxonomy.are_related("TypeScript", "JavaScript")
    assert not taxonomy.are_related("Python", "Java")
    assert not taxonomy.are_related("React", "React")


def test_links_and_emails_name_no_skill() -> None:
    text = "https://github.com/ada, www.react.dev, ada@python.org; built with React"

    hits = load_taxonomy().find(text)

    assert [(hit.skill, text[hit.start : hit.end]) for hit in hits] == [("React", "React")]


def test_text_whose_lowering_changes_length_finds_the_same_skills_at_the_same_places() -> None:
    """`İ` lowers to two characters: such a text is read token by token, with the same hits."""
    text = "CI/CD for Node.js and Ruby on Rails apps, Python/Django, React-based UI; C++, .NET"
    plain = load_taxonomy().find(text)
    longer = load_taxonomy().find(text + " İzmir")
    skills = ["CI/CD", "Node.js", "Ruby on Rails", "Python", "Django", "React", "UI design"]
    assert [hit.skill for hit in plain] == [*skills, "C++", ".NET"]
    assert longer == plain
