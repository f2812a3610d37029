"""SQLite through the stdlib driver: sources open read-only; targets upsert with executemany."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from cutover.datacopy.checkpoint import Checkpoint
from cutover.datacopy.digests import DigestChange
from cutover.datacopy.endpoints import ColumnInfo, Endpoint, TableShape, quote
from cutover.datacopy.errors import EndpointError, PlanError
from cutover.datacopy.values import Family, to_json_text

_CHECKPOINT_DDL = """
CREATE TABLE IF NOT EXISTS cutover_checkpoints (
    name TEXT PRIMARY KEY, phase TEXT NOT NULL, last_key TEXT, delta_key TEXT,
    since_mark TEXT, run_mark TEXT, rows_read INTEGER NOT NULL DEFAULT 0,
    rows_written INTEGER NOT NULL DEFAULT 0, rows_rejected INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL, upto_key TEXT
)
"""


def family_of_declared(declared: str) -> Family:
    """SQLite's type affinity rules, refined by common declared names."""
    t = declared.upper()
    rules: list[tuple[tuple[str, ...], Family]] = [
        (("BOOL",), Family.BOOL),
        (("JSON",), Family.JSON),
        (("TIMESTAMPTZ", "WITH TIME ZONE"), Family.TIMESTAMPTZ),
        (("TIMESTAMP", "DATETIME"), Family.TIMESTAMP),
        (("DATE",), Family.DATE),
        (("INT",), Family.INT),
        (("CHAR", "CLOB", "TEXT"), Family.TEXT),
        (("BLOB",), Family.BYTES),
        (("REAL", "FLOA", "DOUB"), Family.FLOAT),
        (("NUMERIC", "DECIMAL"), Family.NUMERIC),
    ]
    for needles, family in rules:
        if any(n in t for n in needles):
            return family
    return Family.ANY


def _iso(v: Any) -> Any:
    return None if v is None else v.isoformat()


def _decimal_text(v: Any) -> Any:
    return None if v is None else str(v)


def _bool_int(v: Any) -> Any:
    return None if v is None else int(v)


# How a coerced value is stored in SQLite (which has no JSON, timestamp or decimal type).
_STORE: dict[Family, Callable[[Any], Any]] = {
    Family.JSON: to_json_text,
    Family.TIMESTAMP: _iso,
    Family.TIMESTAMPTZ: _iso,
    Family.DATE: _iso,
    Family.NUMERIC: _decimal_text,
    Family.BOOL: _bool_int,
}


class SQLiteEndpoint(Endpoint):
    placeholder = "?"

    def __init__(self, path: str, *, read_only: bool) -> None:
        if read_only and not Path(path).is_file():
            raise EndpointError(f"SQLite database {path} does not exist")
        target = f"file:{path}?mode=ro" if read_only else f"file:{path}"
        try:
            self.conn = sqlite3.connect(
                target, uri=True, isolation_level=None, check_same_thread=False, timeout=30.0
            )
            self.conn.execute("SELECT 1 FROM sqlite_master LIMIT 1")
        except sqlite3.Error as exc:
            raise EndpointError(f"cannot open SQLite database {path}: {exc}") from exc

    @classmethod
    def from_url(cls, url: str, *, read_only: bool) -> SQLiteEndpoint:
        # SQLAlchemy's form: sqlite:///relative/path, sqlite:////absolute/path
        database = unquote(urlsplit(url).path[1:])
        if not database or database == ":memory:":
            raise EndpointError("a SQLite URL needs a file: sqlite:///path/to/db.sqlite3")
        return cls(database, read_only=read_only)

    def columns(self, table: str) -> list[ColumnInfo]:
        rows = self.query(f"PRAGMA table_info({quote(table)})")
        if not rows:
            raise PlanError(f"table {table} does not exist in the SQLite database")
        return [ColumnInfo(r[1], r[2] or "", family_of_declared(r[2] or "")) for r in rows]

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        try:
            return self.conn.execute(sql, tuple(params)).fetchall()
        except sqlite3.Error as exc:
            raise EndpointError(f"SQLite error: {exc} (in {sql[:200]})") from exc

    def ensure_checkpoint_table(self) -> None:
        self.conn.execute(_CHECKPOINT_DDL)
        columns = {row[1] for row in self.query("PRAGMA table_info(cutover_checkpoints)")}
        if "upto_key" not in columns:  # created before copy ran in parallel parts
            self.conn.execute("ALTER TABLE cutover_checkpoints ADD COLUMN upto_key TEXT")

    def save_checkpoints(self, checkpoints: list[Checkpoint]) -> None:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                for checkpoint in checkpoints:
                    self.save_checkpoint(checkpoint)
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise EndpointError(f"saving checkpoints: {exc}") from exc

    def save_checkpoint(self, checkpoint: Checkpoint) -> None:
        self.conn.execute(self.checkpoint_upsert_sql(), self.checkpoint_params(checkpoint))

    def _upsert_sql(self, shape: TableShape) -> str:
        cols = [quote(c) for c in shape.columns]
        others = [quote(c) for c in shape.columns if c not in shape.key]
        sql = (
            f"INSERT INTO {quote(shape.table)} ({', '.join(cols)})"
            f" VALUES ({', '.join('?' * len(cols))})"
            f" ON CONFLICT ({', '.join(map(quote, shape.key))})"
        )
        if not others:
            return sql + " DO NOTHING"
        sets = ", ".join(f"{c} = excluded.{c}" for c in others)
        same = " AND ".join(f"{quote(shape.table)}.{c} IS excluded.{c}" for c in others)
        return sql + f" DO UPDATE SET {sets} WHERE NOT ({same})"

    def _stored(self, shape: TableShape, rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        converters = [_STORE.get(f) for f in shape.families]
        if not any(converters) or not rows:
            return rows
        columns = [
            list(map(conv, col)) if conv else col
            for conv, col in zip(converters, zip(*rows, strict=True), strict=True)
        ]
        return list(zip(*columns, strict=True))

    def write_batch(
        self,
        shape: TableShape,
        rows: list[tuple[Any, ...]],
        checkpoint: Checkpoint,
        fresh_range: bool,
        digests: DigestChange | None = None,
    ) -> int:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                cursor = self.conn.executemany(self._upsert_sql(shape), self._stored(shape, rows))
                written = max(cursor.rowcount, 0)
                checkpoint.rows_written += written
                self.save_checkpoint(checkpoint)
                if digests is not None:
                    for sql, params in self.digest_statements(digests):
                        self.conn.execute(sql, params)
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise EndpointError(f"writing {shape.table}: {exc}") from exc
        return written

    def close(self) -> None:
        self.conn.close()
