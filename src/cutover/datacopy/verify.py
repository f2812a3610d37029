"""`verify_data`: every table of a plan, a large one split into key ranges verified
by worker processes (the comparison itself is in verifier.py)."""

from __future__ import annotations

import itertools
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from cutover.datacopy.copier import selected_tables
from cutover.datacopy.digests import RangeDigest
from cutover.datacopy.endpoints import open_endpoints
from cutover.datacopy.errors import PlanError
from cutover.datacopy.gcpause import gc_paused
from cutover.datacopy.parts import split_by_offset
from cutover.datacopy.plan import Plan, TablePlan
from cutover.datacopy.transform import Key, resolve_table
from cutover.datacopy.verifier import (
    DEFAULT_VERIFY_BATCH,
    Bounds,
    Comparison,
    TableVerification,
    compare_table,
)

DEFAULT_JOBS = 2
MIN_ROWS_PER_JOB = 100_000
# With recorded source digests a row costs only its target fetch and hash: worker
# processes (each a new interpreter) paid off only past a million rows (a one-off
# comparison by hand, in docs/datacopy.md).
MIN_RECORDED_ROWS_PER_JOB = 1_000_000
DIGESTS = ("rows", "server")
SOURCE_DIGESTS = ("recorded", "read")


def _verify_range(
    table_plan: TablePlan,
    source_url: str,
    target_url: str,
    bounds: Bounds,
    batch: int,
    sample_size: int,
    digest: str,
    recorded: list[RangeDigest],
) -> TableVerification:
    """One key range of one table, with its own connections (runs in a worker process)."""
    with open_endpoints(source_url, target_url, target_read_only=True) as (source, target):
        table = resolve_table(table_plan, source, target)
        with gc_paused():
            return compare_table(
                table, source, target, batch, sample_size, bounds, digest, recorded
            )


def _split_recorded(recorded: list[RangeDigest], parts: int) -> list[Bounds]:
    """`parts` key ranges of about equal row counts cut at recorded range ends, so that
    each worker can use the digests (a range cut in two would be read from the source)."""
    total = sum(d.rows_read for d in recorded)
    points: list[Key] = []
    seen = 0
    for d in recorded:
        seen += d.rows_read
        if len(points) < parts - 1 and seen >= total * (len(points) + 1) // parts:
            points.append(d.hi)
    edges: list[Key | None] = [None, *points, None]
    return list(itertools.pairwise(edges))


def _merged(name: str, parts: list[TableVerification], sample_size: int) -> TableVerification:
    comparison = Comparison(name, sample_size)
    for part in parts:
        comparison.add(part)
    return comparison.result


def verify_data(
    plan: Plan,
    source_url: str,
    target_url: str,
    *,
    batch_size: int | None = None,
    sample_size: int = 10,
    tables: list[str] | None = None,
    jobs: int = DEFAULT_JOBS,
    min_rows_per_job: int | None = None,
    digest: str = "rows",
    source_digests: str = "recorded",
) -> list[TableVerification]:
    """Compare every table of the plan; a result's `ok` is False on any difference.

    A table of at least `min_rows_per_job` rows per job (default MIN_ROWS_PER_JOB, or
    MIN_RECORDED_ROWS_PER_JOB when copy recorded source digests for it) is split into
    `jobs` key ranges verified by as many worker processes (the work is CPU-bound
    Python). `digest` is
    "rows" (compare the rows in Python) or "server" (PostgreSQL digests its key ranges;
    see verifier.py). `source_digests` "recorded" takes the source side of a key range
    from the digest copy recorded while reading it from this same source URL, when the
    range still holds as many rows (and the same largest updated_column); "read" reads
    and transforms the whole source again (digests.py)."""
    if digest not in DIGESTS:
        raise PlanError(f"unknown digest {digest!r}: use one of {', '.join(DIGESTS)}")
    if source_digests not in SOURCE_DIGESTS:
        raise PlanError(
            f"unknown source digests {source_digests!r}: use one of {', '.join(SOURCE_DIGESTS)}"
        )
    batch = batch_size or DEFAULT_VERIFY_BATCH
    with open_endpoints(source_url, target_url, target_read_only=True) as (source, target):
        resolved = [resolve_table(t, source, target) for t in selected_tables(plan, tables)]
        results = []
        for table in resolved:
            recorded = (
                target.load_digests(table.name, source_url)
                if source_digests == "recorded" and digest == "rows"
                else []
            )
            rows = source.count(table.plan.source)
            per_job = min_rows_per_job or (
                MIN_RECORDED_ROWS_PER_JOB if recorded else MIN_ROWS_PER_JOB
            )
            parts = max(1, min(jobs, rows // per_job))
            if parts == 1:
                with gc_paused():
                    results.append(
                        compare_table(
                            table,
                            source,
                            target,
                            batch,
                            sample_size,
                            digest=digest,
                            recorded=recorded,
                        )
                    )
                continue
            ranges = (
                _split_recorded(recorded, parts)
                if recorded
                else split_by_offset(table.plan, source, table.source_key_families, parts, rows)
            )
            context = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(max_workers=len(ranges), mp_context=context) as pool:
                futures = [
                    pool.submit(
                        _verify_range,
                        table.plan,
                        source_url,
                        target_url,
                        r,
                        batch,
                        sample_size,
                        digest,
                        recorded,
                    )
                    for r in ranges
                ]
                results.append(_merged(table.name, [f.result() for f in futures], sample_size))
        return results
