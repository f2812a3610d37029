"""Match a résumé to a job: each requirement matched, partial (related skill) or missing.

Score = 100 × earned / possible, where each requirement is worth:
  skill     1.0 if required, 0.5 if preferred — full credit when matched, half when partial
  keyword   0.25 — full credit when the word appears on the résumé
  years     2.0 — credit = candidate years / required years (capped at 1)
  degree    1.0 — full credit when the highest degree is at least the one asked for
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from cvlens.analysis.document import Document
from cvlens.analysis.match.models import Importance, Match, MatchItem
from cvlens.analysis.match.requirements import (
    DEGREE_LEVELS,
    Requirements,
    degree_level,
    extract_requirements,
)
from cvlens.analysis.match.resume_index import ResumeSkills, index_resume
from cvlens.analysis.match.taxonomy import Taxonomy, load_taxonomy
from cvlens.analysis.resume import Resume
from cvlens.analysis.review.consistency import month_index
from cvlens.analysis.review.locate import Locator
from cvlens.analysis.review.models import Evidence

SKILL_WEIGHT: dict[Importance, float] = {"required": 1.0, "preferred": 0.5}
KEYWORD_WEIGHT = 0.25
YEARS_WEIGHT = 2.0
DEGREE_WEIGHT = 1.0
PARTIAL_CREDIT = 0.5


def match_job(
    resume: Resume,
    document: Document,
    job: str | dict[str, Any],
    *,
    today: date | None = None,
    locator: Locator | None = None,
) -> Match:
    """Compare a résumé with a job description (text, or a JSON Resume `job` record).
    `locator`: the document's Locator when the caller has one (see `review.context.locate`)."""
    taxonomy = load_taxonomy()
    wanted = extract_requirements(job, taxonomy)
    have = index_resume(resume, document, taxonomy, locator)
    items = [
        _skill_item(wanted.alternatives.get(name, (name,)), importance, have, taxonomy)
        for name, importance in wanted.skills.items()
    ]
    items += [_keyword_item(word, imp, have) for word, imp in wanted.keywords.items()]
    earned = possible = 0.0
    for item in items:
        weight = SKILL_WEIGHT[item.importance] if item.kind == "skill" else KEYWORD_WEIGHT
        possible += weight
        earned += weight * _credit(item)
    candidate_years = experience_years(resume, today or date.today())
    if wanted.years is not None:
        credit = min(1.0, candidate_years / wanted.years)
        items.append(_years_item(wanted.years, candidate_years, credit))
        possible += YEARS_WEIGHT
        earned += YEARS_WEIGHT * credit
    candidate_level = _candidate_degree(resume)
    if wanted.degree_level is not None:
        item = _degree_item(wanted.degree_level, candidate_level, resume)
        items.append(item)
        possible += DEGREE_WEIGHT
        earned += DEGREE_WEIGHT * _credit(item)
    score = round(100 * earned / possible) if possible else 0
    return Match(
        score=score,
        matched=[i for i in items if i.status == "matched"],
        missing=[i for i in items if i.status == "missing"],
        partial=[i for i in items if i.status == "partial"],
        explanation=_explain(score, items, wanted, possible),
        required_years=wanted.years,
        candidate_years=round(candidate_years, 1),
        required_degree=DEGREE_LEVELS.get(wanted.degree_level or 0),
        candidate_degree=DEGREE_LEVELS.get(candidate_level or 0),
    )


def _credit(item: MatchItem) -> float:
    return {"matched": 1.0, "partial": PARTIAL_CREDIT, "missing": 0.0}[item.status]


def _skill_item(
    options: tuple[str, ...], importance: Importance, have: ResumeSkills, tx: Taxonomy
) -> MatchItem:
    """Matched when the résumé has the skill (or one of its alternatives), partial when it
    has a related skill, else missing."""
    label = " or ".join(options)
    category = tx.skills[options[0]].category
    for option in options:
        if option in have:
            return MatchItem(
                requirement=label,
                kind="skill",
                importance=importance,
                status="matched",
                category=category,
                evidence=have.evidence[option],
                via=option if len(options) > 1 else None,
            )
    for option in options:
        related = tx.related_among(option, have.evidence)
        if related:
            via = related[0]
            return MatchItem(
                requirement=label,
                kind="skill",
                importance=importance,
                status="partial",
                category=category,
                via=via,
                evidence=have.evidence[via],
                detail=f"{via} is related to {option} ({tx.skills[via].category})",
            )
    return MatchItem(
        requirement=label, kind="skill", importance=importance, status="missing", category=category
    )


