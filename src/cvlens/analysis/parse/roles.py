"""Does a short text read like a job title, or like an organisation?

The vocabulary is shipped data (analysis/data/roles.json): role nouns that end a title,
role words that may stand anywhere in one, legal-entity and weaker organisation words.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

from cvlens.analysis.word_runs import plain_runs, text_runs


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


@cache
def _title_end_re() -> re.Pattern[str]:
    nouns = _alternation(_vocabulary()["nouns"])
    return re.compile(
        rf"(?<![\w-])(?:{nouns})(?![\w-])(?:\s*\(.*\))?(?:\s+(?:i{{1,3}}|iv|v|[1-5]))?$",
        re.IGNORECASE,
    )


_BEFORE_PARENS_RE = re.compile(r"([\w-]+)\s*\(")


@cache
def _word_filter() -> tuple[frozenset[str], frozenset[str]] | None:
    """The first word of every role noun and role word, and the last word of every role
    noun ("chef", "projet" of "chef de projet"); None when the word test does not apply."""
    vocabulary = _vocabulary()
    words = plain_runs(vocabulary["nouns"] + vocabulary["words"])
    nouns = plain_runs(vocabulary["nouns"])
    if words is None or nouns is None:
        return None
    return frozenset(runs[0] for runs in words), frozenset(runs[-1] for runs in nouns)


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

    An ASCII text is first checked word by word (see `word_runs`): without the first word
    of any entry it matches neither regex, and a role noun can only end it as its last or
    second-to-last run (before "II") or right before a parenthesis ("... (Contract)").
    """
    words = _word_filter() if text.isascii() else None
    if words is not None:
        runs = text_runs(text)
        if words[0].isdisjoint(runs):
            return 0
        if words[1].isdisjoint([*runs[-2:], *_BEFORE_PARENS_RE.findall(text.lower())]):
            return 1 if _title_re().search(text) else 0
    if _title_end_re().search(text.strip()):
        return 2
    return 1 if _title_re().search(text) else 0


def is_title(text: str) -> bool:
    return bool(_title_re().search(text))
