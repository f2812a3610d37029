"""Shipped word lists the rubric uses: action verbs and filler phrases (see data/README.md)."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from cvlens.analysis.word_runs import plain_runs, text_runs

# Present-tense forms whose past tense is irregular (the rest are derived by rule).
_IRREGULAR = {
    "lead": "led", "build": "built", "run": "ran", "write": "wrote", "drive": "drove",
    "grow": "grew", "oversee": "oversaw", "win": "won", "teach": "taught", "make": "made",
    "bring": "brought", "set": "set", "cut": "cut", "take": "took",
}  # fmt: skip


def _lines(name: str) -> list[str]:
    text = resources.files("cvlens.analysis").joinpath(f"data/{name}").read_text("utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@cache
def action_verbs() -> frozenset[str]:
    return frozenset(_lines("action_verbs.txt"))


@cache
def filler_pattern() -> re.Pattern[str]:
    phrases = sorted(_lines("filler_phrases.txt"), key=len, reverse=True)
    alternation = "|".join(re.escape(phrase) for phrase in phrases)
    return re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])", re.IGNORECASE)


@cache
def _filler_words() -> dict[str, list[frozenset[str]]] | None:
    """The words of each filler phrase, under the phrase's first word (see `word_runs`)."""
    phrases = plain_runs(_lines("filler_phrases.txt"))
    if phrases is None:
        return None
    words: dict[str, list[frozenset[str]]] = {}
    for runs in phrases:
        words.setdefault(runs[0], []).append(frozenset(runs))
    return words


def may_hold_filler(text: str) -> bool:
    """False when `filler_pattern` cannot match an ASCII text: every word of some phrase
    must be among the text's runs of `[\\w-]`."""
    phrases = _filler_words() if text.isascii() else None
    if phrases is None:
        return True
    runs = set(text_runs(text))
    return any(words <= runs for run in runs if run in phrases for words in phrases[run])


def is_action_verb(word: str) -> bool:
    """True for a listed verb in the past tense or its present/imperative form (`Design`)."""
    word = word.lower().strip(".,;:()")
    if word.startswith("re") and len(word) > 4 and is_action_verb(word[2:]):
        return True  # Rebuild, Redesign, Reorganise
    verbs = action_verbs()
    if word in verbs or _IRREGULAR.get(word) in verbs:
        return True
    candidates = {word + "d", word + "ed", word[:-1] + "ied" if word.endswith("y") else ""}
    if word.endswith("s"):
        stem = word[:-1]
        candidates |= {stem + "d", stem + "ed", _IRREGULAR.get(stem, "")}
        if word.endswith("es"):
            candidates.add(word[:-2] + "ed")
        if word.endswith("ies"):
            candidates.add(word[:-3] + "ied")
    if len(word) > 2 and word[-1] == word[-2]:
        candidates.add(word + "ed")
    candidates.add(word + word[-1:] + "ed")
    return bool(candidates & verbs)
