from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from examples.legacy_flask.__main__ import main
from examples.legacy_flask.seed import seed


def _counts(path: Path) -> tuple[int, int, int]:
    conn = sqlite3.connect(path)
    counts = tuple(
        conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        for table in ("users", "resumes", "optimizations")
    )
    results = [json.loads(r) for (r,) in conn.execute("SELECT result FROM optimizations")]
    conn.close()
    assert all(0 <= r["score"] <= 100 for r in results)
    return counts  # type: ignore[return-value]


def test_seed_appends_users_with_their_data(tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite3"
    summary = seed(path, users=3, resumes_per_user=2, optimizations_per_resume=2)
    assert (summary.users, summary.resumes, summary.optimizations) == (3, 6, 12)
    seed(path, users=1, resumes_per_user=1, optimizations_per_resume=0)
    assert _counts(path) == (4, 7, 12)


def test_seed_rejects_negative_counts(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        seed(tmp_path / "x.sqlite3", users=-1)


def test_seed_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "cli.sqlite3"
    main(["seed", "--db", str(path), "--users", "2", "--resumes-per-user", "1"])
    assert "seeded 2 users, 2 résumés, 2 optimizations" in capsys.readouterr().out
    assert _counts(path) == (2, 2, 2)
