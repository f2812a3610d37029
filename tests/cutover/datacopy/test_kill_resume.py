"""SIGKILL the copy half-way, run it again: it resumes and nothing is duplicated (in one
process, and with the table copied as two key ranges by worker processes)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from tests.cutover.datacopy.conftest import PLAN, make_source, pg_query

pytestmark = pytest.mark.postgres

ROWS = 10_000
SLOW_AFTER = 2_000
REPO = Path(__file__).resolve().parents[3]
CUTOVER = str(Path(sys.executable).parent / "cutover")


def _checkpoint(pg_url: str) -> tuple[str, int, int, str] | None:
    rows = pg_query(
        pg_url,
        "SELECT phase, rows_read, rows_written, last_key FROM cutover_checkpoints"
        " WHERE name = 'items->items'",
    )
    return rows[0] if rows else None  # type: ignore[return-value]


def _cutover(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CUTOVER, *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=240
    )


@pytest.mark.parametrize(
    "parallel", [[], ["--jobs", "2", "--min-rows-per-job", "1000"]], ids=["one-process", "parts"]
)
def test_sigkill_mid_copy_then_resume(pg_url: str, tmp_path: Path, parallel: list[str]) -> None:
    source_url = make_source(tmp_path / "legacy.sqlite3", ROWS)
    plan = {**PLAN, "batch_size": 200}
    plan["tables"] = [{**PLAN["tables"][0], "hook": "tests.cutover.datacopy.hooks:slow_when_asked"}]
    plan_path = tmp_path / "plan.yaml"
    plan_path.write_text(yaml.safe_dump(plan))
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    args = ["--source", source_url, "--target", pg_url, "--plan", str(plan_path)]
    args += ["--rejects", str(tmp_path / "rejects.jsonl"), "--no-progress", *parallel]

    copying = subprocess.Popen(
        [CUTOVER, "copy", *args],
        env={**env, "DATACOPY_SLOW_AFTER": str(SLOW_AFTER)},
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    workers: list[int] = []
    try:
        while True:
            assert copying.poll() is None, copying.stderr.read() if copying.stderr else ""
            assert time.monotonic() < deadline, "the copy never got past the fast rows"
            progress = _progress(pg_url, parallel=bool(parallel))
            if progress and sum(progress) >= SLOW_AFTER and min(progress) > 0:
                break
            time.sleep(0.05)
        workers = _descendants(copying.pid)
    finally:
        copying.send_signal(signal.SIGKILL)
        copying.wait()
    assert copying.returncode == -signal.SIGKILL
    assert len(workers) >= (1 if parallel else 0)
    _wait_gone(workers)  # the workers die with the copy: none goes on writing

    # The committed batches and the checkpoints agree exactly: nothing half-applied.
    if parallel:
        _assert_parts_match_rows(pg_url)
    else:
        phase, read, written, last_key = _checkpoint(pg_url)  # type: ignore[misc]
        count, distinct, max_id = pg_query(
            pg_url, "SELECT count(*), count(DISTINCT id), max(id) FROM items"
        )[0]
        assert phase == "new" and SLOW_AFTER <= read < ROWS
        assert count == distinct == written == read
        assert json.loads(last_key) == [max_id]

    resumed = _cutover("copy", *args, env=env)
    assert resumed.returncode == 0, resumed.stderr
    phase, read, written, _ = _checkpoint(pg_url)  # type: ignore[misc]
    assert (phase, read, written) == ("done", ROWS, ROWS)  # resumed: no row read twice
    assert pg_query(pg_url, "SELECT count(*) FROM cutover_checkpoints") == [(1,)]
    assert pg_query(pg_url, "SELECT count(*), count(DISTINCT id) FROM items") == [(ROWS, ROWS)]

    verified = _cutover("verify", *args[:6], "--json", env=env)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    (report,) = json.loads(verified.stdout)
    assert report["ok"] and report["source_rows"] == report["target_rows"] == ROWS


def _has_checkpoints(pg_url: str) -> bool:
    return pg_query(pg_url, "SELECT to_regclass('cutover_checkpoints') IS NOT NULL") == [(True,)]


def _progress(pg_url: str, *, parallel: bool) -> list[int]:
    """Rows read so far: by the table's checkpoint, or per part when copied in parts."""
    if not _has_checkpoints(pg_url):
        return []
    if not parallel:
        checkpoint = _checkpoint(pg_url)
        return [checkpoint[1]] if checkpoint is not None else []
    rows = pg_query(
        pg_url,
        "SELECT rows_read FROM cutover_checkpoints WHERE name LIKE 'items->items#part%%'",
    )
    return [read for (read,) in rows]


def _assert_parts_match_rows(pg_url: str) -> None:
    parts = pg_query(
        pg_url,
        "SELECT phase, last_key, upto_key, rows_read, rows_written FROM cutover_checkpoints"
        " WHERE name LIKE 'items->items#part%%' ORDER BY name",
    )
    assert len(parts) == 2 and parts[-1][2] is None
    low, total = 0, 0
    for phase, last_key, upto_key, read, written in parts:
        high = json.loads(upto_key)[0] if upto_key else ROWS
        count, distinct, max_id = pg_query(
            pg_url,
            "SELECT count(*), count(DISTINCT id), max(id) FROM items WHERE id > %s AND id <= %s",
            (low, high),
        )[0]
        assert phase == "new" and 0 < read < high - low
        assert count == distinct == written == read
        assert json.loads(last_key) == [max_id]
        low, total = high, total + read
    assert SLOW_AFTER <= total < ROWS
    assert pg_query(pg_url, "SELECT count(*) FROM items") == [(total,)]


def _descendants(pid: int) -> list[int]:
    """Every process below `pid` (Linux /proc)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        children = (task / "children").read_text().split()
        for child in map(int, children):
            found += [child, *_descendants(child)]
    return found


def _wait_gone(pids: list[int]) -> None:
    deadline = time.monotonic() + 30
    for pid in pids:
        while _alive(pid):
            assert time.monotonic() < deadline, f"process {pid} outlived the killed copy"
            time.sleep(0.05)


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return "State:\tZ" not in status
