"""A legacy-like SQLite source and a PostgreSQL schema of its own per test."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest

from cutover.datacopy.plan import Plan, parse_plan
from tests.services import require

PG_DSN = "postgresql://postgres@127.0.0.1:5432/test"

TARGET_DDL = """
CREATE TABLE items (
    id bigint PRIMARY KEY,
    title text NOT NULL,
    price numeric(12, 2),
    meta jsonb,
    active boolean NOT NULL,
    updated_at timestamptz NOT NULL,
    origin text NOT NULL
)
"""

PLAN: dict[str, Any] = {
    "batch_size": 100,
    "tables": [
        {
            "source": "items",
            "key": "id",
            "updated_column": "updated_at",
            "columns": {
                "id": "id",
                "title": {"from": "name", "required": True},
                "price": {"from": "price", "cast": "decimal"},
                "meta": {"from": "meta", "cast": "json"},
                "active": "active",
                "updated_at": "updated_at",
                "origin": {"const": "legacy"},
            },
        }
    ],
}


def item_row(i: int) -> tuple[Any, ...]:
    """Row i of the legacy `items` table; updated_at grows with i (one minute apart)."""
    stamp = (datetime(2024, 1, 1, tzinfo=UTC) + timedelta(minutes=i)).isoformat()
    meta = json.dumps({"tags": [f"t{i % 7}"], "rank": i})
    return (i, f"item {i}", f"{i % 1000}.{i % 100:02d}", meta, i % 2, stamp)


def make_source(path: Path, rows: int) -> str:
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, price TEXT, meta TEXT,"
        " active INTEGER, updated_at TEXT)"
    )
    conn.executemany(
        "INSERT INTO items VALUES (?, ?, ?, ?, ?, ?)", map(item_row, range(1, rows + 1))
    )
    conn.commit()
    conn.close()
    return f"sqlite:///{path}"


@pytest.fixture
def plan() -> Plan:
    return parse_plan(PLAN)


@pytest.fixture
def source_db(tmp_path: Path) -> Path:
    make_source(tmp_path / "legacy.sqlite3", 1000)
    return tmp_path / "legacy.sqlite3"


@pytest.fixture
def source_url(source_db: Path) -> str:
    return f"sqlite:///{source_db}"


@pytest.fixture
def pg_schema() -> Iterator[str]:
    """A fresh schema, dropped afterwards; the URL's search_path points at it."""
    require("PostgreSQL")
    schema = f"datacopy_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_DSN, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield schema
    finally:
        with psycopg.connect(PG_DSN, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def pg_url(pg_schema: str) -> str:
    with psycopg.connect(PG_DSN, autocommit=True, options=f"-csearch_path={pg_schema}") as conn:
        conn.execute(TARGET_DDL)
    return f"{PG_DSN}?options=-csearch_path%3D{pg_schema}"


def pg_query(url: str, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute(sql.encode(), params).fetchall()


def source_execute(path: Path, sql: str, params: tuple[Any, ...] = ()) -> None:
    conn = sqlite3.connect(path)
    conn.execute(sql, params)
    conn.commit()
    conn.close()
