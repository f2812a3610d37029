"""`cutover verify`: per table, row counts and an order-independent checksum of the
transformed source rows against the target rows (the model is pgcopydb's `compare data`).

Rows are hashed one by one and a table's checksum is the sum of its row hashes (modulo
2**128), so it depends neither on order nor on batching. The source is read in key
batches, transformed exactly as `copy` does, and each batch is paired with the target
rows of the same key range, so both sides stay aligned whatever rows are missing.

Two ways to compare (`digest`):
- `rows` (default): the target rows of the range are fetched (typed values; binary from
  PostgreSQL) and compared with the transformed source rows as Python values. Equal
  lists (the common case) share the source side's hashes, so a row is hashed once;
  otherwise both sides are coerced to the target column's family, serialised
  canonically (orjson, sorted keys), hashed with 128-bit MurmurHash3 and merged by key.
- `server`: PostgreSQL with column types pghash knows digests each key range itself
  (count + sum of row hashes) and Python renders the source rows the same way; only a
  range whose digest differs is fetched row by row. Less data on the wire (a remote
  target), but more CPU on both sides: measured 3.6x slower locally (docs/datacopy.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from cutover.datacopy import pghash
from cutover.datacopy.digests import MOD, RangeDigest, row_hash, rows_hash, stored_forms
from cutover.datacopy.endpoints import Endpoint
from cutover.datacopy.prefetch import prefetch
from cutover.datacopy.transform import Key, ResolvedTable
from cutover.datacopy.values import COERCE, coerce_column

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


# after < key <= upto; None is an open end.
Bounds = tuple[Key | None, Key | None]

# One entry per row, in key order: (key, row hash or None when rejected, rejection reason).
Entry = tuple[Key, int | None, str]


def _orjson_hashes(rows: list[tuple[Any, ...]]) -> list[int]:
    return [row_hash(row) for row in rows]


def _source_batches(
    table: ResolvedTable,
    source: Endpoint,
    batch: int,
    hash_rows: Callable[[list[tuple[Any, ...]]], list[int]] = _orjson_hashes,
    bounds: Bounds = (None, None),
    forms: list[Callable[[Any], Any] | None] | None = None,
) -> Iterator[tuple[list[Entry], list[tuple[Any, ...]], Key]]:
    """(entries, transformed rows, last key read) per source batch within bounds,
    entries sorted by key; the rows are those of the entries when nothing was rejected."""
    plan = table.plan
    after, upto = bounds
    while True:
        rows = source.fetch(
            plan.source,
            table.source_columns,
            plan.key,
            table.source_key_families,
            batch,
            after=after,
            upto=upto,
        )
        if not rows:
            return
        done = table.transform(rows)
        if forms is not None:
            done.rows = stored_forms(done.rows, forms)
        entries: list[Entry] = [
            (key, h, "") for key, h in zip(done.keys, hash_rows(done.rows), strict=True)
        ]
        if done.rejected:
            entries += [(r.key, None, r.reason) for r in done.rejected]
            entries.sort(key=lambda e: e[0])
        after = tuple(rows[-1][i] for i in table.key_positions)
        yield entries, done.rows, after


class _TargetReader:
    """Target rows by key range, coerced like the source side, hashed."""

    def __init__(self, table: ResolvedTable, target: Endpoint, batch: int) -> None:
        self.shape = table.target
        self.names = list(self.shape.columns)
        self.key_positions = [self.names.index(k) for k in self.shape.key]
        self.key_families = table.target_key_families()
        self.target = target
        self.batch = batch
        self.forms = target.stored_forms(self.shape)

    def rows(self, after: Key | None, upto: Key | None) -> list[tuple[Any, ...]]:
        """The rows with after < key <= upto (either bound may be open), in key order."""
        found: list[tuple[Any, ...]] = []
        for part in self.batches(after, upto):
            found += part
        return found

    def batches(self, after: Key | None, upto: Key | None) -> Iterator[list[tuple[Any, ...]]]:
        while True:
            rows = self.target.fetch(
                self.shape.table,
                self.names,
                self.shape.key,
                self.key_families,
                self.batch,
                after=after,
                upto=upto,
            )
            if not rows:
                return
            yield rows if self.forms is None else stored_forms(rows, self.forms)
            if len(rows) < self.batch:
                return
            after = tuple(rows[-1][i] for i in self.key_positions)
            if after == upto:  # the range's last key: nothing after it to ask for
                return

    def coerced(self, rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """The rows with every value in its column family's canonical type (as the
        transformed source rows are); raises ValueError on a value that cannot be."""
        if not rows:
            return rows
        columns = list(zip(*rows, strict=True))
        coerced = [coerce_column(f, c) for f, c in zip(self.shape.families, columns, strict=True)]
        if all(a is b for a, b in zip(coerced, columns, strict=True)):
            return rows
        return list(zip(*coerced, strict=True))

    def hashed(self, rows: list[tuple[Any, ...]]) -> list[Entry]:
        families, key_positions = self.shape.families, self.key_positions
        try:
            columns = [
                coerce_column(f, c) for f, c in zip(families, zip(*rows, strict=True), strict=True)
            ]
        except (ValueError, TypeError, ArithmeticError):
            return [_target_entry(families, row, key_positions) for row in rows]
        return [
            (tuple(r[i] for i in key_positions), row_hash(c), "")
            for r, c in zip(rows, zip(*columns, strict=True), strict=True)
        ]


def _target_entry(families: Any, row: tuple[Any, ...], key_positions: list[int]) -> Entry:
    key = tuple(row[i] for i in key_positions)
    try:
        coerced = tuple(
            None if v is None else COERCE[f](v) for f, v in zip(families, row, strict=True)
        )
    except (ValueError, TypeError, ArithmeticError) as exc:
        return key, None, f"target value unreadable: {exc}"
    return key, row_hash(coerced), ""


class Comparison:
    def __init__(self, name: str, sample_size: int) -> None:
        self.result = TableVerification(name=name)
        self.sample_size = sample_size

    def add(self, part: TableVerification) -> None:
        """Count the result of one key range compared on its own."""
        r = self.result
        r.source_rows += part.source_rows
        r.target_rows += part.target_rows
        r.source_checksum = (r.source_checksum + part.source_checksum) % MOD
        r.target_checksum = (r.target_checksum + part.target_checksum) % MOD
        r.differing += part.differing
        r.samples = (r.samples + part.samples)[: self.sample_size]

    def differ(self, key: Key, why: str) -> None:
        self.result.differing += 1
        if len(self.result.samples) < self.sample_size:
            self.result.samples.append((key, why))

    def compare_rows(
        self,
        src: list[Entry],
        src_rows: list[tuple[Any, ...]],
        tgt_rows: list[tuple[Any, ...]],
        reader: _TargetReader,
    ) -> None:
        """Compare one key range: transformed source rows (and their entries) with the
        target's rows as read. Equal rows, in the same key order, are equal in the target
        types, so the source hashes stand for both sides; anything else is hashed and
        merged by key."""
        if len(src) == len(src_rows) and src_rows == tgt_rows:
            r = self.result
            total = sum(e[1] for e in src if e[1] is not None)
            r.source_rows += len(src)
            r.target_rows += len(src)
            r.source_checksum = (r.source_checksum + total) % MOD
            r.target_checksum = (r.target_checksum + total) % MOD
            return
        self.compare(src, reader.hashed(tgt_rows))

    def compare(self, src: list[Entry], tgt: list[Entry]) -> None:
        """Compare the entries of one key range of both sides."""
        r = self.result
        r.source_rows += len(src)
        r.target_rows += len(tgt)
        r.source_checksum = (r.source_checksum + sum(e[1] for e in src if e[1] is not None)) % MOD
        r.target_checksum = (r.target_checksum + sum(e[1] for e in tgt if e[1] is not None)) % MOD
        if src == tgt:  # the common case: same keys, same hashes, nothing rejected
            return
        self._merge(src, tgt)

    def tally(self, src: list[Entry], target_count: int, target_sum: int) -> bool:
        """Count one key range whose target side the server digested; True when equal."""
        r = self.result
        source_sum = sum(e[1] for e in src if e[1] is not None)
        r.source_rows += len(src)
        r.target_rows += target_count
        r.source_checksum = (r.source_checksum + source_sum) % MOD
        r.target_checksum = (r.target_checksum + target_sum) % MOD
        rejected = any(e[1] is None for e in src)
        return not rejected and target_count == len(src) and target_sum == source_sum

    def merge(self, src: list[Entry], tgt: list[Entry]) -> None:
        self._merge(src, tgt)

    def _merge(self, src: list[Entry], tgt: list[Entry]) -> None:
        i = j = 0
        while i < len(src) or j < len(tgt):
            s = src[i] if i < len(src) else None
            t = tgt[j] if j < len(tgt) else None
            if t is None or (s is not None and s[0] < t[0]):
                assert s is not None
                self.differ(s[0], f"rejected: {s[2]}" if s[1] is None else "missing in target")
                i += 1
            elif s is None or t[0] < s[0]:
                self.differ(t[0], t[2] or "only in target")
                j += 1
            else:
                if s[1] is None:
                    self.differ(s[0], f"rejected: {s[2]}")
                elif t[1] is None:
                    self.differ(t[0], t[2])
                elif s[1] != t[1]:
                    self.differ(s[0], "values differ")
                i, j = i + 1, j + 1


def compare_table(
    table: ResolvedTable,
    source: Endpoint,
    target: Endpoint,
    batch: int,
    sample_size: int,
    bounds: Bounds = (None, None),
    digest: str = "rows",
    recorded: list[RangeDigest] | None = None,
) -> TableVerification:
    """`digest` "server" uses the target's own row digests when it has them (pghash);
    `recorded` source digests (digests.py) stand for the source ranges they still match."""
    types = target.server_hash_types(table.target) if digest == "server" else None
    if types is not None:
        return _compare_server_digests(table, source, target, types, batch, sample_size, bounds)
    if recorded:
        return _compare_recorded(table, source, target, batch, sample_size, bounds, recorded)
    return _compare_rows(table, source, target, batch, sample_size, bounds)


Segment = tuple[Key | None, Key | None, RangeDigest | None]


def segments(recorded: list[RangeDigest], bounds: Bounds) -> list[Segment]:
    """`bounds` cut into consecutive ranges: each recorded range lying wholly inside
    (with its digest) and the gaps between them (None: no digest)."""
    position, upto = bounds
    out: list[Segment] = []
    for d in recorded:
        starts_inside = position is None or (d.lo is not None and d.lo >= position)
        if not starts_inside or (upto is not None and d.hi > upto):
            continue
        if d.lo != position:
            out.append((position, d.lo, None))
        out.append((d.lo, d.hi, d))
        position = d.hi
    if upto is None or position != upto:
        out.append((position, upto, None))
    return out


def _compare_recorded(
    table: ResolvedTable,
    source: Endpoint,
    target: Endpoint,
    batch: int,
    sample_size: int,
    bounds: Bounds,
    recorded: list[RangeDigest],
) -> TableVerification:
    """Every target row is read; the source side of a range is its recorded digest when
    the range still holds what copy read (count, largest updated_column), else, and for
    any range that differs or has a rejected row, the source rows are read and compared
    row by row (which names the keys; ranges are compared in key order, so are samples).

    Target rows are fetched a range ahead in a thread while this one hashes. They are
    coerced to their column families, like the transformed source rows, and hashed in
    key order."""
    cmp = Comparison(table.name, sample_size)
    reader = _TargetReader(table, target, batch)
    by_rows: list[tuple[int, Key | None, Key | None]] = []
    candidates: list[tuple[int, RangeDigest]] = []
    for i, (lo, hi, digest) in enumerate(segments(recorded, bounds)):
        if digest is not None and _source_range_unchanged(table, source, digest):
            candidates.append((i, digest))
        else:
            by_rows.append((i, lo, hi))
    fetched = ((i, d, reader.rows(d.lo, d.hi)) for i, d in candidates)
    for i, digest, rows in prefetch(fetched):
        if not _target_range_matches(reader, digest, rows, cmp):
            by_rows.append((i, digest.lo, digest.hi))
    for _, lo, hi in sorted(by_rows, key=lambda r: r[0]):
        cmp.add(_compare_rows(table, source, target, batch, sample_size, (lo, hi)))
    return cmp.result


def _source_range_unchanged(table: ResolvedTable, source: Endpoint, digest: RangeDigest) -> bool:
    """The source range still holds as many rows, with the same largest updated_column,
    as copy read, none of them rejected."""
    if digest.rejected:
        return False
    plan = table.plan
    summary = source.range_summary(
        plan.source,
        plan.key,
        table.source_key_families,
        digest.lo,
        digest.hi,
        plan.updated_column,
    )
    return summary == (digest.rows_read, digest.max_changed)


def _target_range_matches(
    reader: _TargetReader, digest: RangeDigest, rows: list[tuple[Any, ...]], cmp: Comparison
) -> bool:
    """True (and counted) when the target rows of the range hash to the recorded digest.
    The range adds its rows_hash to both checksums (instead of its row hashes: the
    totals of both sides stay comparable with each other)."""
    if len(rows) != digest.rows_read:
        return False
    try:
        coerced = reader.coerced(rows)
    except (ValueError, TypeError, ArithmeticError):
        return False  # compared row by row, which names the unreadable value
    if rows_hash(coerced) != digest.rows_hash:
        return False
    r = cmp.result
    r.source_rows += len(rows)
    r.target_rows += len(rows)
    r.source_checksum = (r.source_checksum + digest.rows_hash) % MOD
    r.target_checksum = (r.target_checksum + digest.rows_hash) % MOD
    return True


def _compare_server_digests(
    table: ResolvedTable,
    source: Endpoint,
    target: Any,
    types: list[str],
    batch: int,
    sample_size: int,
    bounds: Bounds,
) -> TableVerification:
    """The target digests each key range itself (pghash); rows are fetched only for a
    range whose digest differs, to name its keys."""
    cmp = Comparison(table.name, sample_size)
    shape = table.target

    def hash_rows(rows: list[tuple[Any, ...]]) -> list[int]:
        return pghash.row_hashes(rows, types)

    def target_entries(after: Key | None, upto: Key | None) -> list[Entry]:
        return [(k, h, "") for k, h in target.range_hashes(shape, types, after, upto)]

    previous, upto = bounds
    for src, _, last in prefetch(_source_batches(table, source, batch, hash_rows, bounds)):
        count, total = target.range_digest(shape, types, previous, last)
        if not cmp.tally(src, count, total):
            cmp.merge(src, target_entries(previous, last))
        previous = last
    count, total = target.range_digest(shape, types, previous, upto)
    if count and not cmp.tally([], count, total):
        cmp.merge([], target_entries(previous, upto))
    return cmp.result


def _compare_rows(
    table: ResolvedTable,
    source: Endpoint,
    target: Endpoint,
    batch: int,
    sample_size: int,
    bounds: Bounds,
) -> TableVerification:
    """Source batches are read, transformed and hashed ahead in a thread (while this one
    waits for the target's rows); each is paired with the target rows of the same key
    range, so the two sides stay aligned whatever rows are missing."""
    cmp = Comparison(table.name, sample_size)
    reader = _TargetReader(table, target, batch)
    previous, upto = bounds
    batches = _source_batches(table, source, batch, bounds=bounds, forms=reader.forms)
    for src, src_rows, last in prefetch(batches):
        cmp.compare_rows(src, src_rows, reader.rows(previous, last), reader)
        previous = last
    for tail in reader.batches(previous, upto):
        cmp.compare([], reader.hashed(tail))
    return cmp.result
