"""The one-round-trip SQLite connection behaves as aiosqlite's under SQLAlchemy."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    String,
    Table,
    cast,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from cvlens.platform.db import create_engine
from cvlens.platform.sqlite import OneHopConnection
from cvlens.settings import Settings

metadata = MetaData()
items = Table(
    "items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(32), unique=True),
)


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncEngine:
    url = f"sqlite+aiosqlite:///{tmp_path / 'one-hop.db'}"
    eng = create_engine(Settings(database_url=url, data_dir=tmp_path))
    async with eng.begin() as conn:
        await conn.run_sync(metadata.create_all)
    return eng


async def test_rows_counts_ids_and_errors_come_back(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        raw = await conn.get_raw_connection()
        assert isinstance(raw.driver_connection, OneHopConnection)
        first = await conn.execute(insert(items).values(name="a"))
        assert first.inserted_primary_key == (1,)
        many = await conn.execute(insert(items), [{"name": f"n{i}"} for i in range(150)])
        assert many.rowcount == 150
        changed = await conn.execute(
            update(items).where(items.c.name.like("n1%")).values(name=items.c.name + "x")
        )
        assert changed.rowcount == 61  # n1, n10–n19, n100–n149
        names = (await conn.execute(select(items.c.name).order_by(items.c.id))).scalars().all()
        assert len(names) == 151 and names[0] == "a" and names[2] == "n1x"
        assert (await conn.execute(text("select count(*) from items"))).scalar_one() == 151
    with pytest.raises(IntegrityError):
        async with engine.begin() as conn:
            await conn.execute(insert(items).values(name="a"))
    async with engine.connect() as conn:  # the failed transaction left nothing behind
        assert (await conn.execute(text("select count(*) from items"))).scalar_one() == 151
    await engine.dispose()


async def test_rollback_undoes_and_a_read_only_commit_is_harmless(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        await conn.execute(insert(items).values(name="kept"))
        await conn.commit()
        await conn.execute(insert(items).values(name="undone"))
        await conn.rollback()
        rows = (await conn.execute(select(items.c.name))).scalars().all()
        await conn.commit()  # nothing open: no round trip, no error
        assert rows == ["kept"]
    await engine.dispose()


async def test_a_query_runs_in_place_and_a_write_on_the_connections_thread(
    engine: AsyncEngine,
) -> None:
    """A SELECT costs no thread hop (a WAL reader never waits); a write keeps its thread."""
    here = threading.get_ident()
    async with engine.begin() as conn:
        raw = await conn.get_raw_connection()
        driver = raw.driver_connection
        assert isinstance(driver, OneHopConnection)
        await driver.create_function("thread_id", 0, threading.get_ident)
        assert (await conn.execute(select(func.thread_id()))).scalar_one() == here
        await conn.execute(insert(items).values(name=cast(func.thread_id(), String)))
        written = (await conn.execute(select(items.c.name))).scalar_one()
        assert written.isdigit(), written
        assert int(written) != here, "the INSERT ran on the event loop's thread"
    await engine.dispose()
