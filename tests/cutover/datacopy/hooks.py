"""Row hooks used by the plans of these tests (plans name them as module:function)."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any


def slow_when_asked(source_row: Mapping[str, Any], target_row: dict[str, Any]) -> dict[str, Any]:
    """Sleeps 2 ms per row past DATACOPY_SLOW_AFTER, so a test can kill the copy mid-way."""
    threshold = os.environ.get("DATACOPY_SLOW_AFTER")
    if threshold is not None and source_row["id"] > int(threshold):
        time.sleep(0.002)
    return target_row


def split_name(source_row: Mapping[str, Any], target_row: dict[str, Any]) -> dict[str, Any]:
    """One source column into two target columns; a name without a space is rejected."""
    first, sep, last = str(source_row["name"]).partition(" ")
    if not sep:
        raise ValueError(f"cannot split name {source_row['name']!r}")
    return {**target_row, "first_name": first, "last_name": last}


def record_pid(source_row: Mapping[str, Any], target_row: dict[str, Any]) -> dict[str, Any]:
    """Leaves a file named after the process that transformed the row in
    DATACOPY_PID_DIR, so a test can tell which processes copied a table."""
    (Path(os.environ["DATACOPY_PID_DIR"]) / str(os.getpid())).touch()
    return target_row
