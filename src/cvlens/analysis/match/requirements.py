"""Job description → requirements: taxonomy skills, other keywords, years, degree.

A line under a "Nice to have" / "Preferred" / "Bonus" heading, or a line that itself says
"is a plus" / "preferred", makes its requirements `preferred`; everything else is required.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from cvlens.analysis.match.models import Importance
from cvlens.analysis.match.stopwords import STOPWORDS
from cvlens.analysis.match.taxonomy import TOKEN, SkillHit, Taxonomy

MAX_KEYWORDS = 10
MAX_YEARS = 40
_PREFERRED = re.compile(
    r"\b(nice[ -]to[ -]haves?|preferred|bonus|a plus|plus points?|desirable|desired|"
    r"optional|ideally|good to have)\b",
    re.IGNORECASE,
)
_HEADING = re.compile(r"^\s*[#*]*\s*[A-Za-z][A-Za-z /&'-]{2,50}:?\s*[*]*\s*$")
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "twelve": 12, "fifteen": 15,
}  # fmt: skip
_YEARS = re.compile(
    rf"(\d{{1,2}}|{'|'.join(_NUMBER_WORDS)})\s*\+?\s*(?:(?:-|–|to)\s*\d{{1,2}}\s*\+?\s*)?"
    r"(?:\(\d{1,2}\)\s*)?(?:years?|yrs?)\b",
    re.IGNORECASE,
)
DEGREE_LEVELS = {1: "associate", 2: "bachelor", 3: "master", 4: "doctorate"}
_DEGREE_PATTERNS: list[tuple[int, re.Pattern[str]]] = [
    (4, re.compile(r"\bph\.?\s?d\b|\bdoctor(?:ate|al)\b|\bD\.?Phil\b", re.IGNORECASE)),
    (3, re.compile(r"\bmasters?\b|\bmaster's\b|\bM\.?B\.?A\b|\bmsc\b|\bmeng\b", re.IGNORECASE)),
    (3, re.compile(r"\b(?:MS|M\.S\.|MA|M\.A\.|M\.Sc\.)(?![\w.])")),
    (2, re.compile(r"\bbachelors?\b|\bbachelor's\b|\bbsc\b|\bbeng\b|\bundergraduate\b", re.I)),
    (2, re.compile(r"\b(?:BS|B\.S\.|BA|B\.A\.|B\.Sc\.|B\.Tech|BTech)(?![\w.])")),
    (1, re.compile(r"\bassociate'?s? degree\b", re.IGNORECASE)),
]
_ANY_DEGREE = re.compile(r"\bdegree\b", re.IGNORECASE)


@dataclass
class Requirements:
    skills: dict[str, Importance] = field(default_factory=dict)
    alternatives: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """For a skill written as "Kafka or Kinesis": every skill that satisfies it, in order."""
    keywords: dict[str, Importance] = field(default_factory=dict)
    years: float | None = None
    degree_level: int | None = None
    title: str | None = None


def degree_level(text: str) -> int | None:
    """The lowest degree a text names (`BS/MS` → bachelor), or None."""
    levels = [level for level, pattern in _DEGREE_PATTERNS if pattern.search(text)]
    return min(levels) if levels else None


def _job_text(job: str | dict[str, Any]) -> tuple[str, list[str], str | None]:
    """(free text, explicit skill names, title) of a job given as text or a JSON Resume job."""
    if isinstance(job, str):
        return job, [], None
    parts: list[str] = []
    for key in ("title", "description", "experience"):
        if isinstance(job.get(key), str):
            parts.append(job[key])
    for key in ("responsibilities", "qualifications"):
        parts.extend(item for item in _list(job.get(key)) if isinstance(item, str))
    names: list[str] = []
    for skill in _list(job.get("skills")):
        if isinstance(skill, dict):
            names += [skill["name"]] if isinstance(skill.get("name"), str) else []
            names += [k for k in _list(skill.get("keywords")) if isinstance(k, str)]
        elif isinstance(skill, str):
            names.append(skill)
    title = job.get("title") if isinstance(job.get("title"), str) else None
    return "\n".join(parts), names, title


def _list(value: object) -> list[object]:
    """A JSON list field, or nothing when the record holds something else there."""
    return value if isinstance(value, list) else []


def extract_requirements(job: str | dict[str, Any], taxonomy: Taxonomy) -> Requirements:
    text, named_skills, title = _job_text(job)
    found = Requirements(title=title)
    section: Importance = "required"
    skill_spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        if _HEADING.match(line):
            section = "preferred" if _PREFERRED.search(line) else "required"
        importance: Importance = "preferred" if _PREFERRED.search(line) else section
        hits = taxonomy.find(line)
        for group in _alternative_groups(line, hits):
            _add(found.skills, group[0], importance)
            if len(group) > 1:
                found.alternatives[group[0]] = group
        skill_spans += [(offset + hit.start, offset + hit.end) for hit in hits]
        _years(line, found)
        level = degree_level(line) or (2 if _ANY_DEGREE.search(line) else None)
        if level is not None and importance == "required":
            found.degree_level = min(found.degree_level or level, level)
        offset += len(line)
    for name in named_skills:
        entry = taxonomy.lookup(name)
        if entry is not None:
            _add(found.skills, entry.name, "required")
        elif name.strip():
            _add(found.keywords, name.strip(), "required")
    for keyword in _keywords(text, skill_spans):
        _add(found.keywords, keyword, "required")
    return found


_OR = re.compile(r"\s*(?:,?\s*(?:or|and/or)|/|\|)\s*", re.IGNORECASE)


def _alternative_groups(line: str, hits: list[SkillHit]) -> list[tuple[str, ...]]:
    """Skills joined by "or" or "/" ("Kafka or Kinesis", "AWS/GCP") form one requirement."""
    groups: list[list[str]] = []
    previous_end: int | None = None
    for hit in hits:
        joined = previous_end is not None and _OR.fullmatch(line[previous_end : hit.start])
        if joined and hit.skill not in groups[-1]:
            groups[-1].append(hit.skill)
        elif not joined:
            groups.append([hit.skill])
        previous_end = hit.end
    return [tuple(group) for group in groups]


def _add(into: dict[str, Importance], name: str, importance: Importance) -> None:
    if into.get(name) != "required":
        into[name] = importance


def _years(line: str, found: Requirements) -> None:
    if "experience" not in line.lower():
        return
    for match in _YEARS.finditer(line):
        number = match.group(1).lower()
        years = float(_NUMBER_WORDS.get(number) or number)
        if 0 < years <= MAX_YEARS:
            found.years = max(found.years or 0.0, years)


def _keywords(text: str, skill_spans: list[tuple[int, int]]) -> list[str]:
    """Words the job repeats, or acronyms it uses, that the taxonomy does not know."""
    counts: Counter[str] = Counter()
    surface: dict[str, str] = {}
    spans = sorted(skill_spans)
    next_span, reach = 0, 0  # spans starting at or before the token; the furthest end of those
    for token in TOKEN.finditer(text):  # (tokens come in order: one sweep over the spans)
        position = token.start()
        while next_span < len(spans) and spans[next_span][0] <= position:
            reach = max(reach, spans[next_span][1])
            next_span += 1
        if position < reach:  # inside a skill
            continue
        word = token.group().strip(".")
        key = word.lower()
        key = key[:-1] if len(key) > 4 and key.endswith("s") and not key.endswith("ss") else key
        if len(key) < 3 or not word.isalpha() or key in STOPWORDS:
            continue
        counts[key] += 3 if word.isupper() and len(word) <= 6 else 1
        surface.setdefault(key, word)
    ranked = [key for key, count in counts.most_common() if count >= 2]
    return [surface[key] for key in ranked[:MAX_KEYWORDS]]
