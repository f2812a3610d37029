"""The `cutover copy` / `cutover verify` commands: summaries and exit codes."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import yaml
from typer.testing import CliRunner

from cutover.cli import app
from tests.cutover.datacopy.conftest import PLAN, source_execute
from tests.cutover.datacopy.test_sqlite_target_and_hooks import SQLITE_TARGET_DDL

runner = CliRunner()


def _setup(tmp_path: Path) -> tuple[list[str], Path]:
    target = tmp_path / "new.sqlite3"
    conn = sqlite3.connect(target)
    conn.execute(SQLITE_TARGET_DDL)
    conn.close()
    plan = tmp_path / "plan.yaml"
    plan.write_text(yaml.safe_dump(PLAN))
    return ["--target", f"sqlite:///{target}", "--plan", str(plan)], target


def test_copy_reports_rejects_and_verify_exits_non_zero(
    source_db: Path, source_url: str, tmp_path: Path
) -> None:
    args, _ = _setup(tmp_path)
    source_execute(source_db, "UPDATE items SET meta = 'nope' WHERE id = 77")
    rejects = tmp_path / "rejects.jsonl"
    copied = runner.invoke(
        app, ["copy", "--source", source_url, *args, "--rejects", str(rejects), "--no-progress"]
    )
    assert copied.exit_code == 0, copied.output
    assert "items->items" in copied.output and "999" in copied.output
    assert "1 row(s) rejected" in copied.output

    verified = runner.invoke(app, ["verify", "--source", source_url, *args, "--json"])
    assert verified.exit_code == 1
    (report,) = json.loads(verified.stdout)
    assert report["ok"] is False and report["differing"] == 1
    assert report["samples"][0]["key"] == [77]
    assert report["samples"][0]["why"].startswith("rejected: column meta: invalid JSON")

    source_execute(source_db, "UPDATE items SET meta = '{}' WHERE id = 77")
    fixed = runner.invoke(
        app, ["copy", "--source", source_url, *args, "--rejects", str(rejects), "--restart"]
    )
    assert fixed.exit_code == 0, fixed.output
    clean = runner.invoke(app, ["verify", "--source", source_url, *args])
    assert clean.exit_code == 0, clean.output
    assert "ok" in clean.output

    # edited in place, updated_at unchanged: only reading the source again finds it
    source_execute(source_db, "UPDATE items SET name = 'edited' WHERE id = 5")
    recorded = runner.invoke(app, ["verify", "--source", source_url, *args])
    assert recorded.exit_code == 0, recorded.output
    reread = [*args, "--source-digests", "read", "--json"]
    read = runner.invoke(app, ["verify", "--source", source_url, *reread])
    assert read.exit_code == 1
    assert json.loads(read.stdout)[0]["samples"] == [{"key": [5], "why": "values differ"}]


def test_errors_exit_with_a_message(source_url: str, tmp_path: Path) -> None:
    args, _ = _setup(tmp_path)
    missing_plan = ["--target", args[1], "--plan", str(tmp_path / "none.yaml")]
    failed = runner.invoke(app, ["copy", "--source", source_url, *missing_plan])
    assert failed.exit_code == 1 and "cannot read plan" in failed.output
    failed = runner.invoke(app, ["verify", "--source", "nope", *args])
    assert failed.exit_code == 2 and "not a database URL" in failed.output
    bad = ["verify", "--source", source_url, *args, "--source-digests", "maybe"]
    failed = runner.invoke(app, bad)
    assert failed.exit_code == 2 and "unknown source digests" in failed.output
    delta = runner.invoke(app, ["copy", "--source", source_url, *args, "--delta"])
    assert delta.exit_code == 1 and "no previous run" in delta.output
