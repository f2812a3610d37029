"""The request's session commits when the endpoint succeeds and rolls back when it fails."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from cvlens.platform.db import SessionDep, create_engine
from tests.conftest import Database, make_settings, scalar


@pytest.fixture
async def notes_table(engine: AsyncEngine) -> AsyncIterator[None]:
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE probe_notes (body VARCHAR(50) NOT NULL)"))
    yield
    async with engine.begin() as conn:
        await conn.execute(text("DROP TABLE probe_notes"))


async def test_commit_on_success_rollback_on_error(
    app: FastAPI, client: httpx.AsyncClient, engine: AsyncEngine, notes_table: None
) -> None:
    @app.post("/_probe/notes/{body}")
    async def add_note(body: str, session: SessionDep) -> dict[str, str]:
        await session.execute(text("INSERT INTO probe_notes (body) VALUES (:b)"), {"b": body})
        if body == "fail":
            raise RuntimeError("after the insert")
        return {"body": body}

    assert (await client.post("/_probe/notes/kept")).status_code == 200
    assert (await client.post("/_probe/notes/fail")).status_code == 500
    assert await scalar(engine, "SELECT count(*) FROM probe_notes") == 1
    assert await scalar(engine, "SELECT body FROM probe_notes") == "kept"


async def test_sqlite_connections_use_wal_foreign_keys_and_busy_timeout(
    sqlite_database: Database, tmp_path: Path
) -> None:
    engine = create_engine(make_settings(sqlite_database, tmp_path))
    try:
        assert await scalar(engine, "PRAGMA journal_mode") == "wal"
        assert await scalar(engine, "PRAGMA foreign_keys") == 1
        assert await scalar(engine, "PRAGMA busy_timeout") == 5000
    finally:
        await engine.dispose()
