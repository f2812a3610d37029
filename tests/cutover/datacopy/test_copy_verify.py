from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from cutover.datacopy import CopyAbortedError, CopyOptions, copy_data, verify_data
from cutover.datacopy.plan import Plan
from tests.cutover.datacopy.conftest import pg_query, source_execute

pytestmark = pytest.mark.postgres


def _options(tmp_path: Path, **kwargs: object) -> CopyOptions:
    return CopyOptions(rejects_path=tmp_path / "rejects.jsonl", **kwargs)  # type: ignore[arg-type]


def test_copy_then_verify_is_clean_and_rerun_writes_nothing(
    plan: Plan, source_url: str, pg_url: str, tmp_path: Path
) -> None:
    (stats,) = copy_data(plan, source_url, pg_url, _options(tmp_path))
    assert (stats.read, stats.written, stats.rejected) == (1000, 1000, 0)
    row = pg_query(pg_url, "SELECT id, title, price, meta, active, origin FROM items WHERE id = 42")
    assert row == [(42, "item 42", Decimal("42.42"), {"tags": ["t0"], "rank": 42}, False, "legacy")]
    (result,) = verify_data(plan, source_url, pg_url)
    assert result.ok and (result.source_rows, result.target_rows) == (1000, 1000)
    assert result.source_checksum == result.target_checksum != 0

    (again,) = copy_data(plan, source_url, pg_url, _options(tmp_path))
    # only the row at the high-water mark is read again (changed_at >= mark), none written
    assert (again.read, again.written, again.delta) == (1, 0, True)
    (restarted,) = copy_data(plan, source_url, pg_url, _options(tmp_path, restart=True))
    assert (restarted.read, restarted.written) == (1000, 0)  # upserts of equal rows change nothing
    assert pg_query(pg_url, "SELECT count(*) FROM items") == [(1000,)]
    assert verify_data(plan, source_url, pg_url)[0].ok
    assert not (tmp_path / "rejects.jsonl").exists()


@pytest.mark.parametrize("jobs", [1, 3], ids=["one-process", "three-key-ranges"])
def test_verify_finds_missing_changed_and_extra_rows(
    plan: Plan, source_url: str, pg_url: str, tmp_path: Path, jobs: int
) -> None:
    copy_data(plan, source_url, pg_url, _options(tmp_path))
    pg_query(pg_url, "DELETE FROM items WHERE id = 10 RETURNING id")
    pg_query(pg_url, "UPDATE items SET title = 'tampered' WHERE id = 500 RETURNING id")
    pg_query(
        pg_url,
        "INSERT INTO items VALUES (5000, 'x', 1, '{}', true, now(), 'new') RETURNING id",
    )
    (result,) = verify_data(plan, source_url, pg_url, jobs=jobs, min_rows_per_job=100)
    assert not result.ok
    assert result.samples == [
        ((10,), "missing in target"),
        ((500,), "values differ"),
        ((5000,), "only in target"),
    ]
    assert (result.source_rows, result.target_rows, result.differing) == (1000, 1000, 3)


def test_corrupt_row_is_rejected_and_reported_by_verify(
    plan: Plan, source_db: Path, source_url: str, pg_url: str, tmp_path: Path
) -> None:
    source_execute(source_db, "UPDATE items SET meta = '{broken' WHERE id = 321")
    (stats,) = copy_data(plan, source_url, pg_url, _options(tmp_path))
    assert (stats.read, stats.written, stats.rejected) == (1000, 999, 1)
    lines = (tmp_path / "rejects.jsonl").read_text().splitlines()
    assert len(lines) == 1
    reject = json.loads(lines[0])
    assert (reject["table"], reject["key"], reject["row"]["meta"]) == (
        "items->items",
        [321],
        "{broken",
    )
    assert "invalid JSON" in reject["reason"]
    assert pg_query(pg_url, "SELECT count(*), count(*) FILTER (WHERE id = 321) FROM items") == [
        (999, 0)
    ]

    (result,) = verify_data(plan, source_url, pg_url)
    assert not result.ok and result.differing == 1
    ((key, why),) = result.samples
    assert key == (321,) and why.startswith("rejected: ") and "invalid JSON" in why


def test_stop_on_error_keeps_the_batch_out(
    plan: Plan, source_db: Path, source_url: str, pg_url: str, tmp_path: Path
) -> None:
    source_execute(source_db, "UPDATE items SET name = NULL WHERE id = 250")
    with pytest.raises(CopyAbortedError, match="column title is required"):
        copy_data(plan, source_url, pg_url, _options(tmp_path, stop_on_error=True))
    # batches of 100: rows 1-200 committed, the batch holding row 250 is not
    assert pg_query(pg_url, "SELECT count(*), max(id) FROM items") == [(200, 200)]
    source_execute(source_db, "UPDATE items SET name = 'fixed' WHERE id = 250")
    (stats,) = copy_data(plan, source_url, pg_url, _options(tmp_path, stop_on_error=True))
    assert (stats.read, stats.written) == (800, 800)
    assert verify_data(plan, source_url, pg_url)[0].ok


def test_delta_run_picks_up_new_and_updated_rows(
    plan: Plan, source_db: Path, source_url: str, pg_url: str, tmp_path: Path
) -> None:
    copy_data(plan, source_url, pg_url, _options(tmp_path))
    later = "2025-06-01T12:00:00+00:00"
    for i in (5, 600):
        source_execute(
            source_db,
            "UPDATE items SET name = ?, updated_at = ? WHERE id = ?",
            (f"renamed {i}", later, i),
        )
    source_execute(
        source_db,
        "INSERT INTO items VALUES (1001, 'brand new', '1.00', '[]', 1, ?)",
        (later,),
    )
    (stats,) = copy_data(plan, source_url, pg_url, _options(tmp_path, delta=True))
    assert stats.delta and stats.written == 3
    assert stats.read == 4  # + row 1000, which sits at the previous high-water mark
    assert pg_query(pg_url, "SELECT title FROM items WHERE id IN (5, 600, 1001) ORDER BY id") == [
        ("renamed 5",),
        ("renamed 600",),
        ("brand new",),
    ]
    assert verify_data(plan, source_url, pg_url)[0].ok
