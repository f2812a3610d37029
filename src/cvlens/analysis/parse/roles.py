"""Does a short text read like a job title, or like an organisation?

The vocabulary is shipped data (analysis/data/roles.json): role nouns that end a title,
role words that may stand anywhere in one, legal-entity and weaker organisation words.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from cvlens.analysis.word_runs import RUN_RE, plain_runs


@cache
def _vocabulary() -> dict[str, list[str]]:
    raw = resources.files("cvlens.analysis").joinpath("data/roles.json").read_text("utf-8")
    return {k: v for k, v in json.loads(raw).items() if not k.startswith("_")}


def _alternation(words: list[str]) -> str:
    """Longest first; a full stop inside an entry ("s.r.o") is optional."""
    ordered = sorted(set(words), key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\.", r"\.?") for w in ordered)


@cache
def _title_re() -> re.Pattern[str]:
    vocabulary = _vocabulary()
    words = _alternation(vocabulary["nouns"] + vocabulary["words"])
    return re.compile(rf"(?<![\w-])(?:{words})(?![\w-])", re.IGNORECASE)


# What may follow the role noun that ends a title: "(Contract)", a grade ("II", "3").
_TITLE_TAIL = r"(?:\s*\(.*\))?(?:\s+(?:i{1,3}|iv|v|[1-5]))?$"
_TITLE_TAIL_RE = re.compile(_TITLE_TAIL, re.IGNORECASE)


@cache
def _title_end_re() -> re.Pattern[str]:
    nouns = _alternation(_vocabulary()["nouns"])
    return re.compile(rf"(?<![\w-])(?:{nouns})(?![\w-]){_TITLE_TAIL}", re.IGNORECASE)


@dataclass(frozen=True)
class _Words:
    """The vocabulary as words (see `word_runs`), for ASCII text."""

    single: frozenset[str]
    """Role nouns and role words of one word."""
    longer: list[frozenset[str]]
    """The words of each longer role noun or role word ("chef de projet")."""
    single_nouns: frozenset[str]
    longer_nouns: list[frozenset[str]]


@cache
def _words() -> _Words | None:
    vocabulary = _vocabulary()
    entries = plain_runs(vocabulary["nouns"] + vocabulary["words"])
    nouns = plain_runs(vocabulary["nouns"])
    if entries is None or nouns is None:
        return None
    return _Words(
        single=frozenset(runs[0] for runs in entries if len(runs) == 1),
        longer=[frozenset(runs) for runs in entries if len(runs) > 1],
        single_nouns=frozenset(runs[0] for runs in nouns if len(runs) == 1),
        longer_nouns=[frozenset(runs) for runs in nouns if len(runs) > 1],
    )


def _title_score_by_words(text: str, words: _Words) -> int | None:
    """`title_score` of an ASCII text word by word; None when only the regexes can tell.

    A one-word entry matches exactly where it is a whole run of the text; a one-word role
    noun ends a title when the rest of the text is a `_TITLE_TAIL`. A text holding every
    word of a longer entry ("Chef de Projet") is left to the regexes.
    """
    stripped = text.strip()
    lowered = stripped.lower()  # ASCII: every run ends where it ends in `stripped`
    found = set(RUN_RE.findall(lowered))
    if any(noun <= found for noun in words.longer_nouns):
        return None
    if not words.single_nouns.isdisjoint(found) and any(
        match.group() in words.single_nouns and _TITLE_TAIL_RE.match(stripped, match.end())
        for match in RUN_RE.finditer(lowered)
    ):
        return 2
    if not words.single.isdisjoint(found):
        return 1
    return None if any(entry <= found for entry in words.longer) else 0


@cache
def legal_org_re() -> re.Pattern[str]:
    """Legal forms and institution words: the text names an organisation."""
    return re.compile(rf"\b(?:{_alternation(_vocabulary()['legal_org'])})\b\.?", re.IGNORECASE)


@cache
def org_re() -> re.Pattern[str]:
    """Weaker organisation words ("Technologies", "Labs")."""
    return re.compile(rf"\b(?:{_alternation(_vocabulary()['org'])})\b\.?", re.IGNORECASE)


def title_score(text: str) -> int:
    """2 when the text ends with a role noun ("... Engineer"), 1 when it has a role word.

    A plural at the end reads as a firm ("Northwind Traders", "Smith Associates").

    An ASCII text is scored word by word when it can be (`_title_score_by_words`).
    """
    words = _words() if text.isascii() else None
    if words is not None and (score := _title_score_by_words(text, words)) is not None:
        return score
    if _title_end_re().search(text.strip()):
        return 2
    return 1 if _title_re().search(text) else 0


def is_title(text: str) -> bool:
    return bool(_title_re().search(text))
