"""Consistency: one date format, newest role first, no unexplained gaps, sane date ranges."""

from __future__ import annotations

import itertools
import re
from collections import Counter

from cvlens.analysis.resume import Work
from cvlens.analysis.review.context import MAX_EXAMPLES, CheckResult, ReviewContext

GAP_MONTHS = 6
# "May" is left out of both: it reads the same in the long and the short form.
_LONG = "january|february|march|april|june|july|august|september|october|november|december"
_SHORT = r"jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec"
DATE_FORMATS: list[tuple[str, re.Pattern[str]]] = [
    ("Month YYYY", re.compile(rf"\b(?:{_LONG})\s+\d{{4}}\b", re.IGNORECASE)),
    ("Mon YYYY", re.compile(rf"\b(?:{_SHORT})\.?\s+\d{{4}}\b", re.IGNORECASE)),
    ("MM/YYYY", re.compile(r"\b(?:0?[1-9]|1[0-2])/\d{4}\b")),
    ("MM.YYYY", re.compile(r"\b(?:0?[1-9]|1[0-2])\.\d{4}\b")),
    ("YYYY-MM", re.compile(r"\b\d{4}-(?:0[1-9]|1[0-2])\b")),
]
_HAS_YEAR = re.compile(r"\d{4}")
_YEAR_MONTH = re.compile(r"^(\d{4})(?:-(\d{1,2}))?")
_YEAR_RANGE = re.compile(
    r"(?<![\w/.-])(?:19|20)\d{2}\s*(?:[-–—]|to)\s*(?:(?:19|20)\d{2}|present|current|now)\b",
    re.IGNORECASE,
)


def month_index(value: str | None, *, end: bool = False) -> int | None:
    """`2021-03` → months since year 0; a bare year means January (start) or December (end)."""
    match = _YEAR_MONTH.match(value or "")
    if match is None:
        return None
    month = int(match.group(2)) if match.group(2) else (12 if end else 1)
    return int(match.group(1)) * 12 + month - 1


def _entry_text(entry: Work) -> str:
    return entry.position or entry.name or ""


def check_date_formats(ctx: ReviewContext) -> CheckResult:
    seen: list[tuple[str, str]] = []
    for line in ctx.document.lines:
        text = line.text
        if _HAS_YEAR.search(text) is None:
            continue
        formats = [name for name, pattern in DATE_FORMATS if pattern.search(text)]
        if not formats and _YEAR_RANGE.search(text):
            formats = ["YYYY"]
        seen.extend((name, text) for name in formats)
    counts = Counter(name for name, _ in seen)
    result = CheckResult("consistency.date_format", 0.3, 1.0)
    if len(counts) <= 1:
        return result
    dominant, dominant_count = counts.most_common(1)[0]
    result.score = dominant_count / len(seen)
    for name, text in [(n, t) for n, t in seen if n != dominant][:MAX_EXAMPLES]:
        result.findings.append(
            ctx.finding(
                "consistency",
                "consistency.date_format",
                "warning",
                f"Date written as {name} while most dates use {dominant}.",
                f"Write every date the same way, e.g. {dominant}.",
                section="document",
                line=text,
            )
        )
    return result


def check_order(ctx: ReviewContext) -> CheckResult:
    """Each role must not be more recent than the one above it: starting later *and*
    ending later (or still running). Overlapping side roles listed below a main role pass."""
    result = CheckResult("consistency.order", 0.3, 1.0)
    spans = [
        (entry, start, month_index(entry.endDate, end=True))
        for entry in ctx.resume.work
        if (start := month_index(entry.startDate)) is not None
    ]
    if not spans:
        result.score = 0.0
        result.findings.append(
            ctx.finding(
                "consistency",
                "consistency.no_dates",
                "warning",
                "No role carries a start date, so the timeline cannot be read.",
                "Give every role a start and end month, e.g. 'Mar 2019 – Present'.",
                section="work",
            )
        )
        return result
    for (_, start_above, end_above), (entry, start, end) in itertools.pairwise(spans):
        ends_later = end is None or (end_above is not None and end >= end_above)
        if start > start_above and ends_later:
            result.score = 0.0
            result.findings.append(
                ctx.finding(
                    "consistency",
                    "consistency.order",
                    "warning",
                    "Roles are not in reverse-chronological order: this one is more recent "
                    "than the role listed above it.",
                    "List the most recent role first.",
                    section="work",
                    text=_entry_text(entry),
                )
            )
            break
    return result


def check_ranges(ctx: ReviewContext) -> CheckResult:
    result = CheckResult("consistency.ranges", 0.1, 1.0)
    for section, entries in (("work", ctx.resume.work), ("education", ctx.resume.education)):
        for entry in entries:
            start = month_index(entry.startDate)
            stop = month_index(entry.endDate, end=True)
            if start is not None and stop is not None and stop < start:
                result.score = 0.0
                label = getattr(entry, "position", None) or getattr(entry, "institution", "")
                result.findings.append(
                    ctx.finding(
                        "consistency",
                        "consistency.end_before_start",
                        "critical",
                        f"An entry ends ({entry.endDate}) before it starts ({entry.startDate}).",
                        "Correct the dates of this entry.",
                        section=section,
                        text=label or None,
                    )
                )
    return result


def check_gaps(ctx: ReviewContext) -> CheckResult:
    """Months not covered by any role between the first start and the last end."""
    dated = any(month_index(entry.startDate) is not None for entry in ctx.resume.work)
    result = CheckResult("consistency.gaps", 0.3, 1.0 if dated else 0.0)
    spans = sorted(
        [
            (start, month_index(entry.endDate, end=True), entry)
            for entry in ctx.resume.work
            if (start := month_index(entry.startDate)) is not None
        ],
        key=lambda item: item[0],
    )
    covered: int | None = None
    for start, stop, entry in spans:
        if covered is not None and start - covered - 1 > GAP_MONTHS:
            gap = start - covered - 1
            result.score = max(0.0, result.score - 0.25)
            result.findings.append(
                ctx.finding(
                    "consistency",
                    "consistency.gap",
                    "warning",
                    f"A gap of {gap} months before this role.",
                    "Explain the gap in a line (study, travel, caregiving, freelance work).",
                    section="work",
                    text=_entry_text(entry),
                )
            )
        if stop is None:
            break
        covered = stop if covered is None else max(covered, stop)
    return result


CHECKS = [check_date_formats, check_order, check_ranges, check_gaps]
