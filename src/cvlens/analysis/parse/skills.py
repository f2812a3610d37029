"""Skills, languages and interests: groups of keywords.

A group is "Name: a, b, c" on one line, or a name line (bold, larger, less indented, or
followed by a level such as "Advanced") over keyword lines. Keywords are split on commas,
bullets, pipes and semicolons, and in PDFs on the wide gaps between tags.
"""

from __future__ import annotations

import re
from collections import Counter

from cvlens.analysis.document import Line
from cvlens.analysis.resume import Interest, Language, Skill

LEVELS = {
    "beginner", "novice", "basic", "elementary", "intermediate", "advanced", "expert",
    "master", "proficient", "competent", "familiar", "experienced", "skilled", "strong",
}  # fmt: skip
FLUENCY = {
    "native", "native speaker", "mother tongue", "fluent", "bilingual", "professional",
    "full professional proficiency", "professional working proficiency", "proficient",
    "conversational", "intermediate", "basic", "elementary", "beginner", "advanced",
    "limited working proficiency", "working proficiency", "upper intermediate", "c1", "c2",
    "b1", "b2", "a1", "a2",
}  # fmt: skip
_SEPARATORS_RE = re.compile(r"\s*(?:,|;|\||•|·|∙)\s*")
_PARENS_RE = re.compile(r"\([^)]*\)")
_NAME_VALUE_RE = re.compile(r"^([^:]{2,40}):\s*(.+)$")


def _keywords(line: Line) -> list[str]:
    text = line.text.strip()
    masked = _PARENS_RE.sub(lambda m: "\0" * len(m.group()), text)
    if _SEPARATORS_RE.search(masked):  # separators inside "Python (2,3)" do not split
        parts, start = [], 0
        for match in _SEPARATORS_RE.finditer(masked):
            parts.append(text[start : match.start()])
            start = match.end()
        parts.append(text[start:])
    elif len(line.spans) > 1 and all(s.x1 > 0 for s in line.spans):
        parts = [s.text for s in line.spans]
    else:
        parts = [text]
    return [p.strip(" .") for p in parts if p.strip(" .")]


_YEARS_RE = re.compile(r"^\d{1,2}\s*\+?\s*(?:years?|yrs?)\.?$", re.IGNORECASE)


def is_level(text: str) -> bool:
    """A skill level: a word ("Advanced", "Master") or years of use ("7 Years", "20+ Years")."""
    value = text.strip()
    return value.casefold() in LEVELS or bool(_YEARS_RE.match(value))


_LEVEL_IN_PARENS_RE = re.compile(r"^(?P<name>.*\S)\s*\((?P<level>[^()]+)\)$")


def _group(name: str, keywords: list[str] | None = None) -> Skill:
    """ "Frontend (Advanced)" / "Architecture (7 years)": the level printed after the name."""
    found = _LEVEL_IN_PARENS_RE.match(name.strip())
    if found and is_level(found["level"]):
        return Skill(name=found["name"], level=found["level"].strip(), keywords=keywords or [])
    return Skill(name=name, keywords=keywords or [])


def _name_like(line: Line, nxt: Line | None, body_bold: bool, body_size: float) -> bool:
    text = line.text.strip()
    if len(text.split()) > 5 or _SEPARATORS_RE.search(text) or nxt is None:
        return False
    if is_level(nxt.text):
        return True
    if line.bold and not body_bold:
        return True
    if line.font_size > body_size + 0.9:
        return True
    return nxt.x1 > 0 and nxt.x0 - line.x0 > 6


def _join_wrapped_group_names(lines: list[Line]) -> list[Line]:
    """ "IT Business Case" / "Development" / "7 Years": a group name that wrapped sits
    tight over its rest, in the same style, and the rest stands over the level."""
    out: list[Line] = []
    for index, line in enumerate(lines):
        nxt = lines[index + 1] if index + 1 < len(lines) else None
        previous = out[-1] if out else None
        if (
            previous is not None
            and nxt is not None
            and is_level(nxt.text)
            and not is_level(previous.text)
            and line.y1 > 0
            and previous.page == line.page
            and previous.bold == line.bold
            and abs(previous.font_size - line.font_size) < 0.3
            and 0 <= line.y0 - previous.y1 < 0.5 * line.font_size
            and len(previous.text.split()) <= 4
        ):
            out[-1] = previous.model_copy(update={"text": f"{previous.text} {line.text}"})
        else:
            out.append(line)
    return out


def parse_skills(lines: list[Line]) -> list[Skill]:
    lines = _join_wrapped_group_names([ln for ln in lines if ln.text.strip()])
    if not lines:
        return []
    sizes = Counter(round(ln.font_size, 1) for ln in lines)
    body_size = sizes.most_common(1)[0][0]
    body_bold = sum(ln.bold for ln in lines) > len(lines) / 2
    skills: list[Skill] = []
    current: Skill | None = None
    for index, line in enumerate(lines):
        text = line.text.strip()
        nxt = lines[index + 1] if index + 1 < len(lines) else None
        pair = _NAME_VALUE_RE.match(text)
        if pair and not pair.group(1).startswith("http"):
            current = _group(
                pair.group(1).strip(),
                _keywords(line.model_copy(update={"text": pair.group(2), "spans": []})),
            )
            skills.append(current)
            continue
        if current is not None and is_level(text) and current.level is None:
            current.level = text
            continue
        if _name_like(line, nxt, body_bold, body_size):
            current = _group(text.rstrip(":"))
            skills.append(current)
            continue
        if current is None:
            current = Skill(name=None)
            skills.append(current)
        current.keywords.extend(_keywords(line))
    return [s for s in skills if s.name or s.keywords]


def parse_languages(lines: list[Line]) -> list[Language]:
    languages: list[Language] = []
    for line in lines:
        text = line.text.strip()
        if not text:
            continue
        if text.casefold().strip("()") in FLUENCY and languages and not languages[-1].fluency:
            languages[-1].fluency = text.strip("()")
            continue
        for part in re.split(r"\s*[,;•|]\s*", text):
            match = re.match(r"^(.+?)\s*(?:\(([^)]+)\)|[:\-–—]\s*(.+))$", part)
            if match:
                languages.append(
                    Language(language=match.group(1), fluency=match.group(2) or match.group(3))
                )
            elif part and len(part.split()) <= 3:
                languages.append(Language(language=part))
    return languages


def parse_interests(lines: list[Line]) -> list[Interest]:
    interests: list[Interest] = []
    for skill in parse_skills(lines):
        if skill.name:
            interests.append(Interest(name=skill.name, keywords=skill.keywords))
        else:
            interests.extend(Interest(name=keyword) for keyword in skill.keywords)
    return interests
