"""Row digests computed inside PostgreSQL, reproduced exactly in Python for the source.

Verify's target side then costs PostgreSQL a hash per row and Python nothing: per key
range the server returns (count, sum of 64-bit row hashes); only a range whose digest
differs is fetched row by row to name the differing keys.

A row's text is its columns' renderings joined by commas, `\\N` for NULL. A rendering
is one both sides produce identically: binary images (hex) for floats, epoch microseconds
for timestamps, trimmed scale for numerics; text is prefixed by its length (`5:hello`),
the only rendering that may contain a comma. The row hash is the first
64 bits of its MD5, as a signed integer (what `bit(64)::bigint` gives).
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from cutover.datacopy.endpoints import quote

_EPOCH_UTC = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_NAIVE = datetime(1970, 1, 1)
_MICROSECOND = timedelta(microseconds=1)
_NULL = "\\N"

# PostgreSQL type name -> SQL rendering of a column (a format string over the column).
SQL_RENDER: dict[str, str] = {
    **dict.fromkeys(("int2", "int4", "int8"), "{c}::text"),
    **dict.fromkeys(("text", "varchar", "bpchar"), "{c}::text"),
    "bool": "{c}::text",
    "float8": "encode(float8send({c}), 'hex')",
    "float4": "encode(float4send({c}), 'hex')",
    "numeric": "trim_scale({c})::text",
    "timestamptz": "(extract(epoch from {c}) * 1000000)::bigint::text",
    "timestamp": "(extract(epoch from {c}) * 1000000)::bigint::text",
    "date": "{c}::text",
    "bytea": "encode({c}, 'hex')",
}


def _bool(v: bool) -> str:
    return "true" if v else "false"


def _float8(v: float) -> str:
    return struct.pack(">d", v).hex()


def _float4(v: float) -> str:
    return struct.pack(">f", v).hex()


def _numeric(v: Any) -> str:
    return "0" if v == 0 else format(v.normalize(), "f")  # PostgreSQL has no -0


def _timestamp(v: datetime) -> str:
    return str((v - (_EPOCH_NAIVE if v.tzinfo is None else _EPOCH_UTC)) // _MICROSECOND)


def _date(v: Any) -> str:
    return str(v.isoformat())


def _hex(v: bytes) -> str:
    return v.hex()


PY_RENDER: dict[str, Callable[[Any], str]] = {
    **dict.fromkeys(("int2", "int4", "int8"), str),
    **dict.fromkeys(("text", "varchar", "bpchar"), str),
    "bool": _bool,
    "float8": _float8,
    "float4": _float4,
    "numeric": _numeric,
    "timestamptz": _timestamp,
    "timestamp": _timestamp,
    "date": _date,
    "bytea": _hex,
}


def supported(type_names: Sequence[str]) -> bool:
    return all(t in SQL_RENDER for t in type_names)


_TEXT = frozenset({"text", "varchar", "bpchar"})


def row_text_sql(columns: Sequence[str], type_names: Sequence[str]) -> str:
    parts = []
    for column, type_name in zip(columns, type_names, strict=True):
        rendered = SQL_RENDER[type_name].format(c=quote(column))
        if type_name in _TEXT:
            rendered = f"length({rendered})::text || ':' || {rendered}"
        parts.append(f"coalesce({rendered}, '{_NULL}')")
    return " || ',' || ".join(parts)


def hash_sql(columns: Sequence[str], type_names: Sequence[str]) -> str:
    """SQL of the signed 64-bit row hash."""
    return f"('x' || substr(md5({row_text_sql(columns, type_names)}), 1, 16))::bit(64)::bigint"


def _rendered(type_name: str, values: Sequence[Any]) -> list[str]:
    render = PY_RENDER[type_name]
    has_null = None in values
    if type_name in _TEXT:
        if has_null:
            return [_NULL if v is None else f"{len(v)}:{v}" for v in values]
        return [f"{len(v)}:{v}" for v in values]
    if has_null:
        return [_NULL if v is None else render(v) for v in values]
    return list(map(render, values))


def row_hashes(rows: Sequence[tuple[Any, ...]], type_names: Sequence[str]) -> list[int]:
    """The hash of each coerced row, equal to what hash_sql computes for the stored row."""
    if not rows:
        return []
    columns = [
        _rendered(type_name, values)
        for type_name, values in zip(type_names, zip(*rows, strict=True), strict=True)
    ]
    md5 = hashlib.md5
    from_bytes = int.from_bytes
    return [
        from_bytes(
            md5(",".join(cells).encode(), usedforsecurity=False).digest()[:8], "big", signed=True
        )
        for cells in zip(*columns, strict=True)
    ]
