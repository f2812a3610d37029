"""SQLite as the target (executemany upserts), row hooks, and plan/URL errors."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from cutover.datacopy import CopyOptions, PlanError, copy_data, load_plan, verify_data
from cutover.datacopy.errors import EndpointError
from cutover.datacopy.plan import parse_plan
from tests.cutover.datacopy.conftest import PLAN, source_execute

SQLITE_TARGET_DDL = """
CREATE TABLE items (
    id INTEGER PRIMARY KEY, title TEXT NOT NULL, price NUMERIC, meta JSON,
    active BOOLEAN NOT NULL, updated_at TIMESTAMPTZ NOT NULL, origin TEXT NOT NULL
)
"""


def _sqlite_target(path: Path, ddl: str) -> str:
    conn = sqlite3.connect(path)
    conn.execute(ddl)
    conn.close()
    return f"sqlite:///{path}"


def test_sqlite_target_copy_verify_and_idempotent_rerun(source_url: str, tmp_path: Path) -> None:
    target = _sqlite_target(tmp_path / "new.sqlite3", SQLITE_TARGET_DDL)
    plan = parse_plan(PLAN)
    options = CopyOptions(rejects_path=tmp_path / "rejects.jsonl")
    (stats,) = copy_data(plan, source_url, target, options)
    assert (stats.read, stats.written, stats.rejected) == (1000, 1000, 0)
    conn = sqlite3.connect(tmp_path / "new.sqlite3")
    row = conn.execute(
        "SELECT title, price, meta, active, origin FROM items WHERE id = 7"
    ).fetchone()
    conn.close()
    assert row == ("item 7", 7.07, '{"tags":["t0"],"rank":7}', 1, "legacy")
    assert verify_data(plan, source_url, target)[0].ok

    options.restart = True
    (again,) = copy_data(plan, source_url, target, options)
    assert (again.read, again.written) == (1000, 0)  # every row upserted, none changed


def test_sqlite_target_counts_only_changed_rows(
    source_db: Path, source_url: str, tmp_path: Path
) -> None:
    target = _sqlite_target(tmp_path / "new.sqlite3", SQLITE_TARGET_DDL)
    plan = parse_plan(PLAN)
    options = CopyOptions(rejects_path=tmp_path / "rejects.jsonl")
    copy_data(plan, source_url, target, options)
    source_execute(source_db, "UPDATE items SET price = '1.50' WHERE id IN (3, 4)")
    options.restart = True
    (stats,) = copy_data(plan, source_url, target, options)
    assert (stats.read, stats.written) == (1000, 2)
    assert verify_data(plan, source_url, target)[0].ok


HOOK_PLAN = {
    "tables": [
        {
            "source": "items",
            "target": "people",
            "key": "id",
            "columns": {"id": "id"},
            "hook": "tests.cutover.datacopy.hooks:split_name",
            "hook_columns": ["first_name", "last_name"],
        }
    ]
}


def test_hook_fills_several_columns_and_its_errors_are_rejects(
    source_db: Path, source_url: str, tmp_path: Path
) -> None:
    target = _sqlite_target(
        tmp_path / "new.sqlite3",
        "CREATE TABLE people (id INTEGER PRIMARY KEY, first_name TEXT, last_name TEXT)",
    )
    source_execute(source_db, "UPDATE items SET name = 'mononym' WHERE id = 9")
    plan = parse_plan(HOOK_PLAN)
    options = CopyOptions(rejects_path=tmp_path / "rejects.jsonl")
    (stats,) = copy_data(plan, source_url, target, options)
    assert (stats.read, stats.written, stats.rejected) == (1000, 999, 1)
    conn = sqlite3.connect(tmp_path / "new.sqlite3")
    assert conn.execute("SELECT first_name, last_name FROM people WHERE id = 10").fetchone() == (
        "item",
        "10",
    )
    conn.close()
    reject = json.loads((tmp_path / "rejects.jsonl").read_text())
    assert reject["key"] == [9] and reject["reason"] == "ValueError: cannot split name 'mononym'"
    (result,) = verify_data(plan, source_url, target)
    assert result.samples == [((9,), "rejected: ValueError: cannot split name 'mononym'")]


def test_plan_and_url_errors_are_typed(source_url: str, tmp_path: Path) -> None:
    bad_yaml = tmp_path / "bad.yaml"
    bad_yaml.write_text("tables: [")
    with pytest.raises(PlanError, match="cannot read plan"):
        load_plan(bad_yaml)
    with pytest.raises(PlanError, match="key"):
        parse_plan({"tables": [{"source": "items"}]})
    with pytest.raises(PlanError, match="must be mapped without a cast"):
        parse_plan({"tables": [{"source": "t", "key": "id", "columns": {"x": "y"}}]})
    with pytest.raises(PlanError, match="cannot load hook"):
        parse_plan({"tables": [{"source": "t", "key": "id", "hook": "nope.nothing:f"}]}).tables[
            0
        ].load_hook()
    target = _sqlite_target(tmp_path / "new.sqlite3", SQLITE_TARGET_DDL)
    unknown = parse_plan(
        {"tables": [{"source": "items", "key": "id", "columns": {"id": "id", "nope": "name"}}]}
    )
    with pytest.raises(PlanError, match=r"target column\(s\) not found in items: nope"):
        copy_data(unknown, source_url, target, CopyOptions(rejects_path=tmp_path / "r.jsonl"))
    with pytest.raises(EndpointError, match="does not exist"):
        verify_data(parse_plan(PLAN), f"sqlite:///{tmp_path}/missing.sqlite3", target)
    with pytest.raises(EndpointError, match="unsupported database"):
        verify_data(parse_plan(PLAN), "mysql://localhost/x", target)


def test_composite_key_batches_and_verify(tmp_path: Path) -> None:
    source_path, target_path = tmp_path / "src.sqlite3", tmp_path / "dst.sqlite3"
    for path in (source_path, target_path):
        conn = sqlite3.connect(path)
        conn.execute(
            "CREATE TABLE scores (tenant INTEGER, id INTEGER, v TEXT, PRIMARY KEY (tenant, id))"
        )
        if path == source_path:
            rows = [(t, i, f"{t}-{i}") for t in (3, 1, 2) for i in range(40, 0, -1)]
            conn.executemany("INSERT INTO scores VALUES (?, ?, ?)", rows)
            conn.commit()
        conn.close()
    plan = parse_plan({"batch_size": 7, "tables": [{"source": "scores", "key": ["tenant", "id"]}]})
    source, target = f"sqlite:///{source_path}", f"sqlite:///{target_path}"
    (stats,) = copy_data(plan, source, target, CopyOptions(rejects_path=tmp_path / "r.jsonl"))
    assert (stats.read, stats.written) == (120, 120)
    assert verify_data(plan, source, target)[0].ok
    source_execute(source_path, "INSERT INTO scores VALUES (2, 99, 'late')")
    (delta,) = copy_data(plan, source, target, CopyOptions(rejects_path=tmp_path / "r.jsonl"))
    # (2, 99) sorts before the last copied key (3, 40): keys are expected to grow
    assert delta.written == 0
    (result,) = verify_data(plan, source, target)
    assert result.samples == [((2, 99), "missing in target")]
