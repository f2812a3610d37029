"""`cutover verify`: per table, row counts and an order-independent checksum of the
transformed source rows against the target rows (the model is pgcopydb's `compare data`).

Each row is serialised canonically (values coerced to the target column's family, then
orjson with sorted keys) and hashed with 128-bit MurmurHash3; a table's checksum is the
sum of its row hashes modulo 2**128, so it does not depend on order or batching. Both
sides are streamed in key order in one pass, which also pairs rows by key: when the
checksums differ, the differing keys are already known.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import mmh3

from cutover.datacopy.copier import selected_tables
from cutover.datacopy.endpoints import Endpoint, open_endpoint
from cutover.datacopy.plan import Plan
from cutover.datacopy.prefetch import prefetch
from cutover.datacopy.transform import Key, ResolvedTable, resolve_table
from cutover.datacopy.values import COERCE, canonical_bytes, coerce_column

_MOD = 1 << 128
DEFAULT_VERIFY_BATCH = 20_000


@dataclass
class TableVerification:
    name: str
    source_rows: int = 0
    target_rows: int = 0
    source_checksum: int = 0
    target_checksum: int = 0
    differing: int = 0
    samples: list[tuple[Key, str]] = field(default_factory=list)  # (key, why)

    @property
    def ok(self) -> bool:
        return (
            self.differing == 0
            and self.source_rows == self.target_rows
            and self.source_checksum == self.target_checksum
        )


# One entry per row, in key order: (key, row hash or None when rejected, rejection reason).
Entry = tuple[Key, int | None, str]


def _row_hash(row: tuple[Any, ...]) -> int:
    return int(mmh3.hash128(canonical_bytes(row), 0, True, False))


def _source_entries(table: ResolvedTable, source: Endpoint, batch: int) -> Iterator[list[Entry]]:
    plan = table.plan
    after: Key | None = None
    while True:
        rows = source.fetch(
            plan.source,
            table.source_columns,
            plan.key,
            table.source_key_families,
            batch,
            after=after,
        )
        if not rows:
            return
        done = table.transform(rows)
        entries: list[Entry] = [
            (key, _row_hash(row), "") for key, row in zip(done.keys, done.rows, strict=True)
        ]
        if done.rejected:
            entries += [(r.key, None, r.reason) for r in done.rejected]
            entries.sort(key=lambda e: e[0])
        yield entries
        after = tuple(rows[-1][i] for i in table.key_positions)


def _target_entries(table: ResolvedTable, target: Endpoint, batch: int) -> Iterator[list[Entry]]:
    shape = table.target
    names = list(shape.columns)
    key_positions = [names.index(k) for k in shape.key]
    key_families = table.target_key_families()
    after: Key | None = None
    while True:
        rows = target.fetch(shape.table, names, shape.key, key_families, batch, after=after)
        if not rows:
            return
        try:
            columns = [
                coerce_column(f, c)
                for f, c in zip(shape.families, zip(*rows, strict=True), strict=True)
            ]
            coerced = list(zip(*columns, strict=True))
            entries: list[Entry] = [
                (tuple(r[i] for i in key_positions), _row_hash(c), "")
                for r, c in zip(rows, coerced, strict=True)
            ]
        except (ValueError, TypeError, ArithmeticError):
            entries = [_target_entry(shape.families, row, key_positions) for row in rows]
        yield entries
        after = tuple(rows[-1][i] for i in key_positions)


def _target_entry(families: Any, row: tuple[Any, ...], key_positions: list[int]) -> Entry:
    key = tuple(row[i] for i in key_positions)
    try:
        coerced = tuple(
            None if v is None else COERCE[f](v) for f, v in zip(families, row, strict=True)
        )
    except (ValueError, TypeError, ArithmeticError) as exc:
        return key, None, f"target value unreadable: {exc}"
    return key, _row_hash(coerced), ""


def _flatten(batches: Iterator[list[Entry]]) -> Iterator[Entry]:
    for batch in batches:
        yield from batch


class _Comparison:
    def __init__(self, name: str, sample_size: int) -> None:
        self.result = TableVerification(name=name)
        self.sample_size = sample_size

    def differ(self, key: Key, why: str) -> None:
        self.result.differing += 1
        if len(self.result.samples) < self.sample_size:
            self.result.samples.append((key, why))

    def source(self, entry: Entry) -> None:
        self.result.source_rows += 1
        if entry[1] is not None:
            self.result.source_checksum = (self.result.source_checksum + entry[1]) % _MOD

    def target(self, entry: Entry) -> None:
        self.result.target_rows += 1
        if entry[1] is not None:
            self.result.target_checksum = (self.result.target_checksum + entry[1]) % _MOD


def compare_table(
    table: ResolvedTable, source: Endpoint, target: Endpoint, batch: int, sample_size: int
) -> TableVerification:
    cmp = _Comparison(table.name, sample_size)
    src = _flatten(prefetch(_source_entries(table, source, batch)))
    tgt = _flatten(prefetch(_target_entries(table, target, batch)))
    s, t = next(src, None), next(tgt, None)
    while s is not None or t is not None:
        if t is None or (s is not None and s[0] < t[0]):
            assert s is not None
            cmp.source(s)
            cmp.differ(s[0], f"rejected: {s[2]}" if s[1] is None else "missing in target")
            s = next(src, None)
        elif s is None or t[0] < s[0]:
            cmp.target(t)
            cmp.differ(t[0], t[2] or "only in target")
            t = next(tgt, None)
        else:
            cmp.source(s)
            cmp.target(t)
            if s[1] is None:
                cmp.differ(s[0], f"rejected: {s[2]}")
            elif t[1] is None:
                cmp.differ(t[0], t[2])
            elif s[1] != t[1]:
                cmp.differ(s[0], "values differ")
            s, t = next(src, None), next(tgt, None)
    return cmp.result


def verify_data(
    plan: Plan,
    source_url: str,
    target_url: str,
    *,
    batch_size: int | None = None,
    sample_size: int = 10,
    tables: list[str] | None = None,
) -> list[TableVerification]:
    """Compare every table of the plan; a result's `ok` is False on any difference."""
    source = open_endpoint(source_url, read_only=True)
    try:
        target = open_endpoint(target_url, read_only=True)
    except BaseException:
        source.close()
        raise
    try:
        resolved = [resolve_table(t, source, target) for t in selected_tables(plan, tables)]
        return [
            compare_table(table, source, target, batch_size or DEFAULT_VERIFY_BATCH, sample_size)
            for table in resolved
        ]
    finally:
        source.close()
        target.close()
