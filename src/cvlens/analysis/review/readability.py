"""Readability: bullets short enough to scan, sentences short enough to follow."""

from __future__ import annotations

import re

from cvlens.analysis.review.context import MAX_EXAMPLES, Bullet, CheckResult, ReviewContext

MIN_BULLET_WORDS = 5
MAX_BULLET_WORDS = 35
MAX_SENTENCE_WORDS = 30
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def check_bullet_length(ctx: ReviewContext) -> CheckResult:
    if not ctx.bullets:  # nothing to read scores nothing; impact reports the missing bullets
        return CheckResult("readability.bullet_length", 0.6, 0.0)
    result = CheckResult("readability.bullet_length", 0.6, 1.0)
    long = [b for b in ctx.bullets if len(b.text.split()) > MAX_BULLET_WORDS]
    short = [b for b in ctx.bullets if len(b.text.split()) < MIN_BULLET_WORDS]
    result.score = 1 - (len(long) + 0.5 * len(short)) / len(ctx.bullets)
    for bullet in long[:MAX_EXAMPLES]:
        result.findings.append(
            ctx.finding(
                "readability",
                "readability.long_bullet",
                "warning",
                f"Bullet of {len(bullet.text.split())} words (over {MAX_BULLET_WORDS}).",
                "Split it, or keep the action and the result and drop the rest.",
                section=bullet.section,
                text=bullet.text,
            )
        )
    for bullet in short[:MAX_EXAMPLES]:
        result.findings.append(
            ctx.finding(
                "readability",
                "readability.short_bullet",
                "info",
                f"Bullet of {len(bullet.text.split())} words says little.",
                "Say what you did, how, and what changed as a result.",
                section=bullet.section,
                text=bullet.text,
            )
        )
    return result


def check_sentence_length(ctx: ReviewContext) -> CheckResult:
    summary = ctx.resume.basics.summary
    texts = ([Bullet("basics", summary)] if summary else []) + ctx.bullets
    sentences = [(t, s) for t in texts for s in _SENTENCE_END.split(t.text) if s.strip()]
    if not sentences:
        return CheckResult("readability.sentence_length", 0.4, 0.0)
    long = [(t, s) for t, s in sentences if len(s.split()) > MAX_SENTENCE_WORDS]
    result = CheckResult("readability.sentence_length", 0.4, 1 - len(long) / len(sentences))
    for text, sentence in long[:MAX_EXAMPLES]:
        result.findings.append(
            ctx.finding(
                "readability",
                "readability.long_sentence",
                "warning",
                f"Sentence of {len(sentence.split())} words (over {MAX_SENTENCE_WORDS}).",
                "Break it into two sentences or cut the clauses that add no result.",
                section=text.section,
                text=sentence,
            )
        )
    return result


CHECKS = [check_bullet_length, check_sentence_length]
