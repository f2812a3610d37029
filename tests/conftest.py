"""Fixtures every feature's tests build on.

- `database_url`: a migrated database, parametrised over SQLite (a file per run) and the
  machine's PostgreSQL (a schema per run, dropped at the end). PostgreSQL cases fail under
  CI=true when the server is missing and skip elsewhere with the command that starts it.
- `settings`, `app`, `client`: the real app (lifespan run) behind an httpx ASGITransport.
  Tables are emptied after every test, so tests never see each other's rows.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

import cvlens.models
from cvlens.platform import migrations
from cvlens.platform.db import create_engine
from cvlens.settings import Settings
from tests.services import POSTGRES_URL, require

TEST_SECRET = "test-secret-key-not-for-production-0123456789"


@dataclass(frozen=True)
class Database:
    url: str
    schema: str | None = None

    @property
    def kind(self) -> str:
        return "postgresql" if self.url.startswith("postgresql") else "sqlite"


def _sync_url(url: str) -> str:
    return url.replace("+asyncpg", "+psycopg").replace("+aiosqlite", "")


@pytest.fixture(scope="session")
def sqlite_database(tmp_path_factory: pytest.TempPathFactory) -> Database:
    path = tmp_path_factory.mktemp("db") / "cvlens.db"
    database = Database(f"sqlite+aiosqlite:///{path}")
    migrations.upgrade(database.url)
    return database


@contextmanager
def postgres_schema(prefix: str) -> Iterator[Database]:
    """A fresh PostgreSQL schema migrated to head, dropped on the way out."""
    require("PostgreSQL")
    import psycopg

    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin_url = _sync_url(POSTGRES_URL).replace("postgresql+psycopg", "postgresql")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    database = Database(POSTGRES_URL, schema)
    try:
        upgrade_with_schema(database)
        yield database
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[Database]:
    with postgres_schema("t") as database:
        yield database


def upgrade_with_schema(database: Database, revision: str = "head") -> None:
    """Alembic on a PostgreSQL schema: the URL alone cannot carry the search_path."""
    from alembic import command
    from sqlalchemy import create_engine as create_sync_engine

    engine = create_sync_engine(
        _sync_url(database.url), connect_args={"options": f"-csearch_path={database.schema}"}
    )
    with engine.begin() as connection:
        command.upgrade(migrations.alembic_config(connection=connection), revision)
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest) -> Database:
    name = "sqlite_database" if request.param == "sqlite" else "postgres_database"
    db: Database = request.getfixturevalue(name)
    return db


def make_settings(database: Database, tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "env": "test",
        "secret_key": TEST_SECRET,
        "database_url": database.url,
        "database_schema": database.schema,
        "data_dir": tmp_path / "var",
        "storage_url": f"file://{tmp_path / 'blobs'}",
        "log_json": True,
        "password_hash_cost": "low",
    }
    values.update(overrides)
    return Settings.model_validate(values)


@pytest.fixture
def settings(database: Database, tmp_path: Path) -> Settings:
    return make_settings(database, tmp_path)


async def empty_tables(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        for table in reversed(cvlens.models.Base.metadata.sorted_tables):
            await conn.execute(table.delete())


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    from cvlens.app import create_app

    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application
        await empty_tables(application.state.engine)


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


@pytest.fixture
async def engine(settings: Settings) -> AsyncIterator[AsyncEngine]:
    eng = create_engine(settings)
    yield eng
    await eng.dispose()


async def scalar(engine: AsyncEngine, sql: str) -> object:
    async with engine.connect() as conn:
        return (await conn.execute(text(sql))).scalar()
