"""`copy --jobs N`: a large table copied as N key ranges by worker processes at once."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import psycopg
import pytest

from cutover.datacopy import CopyAbortedError, CopyOptions, copy_data, verify_data
from cutover.datacopy.plan import Plan, parse_plan
from tests.cutover.datacopy.conftest import PLAN, pg_query, source_execute

pytestmark = pytest.mark.postgres


@pytest.fixture
def pid_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "pids"
    path.mkdir()
    monkeypatch.setenv("DATACOPY_PID_DIR", str(path))
    return path


@pytest.fixture
def pid_plan() -> Plan:
    table = {**PLAN["tables"][0], "hook": "tests.cutover.datacopy.hooks:record_pid"}
    return parse_plan({**PLAN, "tables": [table]})


def _options(tmp_path: Path, **kwargs: object) -> CopyOptions:
    return CopyOptions(rejects_path=tmp_path / "rejects.jsonl", **kwargs)  # type: ignore[arg-type]


def _pids(pid_dir: Path) -> set[int]:
    pids = {int(p.name) for p in pid_dir.iterdir()}
    for p in pid_dir.iterdir():
        p.unlink()
    return pids


def _checkpoints(pg_url: str) -> list[tuple[str, str, int, int, str]]:
    return pg_query(  # type: ignore[return-value]
        pg_url,
        "SELECT name, phase, rows_read, rows_written, last_key FROM cutover_checkpoints"
        " ORDER BY name",
    )


def test_large_table_copies_in_worker_processes_then_delta_and_restart(
    pid_plan: Plan, source_db: Path, source_url: str, pg_url: str, tmp_path: Path, pid_dir: Path
) -> None:
    options = _options(tmp_path, jobs=2, min_rows_per_job=300)
    (stats,) = copy_data(pid_plan, source_url, pg_url, options)
    assert (stats.read, stats.written, stats.rejected, stats.delta) == (1000, 1000, 0, False)
    # this process copies the first key range, a worker process the second
    assert len(_pids(pid_dir) - {os.getpid()}) == 1
    # the table's checkpoint adds up its parts, whose own checkpoints are gone
    assert _checkpoints(pg_url) == [("items->items", "done", 1000, 1000, "[1000]")]
    assert pg_query(pg_url, "SELECT count(*), count(DISTINCT id) FROM items") == [(1000, 1000)]
    # batches of 100 in two ranges of 500 rows: ten recorded digests, none across 500
    his = pg_query(pg_url, "SELECT hi FROM cutover_digests")
    assert sorted(json.loads(hi)[0] for (hi,) in his) == list(range(100, 1001, 100))
    (result,) = verify_data(pid_plan, source_url, pg_url)
    assert result.ok and result.target_rows == 1000

    later = "2025-06-01T12:00:00+00:00"
    for i in (5, 600):
        source_execute(
            source_db, "UPDATE items SET name = ?, updated_at = ? WHERE id = ?", (f"r{i}", later, i)
        )
    new_row = "INSERT INTO items VALUES (1001, 'new', '1.00', '[]', 1, ?)"
    source_execute(source_db, new_row, (later,))
    (delta,) = copy_data(pid_plan, source_url, pg_url, options)
    assert delta.delta and (delta.read, delta.written) == (4, 3)  # + row 1000 at the mark
    assert _pids(pid_dir) == {os.getpid()}  # a delta of a few rows runs in this process
    assert verify_data(pid_plan, source_url, pg_url)[0].ok

    (restarted,) = copy_data(pid_plan, source_url, pg_url, _options(tmp_path, restart=True))
    assert (restarted.read, restarted.written) == (1001, 0)
    assert _pids(pid_dir) == {os.getpid()}  # default threshold: 1001 rows stay in one process
    (again,) = copy_data(
        pid_plan, source_url, pg_url, _options(tmp_path, restart=True, min_rows_per_job=100)
    )
    assert (again.read, again.written) == (1001, 0) and len(_pids(pid_dir) - {os.getpid()}) == 1
    assert _checkpoints(pg_url) == [("items->items", "done", 1001, 0, "[1001]")]
    assert verify_data(pid_plan, source_url, pg_url)[0].ok


def test_rejects_of_every_part_go_to_one_file(
    plan: Plan, source_db: Path, source_url: str, pg_url: str, tmp_path: Path
) -> None:
    source_execute(source_db, "UPDATE items SET meta = '{broken' WHERE id IN (123, 877)")
    (stats,) = copy_data(plan, source_url, pg_url, _options(tmp_path, min_rows_per_job=100))
    assert (stats.read, stats.written, stats.rejected) == (1000, 998, 2)
    lines = (tmp_path / "rejects.jsonl").read_text().splitlines()
    assert sorted(json.loads(line)["key"] for line in lines) == [[123], [877]]
    (result,) = verify_data(plan, source_url, pg_url)
    assert not result.ok and [key for key, _ in result.samples] == [(123,), (877,)]


def test_stop_on_error_in_one_part_keeps_its_batch_out_and_resumes(
    plan: Plan, source_db: Path, source_url: str, pg_url: str, tmp_path: Path
) -> None:
    source_execute(source_db, "UPDATE items SET name = NULL WHERE id = 650")
    options = _options(tmp_path, stop_on_error=True, jobs=3, min_rows_per_job=100)
    with pytest.raises(CopyAbortedError, match="column title is required"):
        copy_data(plan, source_url, pg_url, options)
    # three parts (1-333, 334-666, 667-1000) in batches of 100: each part's checkpoint
    # matches the rows it committed, and the batch holding row 650 (634-666) is out
    parts = pg_query(
        pg_url,
        "SELECT last_key, upto_key, rows_read FROM cutover_checkpoints"
        " WHERE name LIKE 'items->items#part%%' ORDER BY name",
    )
    assert [json.loads(upto) if upto else None for _, upto, _ in parts] == [[333], [666], None]
    low = 0
    for last_key, upto_key, read in parts:
        high = json.loads(upto_key)[0] if upto_key else 1000
        last = json.loads(last_key)[0] if last_key else low
        assert pg_query(
            pg_url,
            "SELECT count(*), coalesce(max(id), %s) FROM items WHERE id > %s AND id <= %s",
            (low, low, high),
        ) == [(read, last)]
        low = high
    assert json.loads(parts[1][0]) == [633]
    source_execute(source_db, "UPDATE items SET name = 'fixed' WHERE id = 650")
    (stats,) = copy_data(plan, source_url, pg_url, options)
    assert stats.read == stats.written == 1000 - sum(read for _, _, read in parts)
    assert _checkpoints(pg_url) == [("items->items", "done", 1000, 1000, "[1000]")]
    assert pg_query(pg_url, "SELECT count(*), count(DISTINCT id) FROM items") == [(1000, 1000)]
    assert verify_data(plan, source_url, pg_url)[0].ok


OLD_CHECKPOINTS = """
CREATE TABLE cutover_checkpoints (
    name text PRIMARY KEY, phase text NOT NULL, last_key text, delta_key text,
    since_mark text, run_mark text, rows_read bigint NOT NULL DEFAULT 0,
    rows_written bigint NOT NULL DEFAULT 0, rows_rejected bigint NOT NULL DEFAULT 0,
    updated_at text NOT NULL DEFAULT CURRENT_TIMESTAMP
)
"""


@pytest.mark.parametrize("target", ["postgresql", "sqlite"])
def test_checkpoint_table_of_an_earlier_version_gains_the_part_bound(
    plan: Plan, source_url: str, pg_url: str, tmp_path: Path, target: str
) -> None:
    if target == "postgresql":
        url = pg_url
        with psycopg.connect(url, autocommit=True) as pg:
            pg.execute(OLD_CHECKPOINTS)
    else:
        url = f"sqlite:///{tmp_path / 'target.sqlite3'}"
        conn = sqlite3.connect(tmp_path / "target.sqlite3")
        conn.execute(OLD_CHECKPOINTS)
        conn.execute(
            "CREATE TABLE items (id INTEGER PRIMARY KEY, title TEXT NOT NULL, price TEXT,"
            " meta TEXT, active INTEGER NOT NULL, updated_at TEXT NOT NULL, origin TEXT NOT NULL)"
        )
        conn.commit()
        conn.close()
    (stats,) = copy_data(plan, source_url, url, _options(tmp_path, min_rows_per_job=100))
    assert (stats.read, stats.written) == (1000, 1000)
    assert verify_data(plan, source_url, url)[0].ok
