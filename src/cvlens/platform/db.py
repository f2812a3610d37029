"""Async SQLAlchemy engine, the declarative base and the request-scoped session.

SQLite (embedded default) gets WAL, foreign keys and a busy timeout on every connection,
runs a query in place and a write in one round trip to its connection's thread
(`platform/sqlite.py`); PostgreSQL uses asyncpg with a pool. The request's session
dependency owns the transaction: it commits when the endpoint returns and rolls back when
it raises, so services only `flush()` or run statements in it, never commit.
`run_sync` / `run_in_transaction` run a block of Core statements as one call into
SQLAlchemy's asyncio layer.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, TypeVar

import orjson
from fastapi import Depends, Request
from sqlalchemy import Connection, DateTime, Dialect, MetaData, event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.ext.asyncio import create_async_engine as _create_async_engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

from cvlens.platform.sqlite import one_hop_connector
from cvlens.settings import Settings

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SQLITE_BUSY_TIMEOUT_MS = 5000

T = TypeVar("T")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every database.

    SQLite has no time zones and hands back naive values; this stores UTC and always
    returns aware UTC datetimes, so comparisons behave the same on SQLite and PostgreSQL.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _json_dumps(value: Any) -> str:
    # orjson is several times faster than the stdlib on analysis results; non-string keys
    # are written as strings, as `json.dumps` would.
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


# JSON columns (job payloads, analysis results) go through orjson both ways.
JSON_CODEC: dict[str, Any] = {"json_serializer": _json_dumps, "json_deserializer": orjson.loads}


def create_engine(settings: Settings) -> AsyncEngine:
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        timeout = SQLITE_BUSY_TIMEOUT_MS / 1000
        engine = _create_async_engine(
            url, async_creator=one_hop_connector(url, timeout=timeout), **JSON_CODEC
        )
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    connect_args: dict[str, Any] = {}
    if settings.database_schema:
        connect_args["server_settings"] = {"search_path": settings.database_schema}
    return _create_async_engine(
        url,
        pool_size=settings.database_pool_size,
        pool_pre_ping=True,
        max_overflow=settings.database_pool_size,
        connect_args=connect_args,
        **JSON_CODEC,
    )


async def run_sync(engine: AsyncEngine, work: Callable[[Connection], T]) -> T:
    """Run `work` (synchronous Core statements) on one pooled connection; for reads.

    Every awaited call into SQLAlchemy's asyncio layer runs in a greenlet of its own, and
    that costs more than a short statement on SQLite: `async with engine.begin()` plus one
    `execute` is five of them (connect, begin, execute, commit, close), this is three
    (connect, work, close) however many statements `work` runs.
    """
    async with engine.connect() as conn:
        return await conn.run_sync(work)


async def run_in_transaction(engine: AsyncEngine, work: Callable[[Connection], T]) -> T:
    """`run_sync` inside one transaction: committed when `work` returns, rolled back when
    it raises (or when it rolls back itself)."""

    def transaction(conn: Connection) -> T:
        with conn.begin():
            return work(conn)

    return await run_sync(engine, transaction)


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    sessionmaker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    async with sessionmaker() as session:
        try:
            yield session
        except BaseException:
            await session.rollback()
            raise
        else:
            await session.commit()


# scope="function": the commit runs when the endpoint returns, before the response is
# sent, so a client never sees success for a transaction that then failed to commit.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
