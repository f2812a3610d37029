"""Databases named by SQLAlchemy-style URLs: what copy and verify need from each."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any

from cutover.datacopy.checkpoint import CHECKPOINT_COLUMNS, PART_SEPARATOR, Checkpoint, Phase
from cutover.datacopy.digests import (
    DIGEST_COLUMNS,
    DigestChange,
    RangeDigest,
    digest_from_row,
    digest_params,
)
from cutover.datacopy.errors import EndpointError
from cutover.datacopy.values import Family, decode_tuple, encode_tuple


@dataclass(frozen=True)
class ColumnInfo:
    name: str
    declared: str
    family: Family


@dataclass(frozen=True)
class TableShape:
    """The columns one copy reads/writes, in order, with the key columns named."""

    table: str
    columns: Sequence[str]
    key: Sequence[str]
    families: Sequence[Family]


DIGEST_DDL = """
CREATE TABLE IF NOT EXISTS cutover_digests (
    name text NOT NULL, source text NOT NULL, lo text, hi text NOT NULL,
    rows_read bigint NOT NULL, rejected bigint NOT NULL, max_changed text,
    rows_hash text NOT NULL, PRIMARY KEY (name, source, hi)
)
"""


def quote(identifier: str) -> str:
    """A quoted identifier; `schema.table` quotes each part."""
    return ".".join('"' + part.replace('"', '""') + '"' for part in identifier.split("."))


class Endpoint(ABC):
    """One database, used as a source (reads) or a target (writes + checkpoints)."""

    placeholder = "?"

    @abstractmethod
    def columns(self, table: str) -> list[ColumnInfo]: ...

    @abstractmethod
    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...

    @abstractmethod
    def write_batch(
        self,
        shape: TableShape,
        rows: list[tuple[Any, ...]],
        checkpoint: Checkpoint,
        fresh_range: bool,
        digests: DigestChange | None = None,
    ) -> int:
        """Upsert `rows`, save `checkpoint` and apply `digests` in one transaction; the
        number of rows changed.

        Adds that number to `checkpoint.rows_written` before saving it."""

    @abstractmethod
    def save_checkpoint(self, checkpoint: Checkpoint) -> None: ...

    @abstractmethod
    def ensure_checkpoint_table(self) -> None: ...

    @abstractmethod
    def close(self) -> None: ...

    def server_hash_types(self, shape: TableShape) -> list[str] | None:
        """Column type names when this database hashes rows itself (see pghash), else None."""
        return None

    def stored_forms(self, shape: TableShape) -> list[Callable[[Any], Any] | None] | None:
        """Per column, a function giving a coerced value the form the database keeps of it
        (e.g. a double rounded to `real`), or None; None when no column needs one.
        Verify applies them to both sides before comparing rows."""
        return None

    def key_expr(self, column: str, family: Family) -> str:
        return quote(column)

    def keyset_sql(
        self,
        table: str,
        columns: Sequence[str],
        key: Sequence[str],
        key_families: Sequence[Family],
        *,
        after: bool,
        upto: bool,
        changed_column: str | None,
    ) -> str:
        """SELECT of the next batch in key order: key > after [<= upto] [changed >= mark]."""
        p = self.placeholder
        keys = [self.key_expr(k, f) for k, f in zip(key, key_families, strict=True)]
        key_tuple = keys[0] if len(keys) == 1 else "(" + ", ".join(keys) + ")"
        params = p if len(keys) == 1 else "(" + ", ".join([p] * len(keys)) + ")"
        where = []
        if after:
            where.append(f"{key_tuple} > {params}")
        if upto:
            where.append(f"{key_tuple} <= {params}")
        if changed_column is not None:
            where.append(f"{quote(changed_column)} >= {p}")
        sql = f"SELECT {', '.join(map(quote, columns))} FROM {quote(table)}"
        if where:
            sql += " WHERE " + " AND ".join(where)
        return sql + f" ORDER BY {', '.join(keys)} LIMIT {p}"

    def fetch(
        self,
        table: str,
        columns: Sequence[str],
        key: Sequence[str],
        key_families: Sequence[Family],
        limit: int,
        *,
        after: tuple[Any, ...] | None = None,
        upto: tuple[Any, ...] | None = None,
        changed: tuple[str, Any] | None = None,
    ) -> list[tuple[Any, ...]]:
        sql = self.keyset_sql(
            table,
            columns,
            key,
            key_families,
            after=after is not None,
            upto=upto is not None,
            changed_column=changed[0] if changed else None,
        )
        params: list[Any] = [*(after or ()), *(upto or ())]
        if changed is not None:
            params.append(changed[1])
        return self.fetch_query(table, columns, sql, [*params, limit])

    def fetch_query(
        self, table: str, columns: Sequence[str], sql: str, params: Sequence[Any]
    ) -> list[tuple[Any, ...]]:
        """Run a SELECT of `columns` of `table` (a database may pick a faster format)."""
        return self.query(sql, params)

    def key_at(
        self, table: str, key: Sequence[str], key_families: Sequence[Family], offset: int
    ) -> tuple[Any, ...] | None:
        """The key of the row at `offset` in key order (None past the end)."""
        keys = ", ".join(self.key_expr(k, f) for k, f in zip(key, key_families, strict=True))
        rows = self.query(
            f"SELECT {', '.join(map(quote, key))} FROM {quote(table)} ORDER BY {keys}"
            f" LIMIT 1 OFFSET {self.placeholder}",
            (max(offset, 0),),
        )
        return tuple(rows[0]) if rows else None

    def max_of(self, table: str, column: str) -> Any:
        return self.query(f"SELECT MAX({quote(column)}) FROM {quote(table)}")[0][0]

    def count(self, table: str) -> int:
        return int(self.query(f"SELECT COUNT(*) FROM {quote(table)}")[0][0])

    def load_checkpoint(self, name: str) -> Checkpoint | None:
        self.ensure_checkpoint_table()
        rows = self.query(
            f"SELECT {', '.join(CHECKPOINT_COLUMNS)} FROM cutover_checkpoints"
            f" WHERE name = {self.placeholder}",
            (name,),
        )
        return checkpoint_from_row(rows[0]) if rows else None

    def load_part_checkpoints(self, name: str) -> list[Checkpoint]:
        """The checkpoints of the parts of table `name` (see checkpoint.py), in key order."""
        self.ensure_checkpoint_table()
        prefix = name + PART_SEPARATOR
        p = self.placeholder
        rows = self.query(
            f"SELECT {', '.join(CHECKPOINT_COLUMNS)} FROM cutover_checkpoints"
            f" WHERE substr(name, 1, {p}) = {p}",
            (len(prefix), prefix),
        )
        parts = [checkpoint_from_row(row) for row in rows]
        return sorted(parts, key=lambda cp: int(cp.name[len(prefix) :]))

    def forget_part_checkpoints(self, name: str) -> None:
        prefix = name + PART_SEPARATOR
        p = self.placeholder
        self.query(
            f"DELETE FROM cutover_checkpoints WHERE substr(name, 1, {p}) = {p}",
            (len(prefix), prefix),
        )

    @abstractmethod
    def save_checkpoints(self, checkpoints: list[Checkpoint]) -> None:
        """Save several checkpoints in one transaction (all of a table's parts or none)."""

    @staticmethod
    def checkpoint_params(cp: Checkpoint) -> tuple[Any, ...]:
        return (
            cp.name,
            cp.phase.value,
            encode_tuple(cp.last_key),
            encode_tuple(cp.delta_key),
            encode_tuple([cp.since_mark]) if cp.since_mark is not None else None,
            encode_tuple([cp.run_mark]) if cp.run_mark is not None else None,
            cp.rows_read,
            cp.rows_written,
            cp.rows_rejected,
            encode_tuple(cp.upto_key),
        )

    def analyze(self, table: str) -> None:
        """Refresh the planner statistics of a table copy wrote to. Without them a
        freshly loaded PostgreSQL table is planned as a small one: a key range of 20,000
        rows was read by bitmap scan and an on-disk sort (32 ms) instead of the primary
        key index (10 ms), for verify and the application alike."""
        self.query(f"ANALYZE {quote(table)}")

    def ensure_digest_table(self) -> None:
        self.query(DIGEST_DDL)

    def load_digests(self, name: str, source: str) -> list[RangeDigest]:
        """The source digests copy recorded for table `name` read from `source`, in key
        order; none when copy never recorded any (or the table is not there)."""
        p = self.placeholder
        try:
            rows = self.query(
                f"SELECT {', '.join(DIGEST_COLUMNS[2:])} FROM cutover_digests"
                f" WHERE name = {p} AND source = {p}",
                (name, source),
            )
        except EndpointError:
            return []
        return sorted(map(digest_from_row, rows), key=lambda d: d.hi)

    def forget_digests(self, name: str) -> None:
        """Drop every recorded digest of table `name` (a copy starting from scratch)."""
        self.query(f"DELETE FROM cutover_digests WHERE name = {self.placeholder}", (name,))

    def digest_statements(self, change: DigestChange) -> list[tuple[str, tuple[Any, ...]]]:
        """SQL (with parameters) applying `change`, run in the batch's transaction."""
        p = self.placeholder
        delete = f"DELETE FROM cutover_digests WHERE name = {p} AND source = {p} AND hi = {p}"
        statements = [
            (delete, (change.name, change.source, encode_tuple(d.hi))) for d in change.drop
        ]
        if change.add is not None:
            params = digest_params(change.name, change.source, change.add)
            statements.append(
                (
                    f"INSERT INTO cutover_digests ({', '.join(DIGEST_COLUMNS)})"
                    f" VALUES ({', '.join([p] * len(DIGEST_COLUMNS))})"
                    f" ON CONFLICT (name, source, hi) DO UPDATE SET"
                    + ", ".join(f" {c} = excluded.{c}" for c in DIGEST_COLUMNS[4:])
                    + ", lo = excluded.lo",
                    params,
                )
            )
        return statements

    def range_summary(
        self,
        table: str,
        key: Sequence[str],
        key_families: Sequence[Family],
        after: tuple[Any, ...] | None,
        upto: tuple[Any, ...],
        changed_column: str | None,
    ) -> tuple[int, Any]:
        """(rows, largest changed_column value or None) with after < key <= upto."""
        p = self.placeholder
        keys = [self.key_expr(k, f) for k, f in zip(key, key_families, strict=True)]
        key_tuple = keys[0] if len(keys) == 1 else "(" + ", ".join(keys) + ")"
        marks = p if len(keys) == 1 else "(" + ", ".join([p] * len(keys)) + ")"
        where = [f"{key_tuple} <= {marks}"]
        if after is not None:
            where.append(f"{key_tuple} > {marks}")
        changed = f"MAX({quote(changed_column)})" if changed_column else "NULL"
        rows = self.query(
            f"SELECT COUNT(*), {changed} FROM {quote(table)} WHERE " + " AND ".join(where),
            [*upto, *(after or ())],
        )
        return int(rows[0][0]), rows[0][1]

    def checkpoint_upsert_sql(self) -> str:
        p = self.placeholder
        updates = ", ".join(f"{c} = excluded.{c}" for c in CHECKPOINT_COLUMNS[1:])
        return (
            f"INSERT INTO cutover_checkpoints ({', '.join(CHECKPOINT_COLUMNS)}, updated_at)"
            f" VALUES ({', '.join([p] * len(CHECKPOINT_COLUMNS))}, CURRENT_TIMESTAMP)"
            f" ON CONFLICT (name) DO UPDATE SET {updates}, updated_at = excluded.updated_at"
        )


def checkpoint_from_row(row: tuple[Any, ...]) -> Checkpoint:
    name, phase, last, delta, since, run, read, written, rejected, upto = row
    since_t, run_t = decode_tuple(since), decode_tuple(run)
    return Checkpoint(
        name=name,
        phase=Phase(phase),
        last_key=decode_tuple(last),
        delta_key=decode_tuple(delta),
        since_mark=since_t[0] if since_t else None,
        run_mark=run_t[0] if run_t else None,
        rows_read=read,
        rows_written=written,
        rows_rejected=rejected,
        upto_key=decode_tuple(upto),
    )


def open_endpoint(url: str, *, read_only: bool) -> Endpoint:
    """`sqlite:///path` or `postgresql[+driver]://...`; anything else is an EndpointError."""
    scheme, sep, _ = url.partition("://")
    dialect = scheme.split("+", 1)[0].lower()
    if not sep:
        raise EndpointError(f"not a database URL: {url!r}")
    if dialect == "sqlite":
        from cutover.datacopy.sqlite_endpoint import SQLiteEndpoint

        return SQLiteEndpoint.from_url(url, read_only=read_only)
    if dialect in ("postgresql", "postgres"):
        from cutover.datacopy.postgres_endpoint import PostgresEndpoint

        return PostgresEndpoint.from_url(url)
    raise EndpointError(f"unsupported database {dialect!r}: use sqlite:/// or postgresql://")


@contextmanager
def open_endpoints(
    source_url: str, target_url: str, *, target_read_only: bool
) -> Iterator[tuple[Endpoint, Endpoint]]:
    """The source (always read-only) and the target, both closed on the way out."""
    with ExitStack() as stack:
        source = open_endpoint(source_url, read_only=True)
        stack.callback(source.close)
        target = open_endpoint(target_url, read_only=target_read_only)
        stack.callback(target.close)
        yield source, target
