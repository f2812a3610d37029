"""Source digests recorded by copy: what verify takes from them and what makes it read
the source again (digests.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cutover.datacopy import CopyOptions, copy_data, verify_data
from cutover.datacopy.digests import RangeDigest
from cutover.datacopy.plan import Plan
from cutover.datacopy.verifier import segments
from tests.cutover.datacopy.conftest import pg_query, source_execute

LATER = "2025-06-01T12:00:00+00:00"


def _copy(
    plan: Plan,
    source_url: str,
    pg_url: str,
    tmp_path: Path,
    *,
    delta: bool = False,
    restart: bool = False,
) -> None:
    options = CopyOptions(rejects_path=tmp_path / "r.jsonl", delta=delta, restart=restart)
    copy_data(plan, source_url, pg_url, options)


def _recorded_ranges(pg_url: str) -> set[tuple[str, str]]:
    return set(pg_query(pg_url, "SELECT lo, hi FROM cutover_digests"))


@pytest.mark.postgres
def test_copy_records_one_digest_per_batch_and_verify_uses_them(
    plan: Plan, source_db: Path, source_url: str, pg_url: str, tmp_path: Path
) -> None:
    _copy(plan, source_url, pg_url, tmp_path)
    assert pg_query(pg_url, "SELECT count(*), sum(rows_read) FROM cutover_digests") == [(10, 1000)]
    assert verify_data(plan, source_url, pg_url)[0].ok
    # A change in place that keeps updated_at is what a record cannot see: the recorded
    # digests stand for the source, reading it again finds the row.
    source_execute(source_db, "UPDATE items SET name = 'edited' WHERE id = 77")
    assert verify_data(plan, source_url, pg_url)[0].ok
    (read,) = verify_data(plan, source_url, pg_url, source_digests="read")
    assert read.samples == [((77,), "values differ")]


@pytest.mark.postgres
@pytest.mark.parametrize("jobs", [1, 2])
def test_source_changes_after_the_copy_make_verify_read_their_ranges(
    plan: Plan, source_db: Path, source_url: str, pg_url: str, tmp_path: Path, jobs: int
) -> None:
    _copy(plan, source_url, pg_url, tmp_path)
    source_execute(
        source_db, "UPDATE items SET name = 'renamed', updated_at = ? WHERE id = 120", (LATER,)
    )
    source_execute(source_db, "DELETE FROM items WHERE id = 450")
    source_execute(source_db, "UPDATE items SET name = 'edited' WHERE id = 451")
    source_execute(
        source_db, "INSERT INTO items VALUES (2000, 'late', '1.00', '[]', 1, ?)", (LATER,)
    )
    (result,) = verify_data(plan, source_url, pg_url, jobs=jobs, min_rows_per_job=100)
    # 451 shares its range with the deleted 450: that range is read row by row.
    assert result.samples == [
        ((120,), "values differ"),
        ((450,), "only in target"),
        ((451,), "values differ"),
        ((2000,), "missing in target"),
    ]
    assert (result.source_rows, result.target_rows) == (1000, 1000)


@pytest.mark.postgres
def test_target_changes_are_found_in_recorded_ranges(
    plan: Plan, source_url: str, pg_url: str, tmp_path: Path
) -> None:
    _copy(plan, source_url, pg_url, tmp_path)
    pg_query(pg_url, "UPDATE items SET active = NOT active WHERE id = 333 RETURNING id")
    pg_query(pg_url, "DELETE FROM items WHERE id = 640 RETURNING id")
    pg_query(
        pg_url, "INSERT INTO items VALUES (1500, 'x', 1, '{}', true, now(), 'new') RETURNING id"
    )
    (result,) = verify_data(plan, source_url, pg_url)
    assert result.samples == [
        ((333,), "values differ"),
        ((640,), "missing in target"),
        ((1500,), "only in target"),
    ]


@pytest.mark.postgres
def test_delta_drops_the_records_of_re_copied_rows_and_another_source_reads_all(
    plan: Plan, source_db: Path, source_url: str, pg_url: str, tmp_path: Path
) -> None:
    _copy(plan, source_url, pg_url, tmp_path)
    source_execute(
        source_db, "UPDATE items SET name = 'renamed', updated_at = ? WHERE id = 250", (LATER,)
    )
    _copy(plan, source_url, pg_url, tmp_path, delta=True)
    # re-read: 250 and 1000 (at the previous high-water mark); their ranges are dropped
    ranges = _recorded_ranges(pg_url)
    assert len(ranges) == 8 and ("[200]", "[300]") not in ranges
    assert ("[900]", "[1000]") not in ranges and ("[800]", "[900]") in ranges
    assert verify_data(plan, source_url, pg_url)[0].ok

    # A copy of the source at another path: nothing recorded for it, all of it is read.
    other = tmp_path / "other.sqlite3"
    shutil.copy(source_db, other)
    source_execute(other, "UPDATE items SET name = 'edited' WHERE id = 77")
    (result,) = verify_data(plan, f"sqlite:///{other}", pg_url)
    assert result.samples == [((77,), "values differ")]

    _copy(plan, source_url, pg_url, tmp_path, restart=True)
    assert pg_query(pg_url, "SELECT count(*) FROM cutover_digests") == [(10,)]


def _digest(lo: int | None, hi: int) -> RangeDigest:
    return RangeDigest(
        lo=None if lo is None else (lo,),
        hi=(hi,),
        rows_read=1,
        rejected=0,
        max_changed=None,
        rows_hash=0,
    )


def test_segments_cover_the_bounds_with_gaps_between_records() -> None:
    a, b, c = _digest(None, 10), _digest(20, 30), _digest(30, 40)
    assert segments([a, b, c], (None, None)) == [
        (None, (10,), a),
        ((10,), (20,), None),
        ((20,), (30,), b),
        ((30,), (40,), c),
        ((40,), None, None),
    ]
    # a record reaching outside the bounds is not used
    assert segments([a, b, c], ((5,), (30,))) == [((5,), (20,), None), ((20,), (30,), b)]
    assert segments([], ((5,), (30,))) == [((5,), (30,), None)]
