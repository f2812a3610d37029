"""SIGKILL the copy half-way, run it again: it resumes and nothing is duplicated."""

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


def test_sigkill_mid_copy_then_resume(pg_url: str, tmp_path: Path) -> None:
    source_url = make_source(tmp_path / "legacy.sqlite3", ROWS)
    plan = {**PLAN, "batch_size": 200}
    plan["tables"] = [{**PLAN["tables"][0], "hook": "tests.cutover.datacopy.hooks:slow_when_asked"}]
    plan_path = tmp_path / "plan.yaml"
    plan_path.write_text(yaml.safe_dump(plan))
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    args = ["--source", source_url, "--target", pg_url, "--plan", str(plan_path)]
    args += ["--rejects", str(tmp_path / "rejects.jsonl"), "--no-progress"]

    copying = subprocess.Popen(
        [CUTOVER, "copy", *args],
        env={**env, "DATACOPY_SLOW_AFTER": str(SLOW_AFTER)},
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    try:
        while True:
            assert copying.poll() is None, copying.stderr.read() if copying.stderr else ""
            assert time.monotonic() < deadline, "the copy never got past the fast rows"
            checkpoint = _checkpoint(pg_url) if _has_checkpoints(pg_url) else None
            if checkpoint is not None and checkpoint[1] >= SLOW_AFTER:
                break
            time.sleep(0.05)
    finally:
        copying.send_signal(signal.SIGKILL)
        copying.wait()
    assert copying.returncode == -signal.SIGKILL

    # The committed batches and the checkpoint agree exactly: nothing half-applied.
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
    assert pg_query(pg_url, "SELECT count(*), count(DISTINCT id) FROM items") == [(ROWS, ROWS)]

    verified = _cutover("verify", *args[:6], "--json", env=env)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    (report,) = json.loads(verified.stdout)
    assert report["ok"] and report["source_rows"] == report["target_rows"] == ROWS


def _has_checkpoints(pg_url: str) -> bool:
    return pg_query(pg_url, "SELECT to_regclass('cutover_checkpoints') IS NOT NULL") == [(True,)]
