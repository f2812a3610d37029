"""Row hooks for `cutover copy` plans that read the legacy database."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def optimization_row(source_row: Mapping[str, Any], target_row: dict[str, Any]) -> dict[str, Any]:
    """Lift the score out of the stored result JSON into its own column."""
    result = target_row["result"]
    if not isinstance(result, dict) or not isinstance(result.get("score"), int):
        raise ValueError("result has no integer score")
    return {**target_row, "score": result["score"]}
