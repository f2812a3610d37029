"""Impact: bullets that show results — numbers, strong verbs, no filler, no first person."""

from __future__ import annotations

import re

from cvlens.analysis.review.context import MAX_EXAMPLES, Bullet, CheckResult, ReviewContext
from cvlens.analysis.review.lexicon import filler_pattern, is_action_verb, may_hold_filler
from cvlens.analysis.review.models import Finding

QUANTIFIED_TARGET = 0.5  # half the bullets carrying a figure scores full marks
ACTION_VERB_TARGET = 0.8
_NUMBER_WORDS = (
    r"two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|dozens?|"
    r"hundreds?|thousands?|millions?|billions?|doubled|tripled|halved"
)
_NUMBER = re.compile(rf"\d|[%$€£¥]|\b(?:{_NUMBER_WORDS})\b", re.IGNORECASE)
_FIGURE_SIGN = re.compile(r"[\d%$€£¥]")
_LOWER_NUMBER_WORD = re.compile(rf"\b(?:{_NUMBER_WORDS})\b")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_FIRST_PERSON_I = re.compile(r"\bI\b|\b(?i:me|my|myself|mine)\b")


def has_figure(text: str) -> bool:
    """`_NUMBER` finds something in `text`. A digit or sign is one character class; on ASCII
    text the number words are looked for in the lowered text without IGNORECASE (which
    costs the engine most of its time on the many bullets that hold no figure)."""
    if _FIGURE_SIGN.search(text):
        return True
    if text.isascii():
        return _LOWER_NUMBER_WORD.search(text.lower()) is not None
    return _NUMBER.search(text) is not None


def _first_word(text: str) -> str:
    match = _WORD.search(text)
    return match.group() if match else ""


def check_quantified(ctx: ReviewContext) -> CheckResult:
    bullets = ctx.achievements
    if not bullets:
        finding = ctx.finding(
            "impact",
            "impact.no_bullets",
            "critical",
            "No achievement bullets were found under your roles or projects.",
            "Under each role, list 3–6 bullets that say what you did and what it changed.",
            section="work",
        )
        return CheckResult("impact.quantified", 0.4, 0.0, [finding])
    plain = [bullet for bullet in bullets if not has_figure(bullet.text)]
    share = 1 - len(plain) / len(bullets)
    result = CheckResult("impact.quantified", 0.4, min(1.0, share / QUANTIFIED_TARGET))
    if share < QUANTIFIED_TARGET:
        for bullet in plain[:MAX_EXAMPLES]:
            result.findings.append(_unquantified(ctx, bullet, share))
    return result


def _unquantified(ctx: ReviewContext, bullet: Bullet, share: float) -> Finding:
    return ctx.finding(
        "impact",
        "impact.unquantified",
        "warning",
        f"Only {share:.0%} of bullets carry a figure; this one has none.",
        "Add a number: how much, how many, how fast, how often (e.g. 'cut build time by 40%').",
        section=bullet.section,
        text=bullet.text,
    )


def check_action_verbs(ctx: ReviewContext) -> CheckResult:
    if not ctx.achievements:
        return CheckResult("impact.action_verbs", 0.3, 0.0)
    weak = [bullet for bullet in ctx.achievements if not is_action_verb(_first_word(bullet.text))]
    share = 1 - len(weak) / len(ctx.achievements)
    result = CheckResult("impact.action_verbs", 0.3, min(1.0, share / ACTION_VERB_TARGET))
    for bullet in weak[:MAX_EXAMPLES]:
        word = _first_word(bullet.text) or bullet.text[:20]
        result.findings.append(
            ctx.finding(
                "impact",
                "impact.action_verb",
                "info",
                f"Bullet opens with '{word}' rather than an action verb.",
                "Start with a strong verb in the past tense: Led, Built, Reduced, Shipped.",
                section=bullet.section,
                text=bullet.text,
            )
        )
    return result


def _texts(ctx: ReviewContext) -> list[Bullet]:
    summary = ctx.resume.basics.summary
    extra = [Bullet("basics", summary)] if summary else []
    return extra + ctx.achievements


def check_filler(ctx: ReviewContext) -> CheckResult:
    result = CheckResult("impact.filler", 0.2, 1.0 if _texts(ctx) else 0.0)
    pattern = filler_pattern()
    for bullet in _texts(ctx):
        if not may_hold_filler(bullet.text):
            continue
        for match in pattern.finditer(bullet.text):
            result.score = max(0.0, result.score - 0.2)
            if len(result.findings) == MAX_EXAMPLES:
                continue  # every occurrence costs points; only the first few are listed
            result.findings.append(
                ctx.finding(
                    "impact",
                    "impact.filler",
                    "warning",
                    f"Filler phrase '{match.group()}' says little about what you achieved.",
                    "Replace it with the concrete action and its result.",
                    section=bullet.section,
                    text=bullet.text,
                )
            )
    return result


def check_first_person(ctx: ReviewContext) -> CheckResult:
    result = CheckResult("impact.first_person", 0.1, 1.0 if _texts(ctx) else 0.0)
    for bullet in _texts(ctx):
        match = _FIRST_PERSON_I.search(bullet.text)
        if match is None:
            continue
        result.score = max(0.0, result.score - 0.25)
        if len(result.findings) == MAX_EXAMPLES:
            continue
        result.findings.append(
            ctx.finding(
                "impact",
                "impact.first_person",
                "info",
                f"First person ('{match.group()}') in a résumé line.",
                "Drop the pronoun: 'Led a team of 5' rather than 'I led a team of 5'.",
                section=bullet.section,
                text=bullet.text,
            )
        )
    return result


CHECKS = [check_quantified, check_action_verbs, check_filler, check_first_person]
