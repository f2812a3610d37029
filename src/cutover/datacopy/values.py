"""Value conversions shared by copy and verify.

Every target column has a *family* (from its declared type). A transformed source value
is coerced to the family's Python type before it is written, and both sides are coerced
the same way before hashing in verify, so "equal in the target" means "equal hash".
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

import orjson


class Family(StrEnum):
    INT = "int"
    FLOAT = "float"
    NUMERIC = "numeric"
    TEXT = "text"
    BOOL = "bool"
    BYTES = "bytes"
    JSON = "json"
    TIMESTAMP = "timestamp"
    TIMESTAMPTZ = "timestamptz"
    DATE = "date"
    ANY = "any"


_TRUE = frozenset({"t", "true", "1", "yes", "y", "on"})
_FALSE = frozenset({"f", "false", "0", "no", "n", "off"})


def _to_int(v: Any) -> int:
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, int):
        return v
    if isinstance(v, float | Decimal) and v == int(v):
        return int(v)
    if isinstance(v, str):
        return int(v.strip())
    raise ValueError(f"{v!r} is not an integer")


def _to_float(v: Any) -> float:
    if isinstance(v, bool) or not isinstance(v, int | float | Decimal | str):
        raise ValueError(f"{v!r} is not a number")
    return float(v)


def _to_decimal(v: Any) -> Decimal:
    if isinstance(v, bool) or not isinstance(v, int | float | Decimal | str):
        raise ValueError(f"{v!r} is not a number")
    try:
        return Decimal(str(v).strip())
    except InvalidOperation as exc:
        raise ValueError(f"{v!r} is not a number") from exc


def _to_text(v: Any) -> str:
    if isinstance(v, str):
        return v
    if isinstance(v, bytes | bytearray | memoryview):
        return bytes(v).decode("utf-8")
    if isinstance(v, dict | list):
        return orjson.dumps(v).decode()
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, datetime | date):
        return v.isoformat()
    return str(v)


def _to_bool(v: Any) -> bool:
    if isinstance(v, bool):
        return v
    if isinstance(v, int) and v in (0, 1):
        return bool(v)
    if isinstance(v, str) and v.strip().lower() in _TRUE | _FALSE:
        return v.strip().lower() in _TRUE
    raise ValueError(f"{v!r} is not a boolean")


def _to_bytes(v: Any) -> bytes:
    if isinstance(v, bytes):
        return v
    if isinstance(v, bytearray | memoryview):
        return bytes(v)
    if isinstance(v, str):
        return v.encode("utf-8")
    raise ValueError(f"{type(v).__name__} is not bytes")


def _to_json(v: Any) -> Any:
    if isinstance(v, str | bytes | bytearray | memoryview):
        try:
            return orjson.loads(bytes(v) if not isinstance(v, str) else v)
        except orjson.JSONDecodeError as exc:
            raise ValueError(f"invalid JSON: {exc}") from exc
    if isinstance(v, dict | list | int | float | bool):
        return v
    raise ValueError(f"{type(v).__name__} is not JSON")


def _to_datetime(v: Any) -> datetime:
    if isinstance(v, datetime):
        return v
    if isinstance(v, date):
        return datetime(v.year, v.month, v.day)
    if isinstance(v, str):
        return datetime.fromisoformat(v.strip())
    if isinstance(v, int | float) and not isinstance(v, bool):
        return datetime.fromtimestamp(v, UTC)
    raise ValueError(f"{v!r} is not a timestamp")


def _to_timestamptz(v: Any) -> datetime:
    """Aware UTC; a naive value is taken as UTC (documented in docs/datacopy.md)."""
    value = v if type(v) is datetime else _to_datetime(v)
    if value.tzinfo is UTC:
        return value
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _to_timestamp(v: Any) -> datetime:
    value = _to_datetime(v)
    return value if value.tzinfo is None else value.astimezone(UTC).replace(tzinfo=None)


def _to_date(v: Any) -> date:
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    if isinstance(v, str):
        return date.fromisoformat(v.strip())
    raise ValueError(f"{v!r} is not a date")


def _identity(v: Any) -> Any:
    return bytes(v) if isinstance(v, memoryview) else v


COERCE: dict[Family, Callable[[Any], Any]] = {
    Family.INT: _to_int,
    Family.FLOAT: _to_float,
    Family.NUMERIC: _to_decimal,
    Family.TEXT: _to_text,
    Family.BOOL: _to_bool,
    Family.BYTES: _to_bytes,
    Family.JSON: _to_json,
    Family.TIMESTAMP: _to_timestamp,
    Family.TIMESTAMPTZ: _to_timestamptz,
    Family.DATE: _to_date,
    Family.ANY: _identity,
}

# Python types already in canonical form for a family: a column whose values are all of
# these types (or None) skips per-value coercion. Timestamps are never skipped (time zones).
NATIVE: dict[Family, frozenset[type]] = {
    Family.INT: frozenset({int}),
    Family.FLOAT: frozenset({float}),
    Family.NUMERIC: frozenset({Decimal}),
    Family.TEXT: frozenset({str}),
    Family.BOOL: frozenset({bool}),
    Family.BYTES: frozenset({bytes}),
    Family.JSON: frozenset({dict, list}),
    Family.TIMESTAMP: frozenset(),
    Family.TIMESTAMPTZ: frozenset(),
    Family.DATE: frozenset({date}),
    Family.ANY: frozenset({int, float, str, bytes, bool, Decimal, dict, list, date, datetime}),
}

CASTS: dict[str, Callable[[Any], Any]] = {
    "int": _to_int,
    "float": _to_float,
    "decimal": _to_decimal,
    "text": _to_text,
    "bool": _to_bool,
    "json": _to_json,
    "bytes": _to_bytes,
    "datetime": _to_datetime,
    "date": _to_date,
}

_NONE = type(None)


_INT_BOOLS: dict[Any, Any] = {0: False, 1: True, None: None}
# datetimes already canonical for their family: aware UTC for timestamptz, naive else.
_CANONICAL_ZONES: dict[Family, set[Any]] = {Family.TIMESTAMPTZ: {UTC}, Family.TIMESTAMP: {None}}


def coerce_column(family: Family, values: Sequence[Any]) -> Sequence[Any]:
    """`values` in the family's canonical types; raises ValueError on the first bad value.

    `values` itself (not a copy) when every value already is canonical."""
    native = NATIVE[family]
    kinds = set(map(type, values))
    if kinds <= native | {_NONE}:
        return values
    if family in _CANONICAL_ZONES and kinds <= {datetime, _NONE}:
        zones = {v.tzinfo for v in values if v is not None}
        if zones <= _CANONICAL_ZONES[family]:
            return values
    if family is Family.BOOL and kinds <= {int, _NONE} and set(values) <= _INT_BOOLS.keys():
        return [_INT_BOOLS[v] for v in values]
    if family is Family.TIMESTAMPTZ and kinds == {str}:
        parsed = _utc_isoformat_column(values)
        if parsed is not None:
            return parsed
    convert = COERCE[family]
    return [None if v is None else convert(v) for v in values]


def _utc_isoformat_column(values: Sequence[str]) -> list[datetime] | None:
    """ISO-8601 strings with a zero UTC offset, parsed in one C-level pass (the common
    legacy column); None when any value needs the per-value path (other offsets, naive
    values, surrounding spaces, another format), which gives the same results."""
    try:
        parsed = list(map(datetime.fromisoformat, values))
    except ValueError:
        return None
    # fromisoformat returns the `UTC` singleton for a +00:00 / Z offset
    return parsed if {d.tzinfo for d in parsed} == {UTC} else None


def _canonical_default(v: Any) -> Any:
    if isinstance(v, bytes | bytearray | memoryview):
        return "b64:" + base64.b64encode(bytes(v)).decode()
    if isinstance(v, Decimal):  # PostgreSQL has no -0: every zero is "dec:0"
        return "dec:0" if v == 0 else "dec:" + format(v.normalize(), "f")
    raise TypeError(f"cannot serialise {type(v).__name__}")


_CANONICAL_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_NAIVE_UTC | orjson.OPT_NON_STR_KEYS


def canonical_bytes(row: Sequence[Any]) -> bytes:
    """The canonical serialisation of one coerced row (what verify hashes)."""
    return orjson.dumps(row, default=_canonical_default, option=_CANONICAL_OPTIONS)


def to_json_text(v: Any) -> str | None:
    """A JSON-family value as the text a database stores."""
    return None if v is None else orjson.dumps(v).decode()


# Key and high-water-mark values are stored in the checkpoint table as tagged JSON.
def encode_value(v: Any) -> Any:
    if isinstance(v, datetime):
        return {"$datetime": v.isoformat()}
    if isinstance(v, date):
        return {"$date": v.isoformat()}
    if isinstance(v, Decimal):
        return {"$decimal": str(v)}
    if isinstance(v, bytes | bytearray | memoryview):
        return {"$bytes": base64.b64encode(bytes(v)).decode()}
    return v


def decode_value(v: Any) -> Any:
    if isinstance(v, dict) and len(v) == 1:
        ((tag, raw),) = v.items()
        decoders: dict[str, Callable[[str], Any]] = {
            "$datetime": datetime.fromisoformat,
            "$date": date.fromisoformat,
            "$decimal": Decimal,
            "$bytes": base64.b64decode,
        }
        if tag in decoders:
            return decoders[tag](raw)
    return v


def encode_tuple(values: Sequence[Any] | None) -> str | None:
    return None if values is None else orjson.dumps([encode_value(v) for v in values]).decode()


def decode_tuple(text: str | None) -> tuple[Any, ...] | None:
    return None if text is None else tuple(decode_value(v) for v in orjson.loads(text))


def jsonable(v: Any) -> Any:
    """A value for the reject file: JSON-safe, bytes as base64."""
    if isinstance(v, bytes | bytearray | memoryview):
        return {"$bytes": base64.b64encode(bytes(v)).decode()}
    if isinstance(v, Decimal | datetime | date):
        return str(v) if isinstance(v, Decimal) else v.isoformat()
    return v
