"""A cheap word-by-word test in front of a word-list regex.

The role-noun list (parse/roles.py) becomes one alternation between `(?<![\\w-])` and
`(?![\\w-])`, which the regex engine tries at every position of the text. On ASCII text
an entry made of plain words (runs of `[\\w-]` joined by single spaces) can only match
whole runs of the text, in lower case: a text lacking a run of an entry cannot hold it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

RUN_RE = re.compile(r"[\w-]+")
_PLAIN_RE = re.compile(r"[\w-]+(?: [\w-]+)*")
_ASCII = [chr(code) for code in range(128)]


def _matches_no_ascii(entry: str) -> bool:
    """An entry with a character that no ASCII character matches, ignoring case ("é")."""
    return any(
        not char.isascii()
        and not any(re.fullmatch(re.escape(char), ascii, re.IGNORECASE) for ascii in _ASCII)
        for char in entry
    )


def plain_runs(entries: Iterable[str]) -> list[tuple[str, ...]] | None:
    """The lower-case runs of each entry that can match ASCII text; None when an entry is
    not plain words (a full stop, a "+"), so the word-by-word test does not apply."""
    runs: list[tuple[str, ...]] = []
    for entry in entries:
        if _matches_no_ascii(entry):
            continue
        if not (entry.isascii() and _PLAIN_RE.fullmatch(entry)):
            return None
        runs.append(tuple(entry.lower().split(" ")))
    return runs