def _keyword_item(word: str, importance: Importance, have: ResumeSkills) -> MatchItem:
    """Whole-word, case-insensitive, singular or plural; evidence is the line it is on."""
    stem = re.escape(word.lower().rstrip("s"))
    pattern = re.compile(rf"(?<![\w+#.-]){stem}(?:s|es)?(?![\w+#-])", re.IGNORECASE)
    found = pattern.search(have.text)
    if found is None:
        return MatchItem(requirement=word, kind="keyword", importance=importance, status="missing")
    start = have.text.rfind("\n", 0, found.start()) + 1
    stop = have.text.find("\n", found.end())
    line = have.text[start : stop if stop >= 0 else len(have.text)]
    return MatchItem(
        requirement=word,
        kind="keyword",
        importance=importance,
        status="matched",
        evidence=Evidence(section="document", line=line),
    )


def experience_years(resume: Resume, today: date) -> float:
    """Years covered by at least one role (overlaps counted once).

    Open roles ("Present") run to the last complete month before `today`.
    """
    now = today.year * 12 + today.month - 2
    months: set[int] = set()
    for work in resume.work:
        start = month_index(work.startDate)
        if start is None:
            continue
        stop = month_index(work.endDate, end=True)
        stop = now if stop is None else stop
        months.update(range(start, min(stop, now) + 1))
    return len(months) / 12


def _years_item(required: float, candidate: float, credit: float) -> MatchItem:
    status = "matched" if credit >= 1 else "partial" if credit >= PARTIAL_CREDIT else "missing"
    return MatchItem(
        requirement=f"{required:g}+ years of experience",
        kind="experience",
        importance="required",
        status=status,
        detail=f"{candidate:.1f} years of dated roles on the résumé",
    )


def _candidate_degree(resume: Resume) -> int | None:
    levels = [degree_level(" ".join(filter(None, [e.studyType, e.area]))) for e in resume.education]
    known = [level for level in levels if level is not None]
    return max(known) if known else None


def _degree_item(required: int, candidate: int | None, resume: Resume) -> MatchItem:
    status = "matched" if candidate is not None and candidate >= required else "missing"
    best = next(
        (e for e in resume.education if degree_level(f"{e.studyType} {e.area}") == candidate),
        None,
    )
    evidence = None
    if best is not None and status == "matched":
        line = " ".join(filter(None, [best.studyType, best.area, best.institution]))
        evidence = Evidence(section="education", line=line)
    return MatchItem(
        requirement=f"{DEGREE_LEVELS[required]} degree",
        kind="degree",
        importance="required",
        status=status,
        evidence=evidence,
        detail=f"highest degree found: {DEGREE_LEVELS.get(candidate or 0, 'none')}",
    )


def _explain(
    score: int, items: list[MatchItem], wanted: Requirements, possible: float
) -> list[str]:
    if not possible:
        return ["No skills, keywords, years or degree were recognised in the job description."]
    skills = [i for i in items if i.kind == "skill"]
    lines = [
        f"Score {score}/100 = points earned / points possible over {len(items)} requirements.",
        f"Skills: {sum(i.status == 'matched' for i in skills)} matched, "
        f"{sum(i.status == 'partial' for i in skills)} partial (half credit), "
        f"{sum(i.status == 'missing' for i in skills)} missing of {len(skills)}; "
        "required skills weigh 1, preferred 0.5.",
    ]
    keywords = [i for i in items if i.kind == "keyword"]
    if keywords:
        found = sum(i.status == "matched" for i in keywords)
        lines.append(f"Other keywords: {found} of {len(keywords)} found (0.25 each).")
    for item in items:
        if item.kind in ("experience", "degree"):
            lines.append(f"{item.requirement.capitalize()}: {item.status} ({item.detail}).")
    missing = [
        i.requirement for i in skills if i.status == "missing" and i.importance == "required"
    ]
    if missing:
        lines.append("Most valuable to add (required, missing): " + ", ".join(missing[:8]) + ".")
    return lines
