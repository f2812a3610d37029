"""The engine call that runs in the CPU pool's processes (must be importable at top level)."""

from __future__ import annotations

from typing import Any


def analyze_file(
    data: bytes, filename: str, job_description: str | None, max_pages: int
) -> dict[str, Any]:
    """`cvlens analyze --format json` for these bytes: `{resume, review, match, document}`."""
    from cvlens.analysis.pipeline import analyze_bytes

    result: dict[str, Any] = analyze_bytes(
        data, filename, job_description, max_pages=max_pages
    ).to_json()
    return result
