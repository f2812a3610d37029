"""A batch of coerced rows as PostgreSQL COPY CSV text."""

from __future__ import annotations

import csv
import io
import uuid
from typing import Any


def _bytea(v: Any) -> Any:
    return v if v is None else "\\x" + bytes(v).hex()


def _bool(v: Any) -> Any:
    return v if v is None else ("t" if v else "f")


def _null_marker(columns: list[list[Any]]) -> str:
    """A random NULL marker absent from the batch, so NULL and '' stay distinct
    (csv writes both as an empty field)."""
    while True:
        marker = "NULL-" + uuid.uuid4().hex
        if not any(marker in column for column in columns):
            return marker


def csv_batch(rows: list[tuple[Any, ...]]) -> tuple[str, str]:
    """(NULL marker, CSV text of the rows)."""
    columns = [list(c) for c in zip(*rows, strict=True)]
    null = _null_marker(columns)
    for i, column in enumerate(columns):
        kinds = set(map(type, column))
        if kinds & {bytes, bytearray, memoryview}:
            column = columns[i] = list(map(_bytea, column))
        elif bool in kinds:
            column = columns[i] = list(map(_bool, column))
        if type(None) in kinds:
            columns[i] = [null if v is None else v for v in column]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(zip(*columns, strict=True))
    return null, buffer.getvalue()
