"""The reject file: one JSON line per row that could not be transformed (as pgloader keeps)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import IO

import orjson

from cutover.datacopy.transform import Rejected
from cutover.datacopy.values import jsonable


class RejectFile:
    """Appends `{"table", "key", "reason", "row", "at"}` lines; opened on the first reject."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: IO[bytes] | None = None
        self.count = 0

    def write(self, table: str, rejected: Rejected) -> None:
        if self._file is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Unbuffered append: each line is one write(2) at the end of the file, so
            # the worker processes of a table copied in parts can share the file.
            self._file = self.path.open("ab", buffering=0)
        line = {
            "table": table,
            "key": [jsonable(v) for v in rejected.key],
            "reason": rejected.reason,
            "row": {k: jsonable(v) for k, v in rejected.row.items()},
            "at": datetime.now(UTC).isoformat(),
        }
        self._file.write(orjson.dumps(line, default=str) + b"\n")
        self.count += 1

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
