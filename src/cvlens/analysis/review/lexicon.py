"""Shipped word lists the rubric uses: action verbs and filler phrases (see data/README.md)."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

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


# The only characters IGNORECASE matches with an ASCII letter besides its two cases.
_CASE_TWINS = re.compile("[\u0130\u0131\u017f\u212a]")


@cache
def _lower_filler_pattern() -> re.Pattern[str] | None:
    """`filler_pattern` for lowered text, read case-sensitively (None when a phrase is not
    ASCII: only ASCII letters have no other case than their two but for `_CASE_TWINS`)."""
    phrases = sorted(_lines("filler_phrases.txt"), key=len, reverse=True)
    if not all(phrase.isascii() for phrase in phrases):
        return None
    alternation = "|".join(re.escape(phrase.lower()) for phrase in phrases)
    return re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])")


def may_hold_filler(text: str) -> bool:
    """False when `filler_pattern` cannot match `text`, exact for a text without any of
    `_CASE_TWINS`: there the pattern matches where its lower-case twin matches the lowered
    text (lowering changes no character's `[\\w-]` class), and a case-sensitive search costs
    the engine a fraction of an IGNORECASE one."""
    lowered = _lower_filler_pattern()
    if lowered is None or _CASE_TWINS.search(text):
        return True
    return lowered.search(text.lower()) is not None


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
