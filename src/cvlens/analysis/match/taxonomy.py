"""The shipped skills taxonomy: loaded once, looked up by normalised form, found in text.

Matching is whole-word by construction: text is cut into tokens that keep the characters
skills are spelt with (`C++`, `C#`, `.NET`, `Node.js`, `CI/CD`), and runs of up to
`max_tokens` consecutive tokens on one line are looked up in a dict, longest first.
`go` therefore never matches inside `going`, and `Java` never inside `JavaScript`.
Forms that are everyday words (`Go`, `Swift`, `Spring`) only match with their exact case.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

TOKEN = re.compile(r"\.?[A-Za-z0-9][A-Za-z0-9+#]*(?:[./\-'&][A-Za-z0-9+#]+)*[+#]*")
_JOINERS = re.compile(r"[ \t]+|[ \t]*-[ \t]*")
MIN_UPPER_VARIANT = 4


def normalise(form: str) -> str:
    return " ".join(form.lower().split())


@dataclass(frozen=True)
class SkillEntry:
    name: str
    category: str
    aliases: tuple[str, ...]
    parent: str | None
    related: frozenset[str]
    source: str


@dataclass(frozen=True)
class SkillHit:
    """One occurrence of a skill in a text: `surface` is the text exactly as written."""

    skill: str
    surface: str
    start: int
    end: int


class Taxonomy:
    def __init__(self, entries: list[SkillEntry], exact: dict[str, str], folded: dict[str, str]):
        self.skills = {entry.name: entry for entry in entries}
        self._exact = exact
        self._folded = folded
        forms = [*exact, *folded]
        self.max_tokens = max(len(TOKEN.findall(form)) for form in forms)

    def __len__(self) -> int:
        return len(self.skills)

    def lookup(self, form: str) -> SkillEntry | None:
        """The skill a written form stands for (`k8s` → Kubernetes), or None."""
        name = self._lookup(" ".join(form.split()))
        return self.skills[name] if name else None

    def _lookup(self, surface: str) -> str | None:
        return self._exact.get(surface) or self._folded.get(surface.lower())

    def are_related(self, first: str, second: str) -> bool:
        a, b = self.skills.get(first), self.skills.get(second)
        if a is None or b is None or a.name == b.name:
            return False
        return (
            b.name in a.related
            or a.name in b.related
            or (a.parent is not None and a.parent == b.parent)
        )

    def find(self, text: str) -> list[SkillHit]:
        """Every skill occurrence in `text`, longest match first, never overlapping."""
        hits: list[SkillHit] = []
        for line_match in re.finditer(r"[^\n]+", text):
            hits.extend(self._find_in_line(line_match.group(), line_match.start()))
        return hits

    def _find_in_line(self, line: str, offset: int) -> list[SkillHit]:
        tokens = list(TOKEN.finditer(line))
        hits: list[SkillHit] = []
        index = 0
        while index < len(tokens):
            hit, used = self._longest_at(line, tokens, index)
            if hit is not None:
                hits.append(SkillHit(hit[0], hit[1], offset + hit[2], offset + hit[3]))
                index += used
                continue
            hits.extend(self._split_token(tokens[index], offset))
            index += 1
        return hits

    def _longest_at(
        self, line: str, tokens: list[re.Match[str]], index: int
    ) -> tuple[tuple[str, str, int, int] | None, int]:
        last = min(len(tokens), index + self.max_tokens)
        for stop in range(last, index, -1):
            start, end = tokens[index].start(), tokens[stop - 1].end()
            if stop - index > 1 and not _joined(line, tokens[index:stop]):
                continue
            surface = " ".join(line[start:end].split())
            name = self._lookup(surface)
            if name is None and surface.startswith(".") and stop - index == 1:
                name, start = self._lookup(surface[1:]), start + 1
                surface = surface[1:]
            if name is not None:
                return (name, surface, start, end), stop - index
        return None, 1

    def _split_token(self, token: re.Match[str], offset: int) -> list[SkillHit]:
        """`Python/Django` or `React-based`: look the parts up when the whole is unknown."""
        hits = []
        for part in re.finditer(r"[^/\-]+", token.group()):
            text = part.group().strip(".")
            if part.group() == token.group() or not text:
                continue
            if len(text) < 2 and "-" in token.group():
                continue
            name = self._lookup(text)
            if name is not None:
                begin = offset + token.start() + part.start()
                hits.append(SkillHit(name, text, begin, begin + len(part.group())))
        return hits


def _joined(line: str, tokens: list[re.Match[str]]) -> bool:
    """Tokens form one phrase only when separated by blanks or a hyphen, not punctuation."""
    return all(
        _JOINERS.fullmatch(line[left.end() : right.start()]) is not None
        for left, right in itertools.pairwise(tokens)
    )


@cache
def load_taxonomy() -> Taxonomy:
    """Parse `data/skills.json` once per process (see data/README.md for its sources)."""
    raw = resources.files("cvlens.analysis").joinpath("data/skills.json").read_text("utf-8")
    entries: list[SkillEntry] = []
    exact: dict[str, str] = {}
    folded: dict[str, str] = {}
    for row in json.loads(raw)["skills"]:
        entry = SkillEntry(
            name=row["name"],
            category=row["category"],
            aliases=tuple(row["aliases"]),
            parent=row["parent"],
            related=frozenset(row["related"]),
            source=row["source"],
        )
        entries.append(entry)
        exact_forms = set(row["exact_case"])
        for form in exact_forms:
            exact.setdefault(form, entry.name)
            if len(form) >= MIN_UPPER_VARIANT:
                exact.setdefault(form.upper(), entry.name)
        exact_keys = {normalise(form) for form in exact_forms}
        for form in (entry.name, *entry.aliases):
            if normalise(form) not in exact_keys:
                folded.setdefault(normalise(form), entry.name)
    return Taxonomy(entries, exact, folded)
