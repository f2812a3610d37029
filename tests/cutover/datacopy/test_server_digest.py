"""Verify against PostgreSQL, comparing rows in Python (the default) and with the server
computing row digests (pghash, `digest="server"`): every supported column type, NULLs,
and differences found by key."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import psycopg
import pytest

from cutover.datacopy import CopyOptions, PlanError, copy_data, verify_data
from cutover.datacopy.endpoints import open_endpoint
from cutover.datacopy.plan import parse_plan
from cutover.datacopy.transform import resolve_table
from tests.cutover.datacopy.conftest import pg_query

pytestmark = pytest.mark.postgres

PG_DDL = """
CREATE TABLE kinds (
    id integer PRIMARY KEY, small smallint, label varchar(40), flag boolean,
    ratio double precision, ratio4 real, amount numeric(14, 4), seen timestamptz,
    local_seen timestamp, day date, blob bytea
)
"""
PLAN = {"batch_size": 50, "tables": [{"source": "kinds", "key": "id"}]}


def _row(i: int) -> tuple[object, ...]:
    if i % 10 == 0:  # every column but the key NULL
        return (i, *([None] * 10))
    return (
        i,
        i % 300,
        f"ü-label {i} ,:\\N",
        i % 3 == 0,
        i / 7 * 1e10 if i % 2 else 1 / (i + 3),
        i / 3,
        f"{i * 1.25:.2f}",
        f"2024-02-{1 + i % 28:02d}T10:{i % 60:02d}:00.{i:06d}+02:00",
        f"2024-03-01 08:00:{i % 60:02d}",
        f"2023-12-{1 + i % 31:02d}",
        bytes([i % 256, 0, 255]),
    )


@pytest.fixture
def kinds_source(tmp_path: Path) -> str:
    path = tmp_path / "kinds.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TABLE kinds (id INTEGER PRIMARY KEY, small INTEGER, label TEXT, flag INTEGER,"
        " ratio REAL, ratio4 REAL, amount TEXT, seen TEXT, local_seen TEXT, day TEXT, blob BLOB)"
    )
    conn.executemany(f"INSERT INTO kinds VALUES ({', '.join('?' * 11)})", map(_row, range(1, 301)))
    conn.execute(  # edge values: negatives, -0, before 1970, empty text and blob
        f"INSERT INTO kinds VALUES ({', '.join('?' * 11)})",
        (
            301,
            -32768,
            "",
            0,
            -0.0,
            -1e-30,
            "-0.0000",
            "1969-07-20T20:17:40.000001Z",
            "1900-01-01 00:00:00",
            "0001-01-01",
            b"",
        ),
    )
    conn.commit()
    conn.close()
    return f"sqlite:///{path}"


@pytest.mark.parametrize("digest", ["rows", "server"])
def test_digests_match_and_find_differences(
    kinds_source: str, pg_url: str, tmp_path: Path, digest: str
) -> None:
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(PG_DDL)
    plan = parse_plan(PLAN)
    source, target = (
        open_endpoint(kinds_source, read_only=True),
        open_endpoint(pg_url, read_only=True),
    )
    try:
        resolved = resolve_table(plan.tables[0], source, target)
        # the server path is under test, not a fallback to rows
        assert target.server_hash_types(resolved.target) is not None
    finally:
        source.close()
        target.close()

    (stats,) = copy_data(plan, kinds_source, pg_url, CopyOptions(rejects_path=tmp_path / "r.jsonl"))
    assert (stats.written, stats.rejected) == (301, 0)
    (clean,) = verify_data(plan, kinds_source, pg_url, digest=digest)
    assert clean.ok, clean.samples
    assert (clean.source_rows, clean.target_rows) == (301, 301)

    pg_query(pg_url, "UPDATE kinds SET ratio4 = ratio4 + 0.001 WHERE id = 77 RETURNING id")
    pg_query(pg_url, "UPDATE kinds SET day = NULL WHERE id = 141 RETURNING id")
    pg_query(pg_url, "DELETE FROM kinds WHERE id = 201 RETURNING id")
    pg_query(pg_url, "INSERT INTO kinds (id) VALUES (999) RETURNING id")
    (result,) = verify_data(plan, kinds_source, pg_url, jobs=2, min_rows_per_job=100, digest=digest)
    assert not result.ok
    assert result.samples == [
        ((77,), "values differ"),
        ((141,), "values differ"),
        ((201,), "missing in target"),
        ((999,), "only in target"),
    ]
    assert (result.source_rows, result.target_rows) == (301, 301)


def test_text_keys_are_ordered_bytewise_on_both_sides(pg_url: str, tmp_path: Path) -> None:
    codes = ["b", "B", "a", "é", "Z", "aa", "a b", "ä", "_", "1", "10", "9"]
    path = tmp_path / "tags.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE tags (code TEXT PRIMARY KEY, n INTEGER)")
    conn.executemany("INSERT INTO tags VALUES (?, ?)", [(c, i) for i, c in enumerate(codes)])
    conn.commit()
    conn.close()
    with psycopg.connect(pg_url, autocommit=True) as pg:
        pg.execute("CREATE TABLE tags (code text PRIMARY KEY, n integer)")
    plan = parse_plan({"batch_size": 5, "tables": [{"source": "tags", "key": "code"}]})
    source = f"sqlite:///{path}"
    (stats,) = copy_data(plan, source, pg_url, CopyOptions(rejects_path=tmp_path / "r.jsonl"))
    assert stats.written == len(codes)
    assert verify_data(plan, source, pg_url)[0].ok
    pg_query(pg_url, "DELETE FROM tags WHERE code = 'ä' RETURNING n")
    (result,) = verify_data(plan, source, pg_url)
    assert result.samples == [(("ä",), "missing in target")]


def test_unknown_digest_is_a_plan_error(kinds_source: str, pg_url: str) -> None:
    with pytest.raises(PlanError, match="unknown digest"):
        verify_data(parse_plan(PLAN), kinds_source, pg_url, digest="crc")
