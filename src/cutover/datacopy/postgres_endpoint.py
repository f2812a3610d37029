"""PostgreSQL through psycopg 3: COPY into the table (empty key range) or a staging
table followed by INSERT ... ON CONFLICT DO UPDATE, checkpoint in the same transaction."""

from __future__ import annotations

import struct
from collections.abc import Callable, Sequence
from typing import Any

import orjson
import psycopg
from psycopg.types.json import set_json_dumps, set_json_loads

from cutover.datacopy import pghash
from cutover.datacopy.checkpoint import Checkpoint
from cutover.datacopy.digests import DigestChange
from cutover.datacopy.endpoints import ColumnInfo, Endpoint, TableShape, quote
from cutover.datacopy.errors import EndpointError, PlanError
from cutover.datacopy.pgcsv import csv_batch
from cutover.datacopy.values import Family, to_json_text


def _json_dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


_CHECKPOINT_DDL = """
CREATE TABLE IF NOT EXISTS cutover_checkpoints (
    name text PRIMARY KEY, phase text NOT NULL, last_key text, delta_key text,
    since_mark text, run_mark text, rows_read bigint NOT NULL DEFAULT 0,
    rows_written bigint NOT NULL DEFAULT 0, rows_rejected bigint NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now(), upto_key text
)
"""
# Checkpoint tables created before copy ran in parallel parts lack upto_key.
_CHECKPOINT_MIGRATION = "ALTER TABLE cutover_checkpoints ADD COLUMN IF NOT EXISTS upto_key text"

_FAMILIES: dict[str, Family] = {
    **dict.fromkeys(("int2", "int4", "int8", "oid"), Family.INT),
    **dict.fromkeys(("float4", "float8"), Family.FLOAT),
    "numeric": Family.NUMERIC,
    **dict.fromkeys(("text", "varchar", "bpchar", "name", "citext"), Family.TEXT),
    "bool": Family.BOOL,
    "bytea": Family.BYTES,
    **dict.fromkeys(("json", "jsonb"), Family.JSON),
    "timestamp": Family.TIMESTAMP,
    "timestamptz": Family.TIMESTAMPTZ,
    "date": Family.DATE,
}
# Column types COPY receives in binary from psycopg's dumpers (same wire format as the
# name given: varchar and bpchar are received like text).
_BINARY_COPY_TYPES: dict[str, str] = {
    **{t: t for t in ("int2", "int4", "int8", "float4", "float8", "numeric", "bool", "bytea")},
    **{t: t for t in ("json", "jsonb", "timestamp", "timestamptz", "date", "text")},
    **dict.fromkeys(("varchar", "bpchar"), "text"),
}


