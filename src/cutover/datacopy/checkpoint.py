"""Per-table progress of a copy, stored in the target beside the data it describes.

A large table may be copied as several key ranges ("parts") by worker processes at
once: each part has its own checkpoint row (`name#partN`, bounded by `last_key` <
key <= `upto_key`) beside the table's own, and the table's row is finished when every
part is.

Each batch and its checkpoint are committed in one transaction, so a crash (even
SIGKILL) leaves the target either before or after the batch, never half-way.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

CHECKPOINT_TABLE = "cutover_checkpoints"


class Phase(StrEnum):
    UPDATED = "updated"  # re-copying rows changed since the last run (delta)
    NEW = "new"  # copying rows with a key past last_key
    DONE = "done"  # the run finished; the next run is a delta


@dataclass
class Checkpoint:
    name: str
    phase: Phase
    last_key: tuple[Any, ...] | None = None
    delta_key: tuple[Any, ...] | None = None
    since_mark: Any = None  # updated_column value the previous completed run started at
    run_mark: Any = None  # updated_column maximum when this run started
    rows_read: int = 0
    rows_written: int = 0
    rows_rejected: int = 0
    upto_key: tuple[Any, ...] | None = None  # a part's inclusive upper bound (None: no bound)


PART_SEPARATOR = "#part"


def part_name(name: str, index: int) -> str:
    """The checkpoint name of key range `index` of a table copied in parallel parts."""
    return f"{name}{PART_SEPARATOR}{index}"


CHECKPOINT_COLUMNS = (
    "name",
    "phase",
    "last_key",
    "delta_key",
    "since_mark",
    "run_mark",
    "rows_read",
    "rows_written",
    "rows_rejected",
    "upto_key",
)
