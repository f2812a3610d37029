"""SQLite connections for SQLAlchemy's aiosqlite dialect: a read runs in place, a write in
one thread hop.

aiosqlite runs each connection on its own thread and hands it every call separately: open a
cursor, execute, fetch the rows, close the cursor — four round trips between the event loop
and that thread for one SELECT. Every round trip is a wake-up of each side; on a busy
machine each wake-up waits for a CPU (and for the GIL), which makes short queries slow.

Here a statement that may write is one round trip: the thread opens a cursor, executes,
fetches every row (SQLAlchemy fetches them all right away anyway), notes `description`,
`rowcount` and `lastrowid`, and closes the cursor. A SELECT does the same on the calling
(event-loop) thread, with no round trip at all: in WAL mode a reader never waits for a
writer, so it cannot block the loop on a lock — while a write could wait for a transaction
that another task holds open across an `await`, which is why writes keep their thread. A
point lookup takes tens of microseconds, less than the two wake-ups it saves. A commit or
rollback with no transaction open (after a read-only request) costs no round trip either.

Everything else (connect, isolation level, user functions, stop) is aiosqlite's own.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any

import aiosqlite
from aiosqlite.context import Result
from sqlalchemy.dialects.sqlite.aiosqlite import SQLiteDialect_aiosqlite
from sqlalchemy.engine import URL

_Description = tuple[tuple[str, None, None, None, None, None, None], ...]


class OneHopCursor(aiosqlite.Cursor):
    """A cursor whose statement runs, and whose rows are read, in one call to the thread."""

    def __init__(self, conn: OneHopConnection) -> None:  # no sqlite3 cursor kept open
        self.iter_chunk_size = conn._iter_chunk_size
        self._conn = conn
        self._rows: list[Any] = []
        self._description: _Description | None = None
        self._rowcount = -1
        self._lastrowid: int | None = None
        self._arraysize = 1

    async def _run(self, call: Callable[[sqlite3.Cursor], object]) -> None:
        on_connection_thread: Callable[[Callable[[], None]], Awaitable[None]] = self._conn._execute
        await on_connection_thread(lambda: self._run_here(call))

    def _run_here(self, call: Callable[[sqlite3.Cursor], object]) -> None:
        # Only this connection's own calls touch it, one at a time (the same reasoning as
        # for `commit` below), so using it from this thread cannot race with its own.
        cursor = self._conn._conn.cursor()
        try:
            call(cursor)
            self._description = cursor.description
            self._rows = cursor.fetchall() if cursor.description else []
            self._rowcount = cursor.rowcount
            self._lastrowid = cursor.lastrowid
        finally:
            cursor.close()

    async def execute(self, sql: str, parameters: Any = None) -> OneHopCursor:
        params = () if parameters is None else parameters
        if sql.startswith("SELECT "):  # as SQLAlchemy writes a query; never a write
            self._run_here(lambda cursor: cursor.execute(sql, params))
        else:
            await self._run(lambda cursor: cursor.execute(sql, params))
        return self

    async def executemany(self, sql: str, parameters: Iterable[Any]) -> OneHopCursor:
        await self._run(lambda cursor: cursor.executemany(sql, parameters))
        return self

    async def executescript(self, sql_script: str) -> OneHopCursor:
        await self._run(lambda cursor: cursor.executescript(sql_script))
        return self

    async def fetchone(self) -> Any:
        return self._rows.pop(0) if self._rows else None

    async def fetchmany(self, size: int | None = None) -> Sequence[Any]:
        count = self._arraysize if size is None else size
        rows, self._rows = self._rows[:count], self._rows[count:]
        return rows

    async def fetchall(self) -> Sequence[Any]:
        rows, self._rows = self._rows, []
        return rows

    async def close(self) -> None:
        self._rows = []

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._lastrowid

    @property
    def arraysize(self) -> int:
        return self._arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._arraysize = value

    @property
    def description(self) -> _Description:
        # None after a statement without rows, as sqlite3 says (aiosqlite's hint is narrower).
        return self._description  # type: ignore[return-value]


class OneHopConnection(aiosqlite.Connection):
    def cursor(self) -> Result[aiosqlite.Cursor]:
        return Result(self._new_cursor())

    async def _new_cursor(self) -> aiosqlite.Cursor:
        return OneHopCursor(self)

    async def commit(self) -> None:
        # Only this connection's own calls touch it, one at a time, so reading the flag
        # here cannot race with a statement on the thread.
        if self._conn.in_transaction:
            await super().commit()

    async def rollback(self) -> None:
        if self._conn.in_transaction:
            await super().rollback()


def one_hop_connector(url: URL, **connect_args: Any) -> Callable[[], Awaitable[OneHopConnection]]:
    """An `async_creator` for `create_async_engine`, connecting as the dialect would."""
    args, params = SQLiteDialect_aiosqlite().create_connect_args(url)
    params.update(connect_args)
    params["check_same_thread"] = False  # queries run on the event loop's thread
    sqlite_connect: Callable[..., sqlite3.Connection] = sqlite3.connect

    async def connect() -> OneHopConnection:
        connection = OneHopConnection(lambda: sqlite_connect(*args, **params), 64)
        connection._thread.daemon = True
        await connection
        return connection

    return connect
