"""The word-by-word tests in front of the word-list regexes decide as the regexes do."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cvlens.analysis.parse import roles
from cvlens.analysis.review.lexicon import _lines, filler_pattern, may_hold_filler
from cvlens.analysis.word_runs import plain_runs

ROLE_WORDS = roles._vocabulary()["nouns"] + roles._vocabulary()["words"]
FILLERS = _lines("filler_phrases.txt")
OTHER_WORDS = ["Acme", "GmbH", "II", "3", "iv", "(Contract)", "(", ")", "-", "Engineers",
               "co-Engineer", "Engineer_", "Senior", "ſenior", "Ingénieur", "very-", "etc.",
               "in", "and", "Hard-Working", "team-player", "2020", "–", ",", "Inc."]  # fmt: skip
SEPARATORS = st.sampled_from([" ", "  ", "\t", "-", ", ", " (", ") ", "/"])


def _title_score_by_regex(text: str) -> int:
    if roles._title_end_re().search(text.strip()):
        return 2
    return 1 if roles._title_re().search(text) else 0


def _texts(words: list[str]) -> st.SearchStrategy[str]:
    word = st.one_of(st.sampled_from(words), st.sampled_from(OTHER_WORDS)).map(
        lambda w: w.upper() if len(w) % 3 == 0 else w.title() if len(w) % 3 == 1 else w
    )
    return st.lists(st.tuples(word, SEPARATORS), min_size=1, max_size=7).map(
        lambda parts: "".join(w + s for w, s in parts[:-1]) + parts[-1][0]
    )


def test_plain_runs_lower_case_words_of_plain_entries() -> None:
    assert plain_runs(["Chef de Projet", "co-founder"]) == [
        ("chef", "de", "projet"),
        ("co-founder",),
    ]


def test_plain_runs_refuses_entries_that_are_not_plain_words() -> None:
    assert plain_runs(["engineer", "sr. engineer"]) is None
    assert plain_runs(["engineer", "c++ developer"]) is None
    assert plain_runs(["engineer", "lead  dev"]) is None


def test_plain_runs_skip_entries_no_ascii_text_can_match_but_not_those_that_can() -> None:
    assert plain_runs(["ingénieur", "engineer"]) == [("engineer",)]
    assert plain_runs(["ſenior"]) is None  # the long s matches "s" when case is ignored


@pytest.mark.parametrize(
    ("text", "score"),
    [
        ("Software Engineer (Contract, Part Time)", 2),
        ("Software Engineer(Acme Labs) II", 2),
        ("Senior Software Engineer III", 2),
        ("Senior Product Owner", 2),
        ("Chef de Projet (Freelance)", 2),
        ("Scrum Master at Acme", 1),
        ("Engineering Manager, Acme", 1),
        ("Ingénieur logiciel senior", 1),
        ("Acme Corporation", 0),
    ],
)
def test_title_score_where_a_role_noun_may_end_the_text(text: str, score: int) -> None:
    assert roles.title_score(text) == _title_score_by_regex(text) == score


@settings(max_examples=1000, deadline=None)
@given(_texts(ROLE_WORDS))
def test_title_score_agrees_with_the_regexes(text: str) -> None:
    assert roles.title_score(text) == _title_score_by_regex(text)


@settings(max_examples=1000, deadline=None)
@given(_texts(FILLERS))
def test_filler_test_never_skips_a_text_the_pattern_matches(text: str) -> None:
    if filler_pattern().search(text):
        assert may_hold_filler(text)


def test_filler_test_skips_text_without_filler_words() -> None:
    assert not may_hold_filler("Cut build times by 40% across 12 services")
    assert may_hold_filler("Responsible for the build")
    assert not may_hold_filler("Responsible engineer of the build")  # no "for"


TWINS = ["\u0130", "\u0131", "\u017f", "\u212a"]  # İ ı ſ K: IGNORECASE twins of i, i, s, k


@settings(max_examples=1000, deadline=None)
@given(_texts(FILLERS), st.lists(st.sampled_from(["–", "é", "ß", "Σ", "’", *TWINS]), max_size=3))
def test_filler_test_is_exact_for_text_without_a_case_twin(text: str, extra: list[str]) -> None:
    text = text + " " + "".join(extra) if extra else text
    if any(twin in text for twin in TWINS):
        assert may_hold_filler(text) or not filler_pattern().search(text)
    else:
        assert may_hold_filler(text) == bool(filler_pattern().search(text))


def test_filler_test_reads_non_ascii_text_too() -> None:
    assert not may_hold_filler("Cut build times – by 40% in Zürich")
    assert may_hold_filler("Responsible for the build – in Zürich")
    assert may_hold_filler("RESPONSIBLE FOR \u017fales")  # a twin: the pattern decides
