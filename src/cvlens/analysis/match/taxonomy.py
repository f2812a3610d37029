"""The shipped skills taxonomy: loaded once, looked up by normalised form, found in text.

Matching is whole-word by construction: text is cut into tokens that keep the characters
skills are spelt with (`C++`, `C#`, `.NET`, `Node.js`, `CI/CD`), and runs of up to
`max_tokens` consecutive tokens on one line are looked up in a dict, longest first.
`go` therefore never matches inside `going`, and `Java` never inside `JavaScript`.
Forms that are everyday words (`Go`, `Swift`, `Spring`) only match with their exact case.
"""

from __future__ import annotations

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
        # For each first token of a form, the most tokens a form starting with it spans:
        # most tokens start no multi-word skill, so only one lookup is tried for them.
        self._span: dict[str, int] = {}
        for form in [*exact, *folded]:
            tokens = TOKEN.findall(form)
            if tokens:
                first = tokens[0].lower()
                self._span[first] = max(self._span.get(first, 1), len(tokens))
        self.max_tokens = max(self._span.values())

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
        reach = _phrase_reach(line, tokens)
        hits: list[SkillHit] = []
        index = 0
        while index < len(tokens):
            token = tokens[index]
            text = token.group()
            span = min(self._span.get(text.lower(), 1), reach[index])
            hit = self._longest_at(line, tokens, index, span)
            if hit is not None:
                name, surface, start, end, used = hit
                hits.append(SkillHit(name, surface, offset + start, offset + end))
                index += used
                continue
            if "/" in text or "-" in text:
                hits.extend(self._split_token(token, offset))
            index += 1
        return hits

    def _longest_at(
        self, line: str, tokens: list[re.Match[str]], index: int, span: int
    ) -> tuple[str, str, int, int, int] | None:
        """The longest form starting at token `index` and spanning at most `span` tokens."""
        start = tokens[index].start()
        for used in range(span, 0, -1):
            end = tokens[index + used - 1].end()
            surface = line[start:end] if used == 1 else " ".join(line[start:end].split())
            name = self._lookup(surface)
            if name is not None:
                return name, surface, start, end, used
        surface = tokens[index].group()
        if surface.startswith(".") and (name := self._lookup(surface[1:])) is not None:
            return name, surface[1:], start + 1, tokens[index].end(), 1
        return None

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


def _phrase_reach(line: str, tokens: list[re.Match[str]]) -> list[int]:
    """For each token, how many tokens from it on form one phrase: tokens separated only by
    blanks or a hyphen, never by punctuation ("Python, Go" is two phrases)."""
    reach = [1] * len(tokens)
    for i in range(len(tokens) - 2, -1, -1):
        gap = line[tokens[i].end() : tokens[i + 1].start()]
        if _JOINERS.fullmatch(gap) is not None:
            reach[i] = reach[i + 1] + 1
    return reach


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