def _json_as_text(shape: TableShape, rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """JSON values as text, which the CSV COPY parses as json/jsonb."""
    json_positions = [i for i, f in enumerate(shape.families) if f is Family.JSON]
    if not json_positions or not rows:
        return rows
    columns = list(zip(*rows, strict=True))
    for i in json_positions:
        columns[i] = tuple(map(to_json_text, columns[i]))
    return list(zip(*columns, strict=True))


# Column types whose binary results psycopg loads to the same values as their text.
_BINARY_LOADERS = frozenset(_FAMILIES) - {"citext"}


def _as_real(v: Any) -> Any:
    """A float as `real` keeps it (single precision); other values unchanged."""
    if type(v) is not float:
        return v
    try:
        return float(_REAL.unpack(_REAL.pack(v))[0])
    except OverflowError:
        return v  # out of real's range: the database would not have stored it


def _as_bpchar(v: Any) -> Any:
    """char(n) values compare without their trailing blanks, as PostgreSQL does."""
    return v.rstrip(" ") if type(v) is str else v


_REAL = struct.Struct("f")
_STORED_FORMS: dict[str, Callable[[Any], Any]] = {"float4": _as_real, "bpchar": _as_bpchar}

# Types without an equality operator are compared as text in the upsert's change test.
_NO_EQUALITY = frozenset({"json", "xml", "point", "line", "polygon", "box", "path", "circle"})


class PostgresEndpoint(Endpoint):
    placeholder = "%s"

    def __init__(self, conninfo: str) -> None:
        try:
            self.conn = psycopg.connect(conninfo, autocommit=True)
        except psycopg.Error as exc:
            raise EndpointError(f"cannot connect to PostgreSQL: {exc}") from exc
        set_json_loads(orjson.loads, self.conn)
        set_json_dumps(_json_dumps, self.conn)
        # Checkpoint and batch commit together, so a lost commit on a server crash is
        # redone on resume: durability per batch buys nothing and costs an fsync.
        self.conn.execute("SET TIME ZONE 'UTC'")
        self.conn.execute("SET synchronous_commit = off")
        self.conn.execute("SET DateStyle = ISO")
        collation = self.conn.execute(
            "SELECT datcollate FROM pg_database WHERE datname = current_database()"
        ).fetchone()
        self._c_collation = collation is not None and collation[0] in ("C", "POSIX")
        self._type_names: dict[str, dict[str, str]] = {}
        self._staged: set[str] = set()
        self._checkpoints_ready = False

    @classmethod
    def from_url(cls, url: str) -> PostgresEndpoint:
        _, _, rest = url.partition("://")
        return cls("postgresql://" + rest)

    def columns(self, table: str) -> list[ColumnInfo]:
        rows = self.query(
            "SELECT a.attname, format_type(a.atttypid, a.atttypmod), t.typname"
            " FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid"
            " WHERE a.attrelid = to_regclass(%s) AND a.attnum > 0 AND NOT a.attisdropped"
            " ORDER BY a.attnum",
            (quote(table),),
        )
        if not rows:
            raise PlanError(f"table {table} does not exist in the PostgreSQL database")
        self._type_names[table] = {name: typname for name, _, typname in rows}
        return [
            ColumnInfo(name, declared, _FAMILIES.get(typname, Family.ANY))
            for name, declared, typname in rows
        ]

    def stored_forms(self, shape: TableShape) -> list[Callable[[Any], Any] | None] | None:
        types = self._type_names.get(shape.table, {})
        forms = [_STORED_FORMS.get(types.get(c, "")) for c in shape.columns]
        return forms if any(forms) else None

    def key_expr(self, column: str, family: Family) -> str:
        # Text keys are ordered byte-wise everywhere (Python, SQLite), so here too.
        if family is Family.TEXT and not self._c_collation:
            return f'{quote(column)} COLLATE "C"'
        return quote(column)

    def query(
        self, sql: str, params: Sequence[Any] = (), *, binary: bool = False
    ) -> list[tuple[Any, ...]]:
        try:
            cursor = self.conn.cursor(binary=binary).execute(sql.encode(), tuple(params))
            return cursor.fetchall() if cursor.description is not None else []
        except psycopg.Error as exc:
            raise EndpointError(f"PostgreSQL error: {exc} (in {sql[:200]})") from exc

    def fetch_query(
        self, table: str, columns: Sequence[str], sql: str, params: Sequence[Any]
    ) -> list[tuple[Any, ...]]:
        """Binary results when every column has a psycopg binary loader: ~2x faster to
        load than text (measured), same Python values. Otherwise text (a type without a
        binary loader would come back as raw bytes)."""
        types = self._type_names.get(table, {})
        binary = all(types.get(c) in _BINARY_LOADERS for c in columns)
        return self.query(sql, params, binary=binary)

    def ensure_checkpoint_table(self) -> None:
        if self._checkpoints_ready:
            return
        self.query(_CHECKPOINT_DDL)
        missing = self.query(
            "SELECT NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attname = 'upto_key'"
            " AND attrelid = to_regclass('cutover_checkpoints') AND NOT attisdropped)"
        )
        if missing[0][0]:
            self.query(_CHECKPOINT_MIGRATION)
        self._checkpoints_ready = True

    def save_checkpoints(self, checkpoints: list[Checkpoint]) -> None:
        try:
            with self.conn.transaction(), self.conn.cursor() as cur:
                for checkpoint in checkpoints:
                    cur.execute(
                        self.checkpoint_upsert_sql().encode(), self.checkpoint_params(checkpoint)
                    )
        except psycopg.Error as exc:
            raise EndpointError(f"saving checkpoints: {exc}") from exc

    def save_checkpoint(self, checkpoint: Checkpoint) -> None:
        self.query(self.checkpoint_upsert_sql(), self.checkpoint_params(checkpoint))

    def _binary_types(self, shape: TableShape) -> list[str] | None:
        """The binary COPY type of each column, or None when one has no binary dumper here."""
        types = self._type_names.get(shape.table, {})
        names = [_BINARY_COPY_TYPES.get(types.get(c, "")) for c in shape.columns]
        return None if None in names else [n for n in names if n is not None]

    def _copy(
        self, cur: psycopg.Cursor[Any], table: str, shape: TableShape, rows: list[tuple[Any, ...]]
    ) -> None:
        """Binary COPY with declared types (psycopg's C dumpers) when every column type has
        one; else CSV formatted by the csv module. Both beat per-row text dumps by ~5x."""
        columns = ", ".join(map(quote, shape.columns))
        binary_types = self._binary_types(shape)
        if binary_types is not None:
            statement = f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT binary)"
            with cur.copy(statement.encode()) as copy:
                copy.set_types(binary_types)
                write_row = copy.write_row
                for row in rows:
                    write_row(row)
            return
        null, text = csv_batch(_json_as_text(shape, rows))
        statement = f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '{null}')"
        with cur.copy(statement.encode()) as copy:
            copy.write(text)

    def _stage_name(self, shape: TableShape) -> str:
        name = "cutover_stage_" + str(abs(hash((shape.table, tuple(shape.columns)))))
        if name not in self._staged:
            self.query(
                f"CREATE TEMP TABLE IF NOT EXISTS {name} ON COMMIT DELETE ROWS AS"
                f" SELECT {', '.join(map(quote, shape.columns))} FROM {quote(shape.table)}"
                " WITH NO DATA"
            )
            self._staged.add(name)
        return name

    def _upsert_from_stage(self, cur: psycopg.Cursor[Any], stage: str, shape: TableShape) -> int:
        types = self._type_names.get(shape.table, {})
        cols = ", ".join(map(quote, shape.columns))
        others = [c for c in shape.columns if c not in shape.key]
        statement = (
            f"INSERT INTO {quote(shape.table)} AS t ({cols}) SELECT {cols} FROM {stage}"
            f" ON CONFLICT ({', '.join(map(quote, shape.key))})"
        )
        if others:

            def side(prefix: str, column: str) -> str:
                cast = "::text" if types.get(column) in _NO_EQUALITY else ""
                return f"{prefix}.{quote(column)}{cast}"

            sets = ", ".join(f"{quote(c)} = excluded.{quote(c)}" for c in others)
            old = ", ".join(side("t", c) for c in others)
            new = ", ".join(side("excluded", c) for c in others)
            statement += f" DO UPDATE SET {sets} WHERE ROW({old}) IS DISTINCT FROM ROW({new})"
        else:
            statement += " DO NOTHING"
        cur.execute(statement.encode())
        return max(cur.rowcount, 0)

    def _range_is_empty(
        self, cur: psycopg.Cursor[Any], shape: TableShape, rows: list[tuple[Any, ...]]
    ) -> bool:
        positions = [list(shape.columns).index(k) for k in shape.key]
        first = [rows[0][i] for i in positions]
        last = [rows[-1][i] for i in positions]
        keys = [
            self.key_expr(k, shape.families[i]) for k, i in zip(shape.key, positions, strict=True)
        ]
        key_tuple = "(" + ", ".join(keys) + ")"
        marks = "(" + ", ".join(["%s"] * len(keys)) + ")"
        statement = (
            f"SELECT 1 FROM {quote(shape.table)} WHERE ROW{key_tuple} >= ROW{marks}"
            f" AND ROW{key_tuple} <= ROW{marks} LIMIT 1"
        )
        cur.execute(statement.encode(), [*first, *last])
        return cur.fetchone() is None

    def write_batch(
        self,
        shape: TableShape,
        rows: list[tuple[Any, ...]],
        checkpoint: Checkpoint,
        fresh_range: bool,
        digests: DigestChange | None = None,
    ) -> int:
        try:
            stage = self._stage_name(shape) if rows else ""
            with self.conn.transaction(), self.conn.cursor() as cur:
                written = 0
                if rows:
                    written = self._write_rows(cur, stage, shape, rows, fresh_range)
                checkpoint.rows_written += written
                cur.execute(
                    (self.checkpoint_upsert_sql()).encode(),
                    self.checkpoint_params(checkpoint),
                )
                if digests is not None:
                    for sql, params in self.digest_statements(digests):
                        cur.execute(sql.encode(), params)
        except psycopg.Error as exc:
            raise EndpointError(f"writing {shape.table}: {exc}") from exc
        return written

    def _write_rows(
        self,
        cur: psycopg.Cursor[Any],
        stage: str,
        shape: TableShape,
        rows: list[tuple[Any, ...]],
        fresh_range: bool,
    ) -> int:
        if fresh_range and self._range_is_empty(cur, shape, rows):
            try:
                with self.conn.transaction():
                    self._copy(cur, quote(shape.table), shape, rows)
                return len(rows)
            except psycopg.errors.UniqueViolation:
                pass  # a concurrent writer took a key: fall back to the upsert path
        self._copy(cur, stage, shape, rows)
        return self._upsert_from_stage(cur, stage, shape)

    def server_hash_types(self, shape: TableShape) -> list[str] | None:
        """Type names of the shape's columns when the server can hash its rows (pghash)."""
        types = self._type_names.get(shape.table, {})
        names = [types.get(c, "") for c in shape.columns]
        return names if pghash.supported(names) else None

    def _range(
        self, shape: TableShape, after: tuple[Any, ...] | None, upto: tuple[Any, ...] | None
    ) -> tuple[str, list[Any]]:
        positions = [list(shape.columns).index(k) for k in shape.key]
        keys = [
            self.key_expr(k, shape.families[i]) for k, i in zip(shape.key, positions, strict=True)
        ]
        key_row = "ROW(" + ", ".join(keys) + ")"
        marks = "ROW(" + ", ".join(["%s"] * len(keys)) + ")"
        where, params = [], []
        if after is not None:
            where.append(f"{key_row} > {marks}")
            params += list(after)
        if upto is not None:
            where.append(f"{key_row} <= {marks}")
            params += list(upto)
        return (" WHERE " + " AND ".join(where) if where else ""), params

    def range_digest(
        self,
        shape: TableShape,
        types: list[str],
        after: tuple[Any, ...] | None,
        upto: tuple[Any, ...] | None,
    ) -> tuple[int, int]:
        """(row count, sum of row hashes) of after < key <= upto, computed by the server."""
        where, params = self._range(shape, after, upto)
        rows = self.query(
            f"SELECT count(*), coalesce(sum({pghash.hash_sql(shape.columns, types)}), 0)"
            f" FROM {quote(shape.table)}{where}",
            params,
        )
        return int(rows[0][0]), int(rows[0][1])

    def range_hashes(
        self,
        shape: TableShape,
        types: list[str],
        after: tuple[Any, ...] | None,
        upto: tuple[Any, ...] | None,
    ) -> list[tuple[tuple[Any, ...], int]]:
        """(key, row hash) of after < key <= upto in key order."""
        where, params = self._range(shape, after, upto)
        positions = [list(shape.columns).index(k) for k in shape.key]
        keys = [
            self.key_expr(k, shape.families[i]) for k, i in zip(shape.key, positions, strict=True)
        ]
        rows = self.query(
            f"SELECT {', '.join(map(quote, shape.key))}, {pghash.hash_sql(shape.columns, types)}"
            f" FROM {quote(shape.table)}{where} ORDER BY {', '.join(keys)}",
            params,
        )
        width = len(shape.key)
        return [(tuple(r[:width]), int(r[width])) for r in rows]

    def close(self) -> None:
        self.conn.close()
