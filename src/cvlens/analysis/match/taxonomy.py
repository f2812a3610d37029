"""The shipped skills taxonomy: loaded once, looked up by normalised form, found in text.

Matching is whole-word by construction: text is cut into tokens that keep the characters
skills are spelt with (`C++`, `C#`, `.NET`, `Node.js`, `CI/CD`), and runs of consecutive
tokens on one line (as long as the longest form starting with that token) are looked up in
a dict, longest first.
`go` therefore never matches inside `going`, and `Java` never inside `JavaScript`.
Forms that are everyday words (`Go`, `Swift`, `Spring`) only match with their exact case.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

TOKEN = re.compile(r"\.?[A-Za-z0-9][A-Za-z0-9+#]*(?:[./\-'&][A-Za-z0-9+#]+)*[+#]*")
_TOKEN_PARTS = re.compile(f"({TOKEN.pattern})")  # split() keeps the tokens between the gaps
# What may separate the words of one phrase: blanks or a hyphen, never a newline or a comma.
_JOINERS = re.compile(r"[ \t]+|[ \t]*-[ \t]*")
MIN_UPPER_VARIANT = 4
# URLs and e-mail addresses: `https://github.com/x` is a link, not the skills HTTP and GitHub.
_LINK = re.compile(
    r"(?:[a-z][a-z0-9+.-]*://|www\.)[^\s<>()\[\]]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.I
)
# Every `_LINK` match holds one of these and lies inside one run of non-blank characters.
_LINK_ANCHOR = re.compile(r"://|www\.|@", re.I)
_WWW = re.compile(r"[wW][wW][wW]\.")  # `w` has no other case (see tests)
_NON_BLANK = re.compile(r"\S*")
_COMPOUND_PARTS = re.compile(r"[^/\-]+")


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
        # who names each skill as related, and the skills under each parent (`related_among`)
        self._related_to: dict[str, set[str]] = {}
        self._children: dict[str, set[str]] = {}
        for entry in self.skills.values():
            for name in entry.related:
                self._related_to.setdefault(name, set()).add(entry.name)
            if entry.parent is not None:
                self._children.setdefault(entry.parent, set()).add(entry.name)
        self._exact = exact
        self._folded = folded
        # For each first token of a form, the most tokens a form starting with it spans;
        # a token that starts no form is skipped with one membership test.
        self._span: dict[str, int] = {}
        # Every run of two or more lower-case tokens that begins some form: a run that is
        # not in here cannot grow into a form, so its longer lookups are never tried.
        self._prefixes: set[tuple[str, ...]] = set()
        for form in [*exact, *folded]:
            tokens = TOKEN.findall(form)
            if tokens:
                first = tokens[0].lower()
                self._span[first] = max(self._span.get(first, 1), len(tokens))
            for keys in (tuple(t.lower() for t in tokens), tuple(TOKEN.findall(form.lower()))):
                self._prefixes.update(keys[:end] for end in range(2, len(keys) + 1))

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

    def related_among(self, skill: str, names: Iterable[str]) -> list[str]:
        """The names among `names` that `are_related` to `skill`, sorted."""
        entry = self.skills.get(skill)
        if entry is None:
            return []
        linked, named_by = entry.related, self._related_to.get(skill, set())
        siblings = self._children.get(entry.parent, set()) if entry.parent is not None else set()
        return sorted(
            name
            for name in names
            if (name in linked or name in named_by or name in siblings)
            and name != skill
            and name in self.skills
        )

    def find(self, text: str) -> list[SkillHit]:
        """Every skill occurrence in `text`, longest match first, never overlapping.

        Only tokens that can start a form (or are compounds to split) are examined; the
        rest are skipped by one set-membership test each. The tokens come from one split
        of the lowered text (their bounds are the running sum of the parts' lengths), so
        no match object is made per token.
        """
        if "://" in text or "www." in text or "@" in text:  # links name no skill
            text = _blank_links(text)
        lowered = text.lower()
        prefixes: set[tuple[str, ...]] | None = self._prefixes
        if len(lowered) == len(text) and "\u212a" not in text:
            # lowering kept every character one character of the same token class, so the
            # lowered text has the tokens of `text` at the same places
            parts = _TOKEN_PARTS.split(lowered)  # gap, token, gap, ..., token, gap
            keys = parts[1::2]
            bounds = list(itertools.accumulate(map(len, parts)))
            starts, ends = bounds[0::2], bounds[1::2]
        else:  # a few characters change length or token class when lowered: token by token
            # (`İ` lowers to two characters, the Kelvin sign to an ASCII `k`): the tokens of
            # `text` itself, each lowered, so every key stays paired with its own token
            tokens = list(TOKEN.finditer(text))
            starts, ends = [t.start() for t in tokens], [t.end() for t in tokens]
            keys = [token.group().lower() for token in tokens]
            prefixes = None
        count = len(ends)
        spans = self._span
        candidates = [  # a plain word (most tokens) is a candidate only when it starts a form
            i
            for i, key in enumerate(keys)
            if key in spans or (not key.isalnum() and ("/" in key or "-" in key or key[0] == "."))
        ]
        hits: list[SkillHit] = []
        next_free = 0
        exact, folded = self._exact, self._folded
        for index in candidates:
            if index < next_free:
                continue
            key = keys[index]
            reach = 1
            limit = spans.get(key, 1)
            if limit > count - index:
                limit = count - index
            while (
                reach < limit
                and (prefixes is None or tuple(keys[index : index + reach + 1]) in prefixes)
                and _JOINERS.fullmatch(text, ends[index + reach - 1], starts[index + reach])
            ):
                reach += 1
            start, end = starts[index], ends[index]
            surface = text[start:end]
            if reach == 1:  # the common case, `_longest_at` for one token without the calls
                name = exact.get(surface) or folded.get(key)  # an ASCII token: key is lowered
                if name is not None:
                    hits.append(SkillHit(name, surface, start, end))
                    next_free = index + 1
                    continue
                if not surface.startswith("."):
                    if "/" in key or "-" in key:
                        hits.extend(self._split_token(surface, start))
                    continue
            hit = self._longest_at(text, starts, ends, index, reach)
            if hit is not None:
                name, found, found_start, found_end, used = hit
                hits.append(SkillHit(name, found, found_start, found_end))
                next_free = index + used
            elif "/" in key or "-" in key:
                hits.extend(self._split_token(surface, start))
        return hits

    def _longest_at(
        self, line: str, starts: list[int], ends: list[int], index: int, span: int
    ) -> tuple[str, str, int, int, int] | None:
        """The longest form starting at token `index` and spanning at most `span` tokens."""
        start = starts[index]
        for used in range(span, 0, -1):
            end = ends[index + used - 1]
            surface = line[start:end] if used == 1 else " ".join(line[start:end].split())
            name = self._lookup(surface)
            if name is not None:
                return name, surface, start, end, used
        surface = line[start : ends[index]]
        if surface.startswith(".") and (name := self._lookup(surface[1:])) is not None:
            return name, surface[1:], start + 1, ends[index], 1
        return None

    def _split_token(self, token: str, start: int) -> list[SkillHit]:
        """`Python/Django` or `React-based` (a token at `start`): look the parts up when
        the whole is unknown."""
        hits = []
        for part in _COMPOUND_PARTS.finditer(token):
            text = part.group().strip(".")
            if part.group() == token or not text:
                continue
            if len(text) < 2 and "-" in token:
                continue
            name = self._lookup(text)
            if name is not None:
                begin = start + part.start()
                hits.append(SkillHit(name, text, begin, begin + len(part.group())))
        return hits


def _anchor_starts(text: str) -> list[int]:
    """Where a `_LINK_ANCHOR` match starts in `text`, in order (some may overlap: only the
    runs of non-blank characters that hold one matter). `str.find` runs far faster than
    the regex over a page; `www.` only when a `w.` is there at all."""
    starts: list[int] = []
    for needle in ("://", "@"):
        at = text.find(needle)
        while at >= 0:
            starts.append(at)
            at = text.find(needle, at + 1)
    if "w." in text or "W." in text:
        starts += [match.start() for match in _WWW.finditer(text)]
    return sorted(starts)


def _blank_links(text: str) -> str:
    """`text` with every `_LINK` match replaced by as many blanks.

    `_LINK` backtracks at every position of a long text (its e-mail branch rescans each
    word), so it only sees the runs of non-blank characters around a `://`, `www.` or `@`.
    It has no anchors and no match crosses a blank, so the result is the same.
    """
    parts: list[str] = []
    done = 0
    for anchor in _anchor_starts(text):
        start = anchor
        if start < done:
            continue  # inside the run already handled
        while start > done and not text[start - 1].isspace():
            start -= 1
        match = _NON_BLANK.match(text, anchor)  # the anchor holds no blank
        end = match.end() if match else anchor
        parts.append(text[done:start])
        parts.append(_LINK.sub(lambda link: " " * len(link.group()), text[start:end]))
        done = end
    parts.append(text[done:])
    return "".join(parts)


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
