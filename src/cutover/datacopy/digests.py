"""Source digests recorded by `copy`, so `verify` need not read and transform the source again.

While copying, each batch's transformed rows are hashed exactly as verify hashes them
(rows_hash) and the batch's key range is stored in `cutover_digests` in the target,
in the same transaction as the batch and its checkpoint (a resumed copy keeps the
digests of the batches it committed). Per range: the source URL it was read from, the
rows read, how many were rejected, the largest `updated_column` value and one hash of
the rows in key order (rows_hash: several times cheaper than a hash per row).

`verify` still reads every target row and hashes them; for a recorded range it takes the
source side from the record only after checking, in SQL on the source, that the range
still holds as many rows with the same largest `updated_column`. A range with a
rejected row, a stale record or any difference is compared row by row against the
source as if nothing were recorded. Rows a delta run re-copies drop the records of
their ranges. What a record cannot show: a source row changed in place after the copy
without its `updated_column` moving; `cutover verify --source-digests read` reads the
whole source again.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import mmh3

from cutover.datacopy.values import canonical_bytes, decode_tuple, encode_tuple

MOD = 1 << 128
Key = tuple[Any, ...]

DIGEST_COLUMNS = (
    "name",
    "source",
    "lo",
    "hi",
    "rows_read",
    "rejected",
    "max_changed",
    "rows_hash",
)


def row_hash(row: tuple[Any, ...]) -> int:
    """The 128-bit hash of one coerced row (canonical orjson, MurmurHash3)."""
    return int(mmh3.hash128(canonical_bytes(row), 0, True, False))


def stored_forms(
    rows: list[tuple[Any, ...]], forms: list[Callable[[Any], Any] | None] | None
) -> list[tuple[Any, ...]]:
    """The rows with each column in the form the target keeps it (Endpoint.stored_forms)."""
    if not rows or forms is None:
        return rows
    columns = [
        list(map(form, column)) if form is not None else column
        for form, column in zip(forms, zip(*rows, strict=True), strict=True)
    ]
    return list(zip(*columns, strict=True))


def rows_hash(rows: list[tuple[Any, ...]]) -> int:
    """One hash of rows in key order: one serialisation and one hash for the whole
    range, several times cheaper than a hash per row."""
    return int(mmh3.hash128(canonical_bytes(rows), 0, True, False))


@dataclass(frozen=True)
class RangeDigest:
    """What copy read from the source for after < key <= hi."""

    lo: Key | None  # exclusive; None: from the first key
    hi: Key  # inclusive
    rows_read: int
    rejected: int
    max_changed: Any  # largest updated_column value in the range (None without one)
    rows_hash: int  # of the transformed rows that were not rejected

    def holds(self, key: Key) -> bool:
        return (self.lo is None or self.lo < key) and key <= self.hi


def holding(digests: list[RangeDigest], keys: list[Key]) -> list[RangeDigest]:
    """The digests (sorted by hi, not overlapping) whose range holds one of `keys`."""
    his = [d.hi for d in digests]
    found: dict[int, RangeDigest] = {}
    for key in keys:
        i = bisect.bisect_left(his, key)
        if i < len(digests) and digests[i].holds(key):
            found[i] = digests[i]
    return [found[i] for i in sorted(found)]


def digest_params(name: str, source: str, d: RangeDigest) -> tuple[Any, ...]:
    return (
        name,
        source,
        encode_tuple(d.lo),
        encode_tuple(d.hi),
        d.rows_read,
        d.rejected,
        encode_tuple([d.max_changed]),
        str(d.rows_hash),
    )


def digest_from_row(row: tuple[Any, ...]) -> RangeDigest:
    lo, hi, read, rejected, max_changed, hashed = row
    changed = decode_tuple(max_changed)
    hi_key = decode_tuple(hi)
    assert hi_key is not None
    return RangeDigest(
        lo=decode_tuple(lo),
        hi=hi_key,
        rows_read=int(read),
        rejected=int(rejected),
        max_changed=changed[0] if changed else None,
        rows_hash=int(hashed),
    )


@dataclass
class DigestChange:
    """What one batch does to the recorded digests, committed with the batch."""

    name: str
    source: str
    drop: list[RangeDigest]
    add: RangeDigest | None
