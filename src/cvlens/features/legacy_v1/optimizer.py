"""The legacy keyword optimizer, ported as is so `/api/optimize` answers exactly like legacy.

Deliberately simple (it is what CVLens replaces): tokens of the job description minus
stop words, ranked by frequency then first appearance, capped at MAX_KEYWORDS.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TypedDict

MAX_KEYWORDS = 25
MAX_KEYWORD_SUGGESTIONS = 5
SHORT_RESUME_WORDS = 150

_TOKEN = re.compile(r"[a-z][a-z0-9+#.]*[a-z0-9+#]|[a-z]")
STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "all",
        "also",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "being",
        "but",
        "by",
        "can",
        "could",
        "do",
        "does",
        "for",
        "from",
        "has",
        "have",
        "having",
        "he",
        "her",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "job",
        "join",
        "looking",
        "may",
        "more",
        "most",
        "must",
        "of",
        "on",
        "or",
        "our",
        "out",
        "over",
        "own",
        "per",
        "role",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "under",
        "up",
        "us",
        "using",
        "via",
        "was",
        "we",
        "well",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "will",
        "with",
        "within",
        "would",
        "you",
        "your",
        "years",
        "year",
        "work",
        "team",
        "teams",
        "experience",
        "strong",
        "ability",
        "able",
        "plus",
        "etc",
    ]
)


class OptimizationResult(TypedDict):
    score: int
    matched_keywords: list[str]
    missing_keywords: list[str]
    suggestions: list[str]


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens; keeps `c++`, `c#`, `node.js` whole."""
    return _TOKEN.findall(text.lower())


def keywords(job_description: str) -> list[str]:
    """The job's keywords, most frequent first (ties keep their first appearance)."""
    words = [w for w in tokens(job_description) if w not in STOP_WORDS and len(w) > 1]
    counts = Counter(words)
    first_seen = {w: i for i, w in reversed(list(enumerate(words)))}
    ranked = sorted(counts, key=lambda w: (-counts[w], first_seen[w]))
    return ranked[:MAX_KEYWORDS]


def optimize(resume_text: str, job_description: str) -> OptimizationResult:
    """Score a résumé against a job description (0-100 = share of keywords matched)."""
    wanted = keywords(job_description)
    present = set(tokens(resume_text))
    matched = [w for w in wanted if w in present]
    missing = [w for w in wanted if w not in present]
    score = round(100 * len(matched) / len(wanted)) if wanted else 0
    suggestions = [
        f"Mention '{word}' if it reflects your experience."
        for word in missing[:MAX_KEYWORD_SUGGESTIONS]
    ]
    if wanted and score < 50:
        suggestions.append("Tailor your summary to the job description's main requirements.")
    if len(resume_text.split()) < SHORT_RESUME_WORDS:
        suggestions.append("Your résumé is short: describe your achievements with numbers.")
    return {
        "score": score,
        "matched_keywords": matched,
        "missing_keywords": missing,
        "suggestions": suggestions,
    }
