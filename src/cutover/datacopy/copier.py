"""`cutover copy`: batches by key, upserts, one checkpoint per table, delta on re-run.

A large table starting from its first key is split into `jobs` key ranges ("parts")
copied by as many worker processes at once, each with its own checkpoint (see
checkpoint.py and parts.py): the copy is CPU-bound Python (a one-off profile is in
docs/datacopy.md, "Speed").
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from cutover.datacopy.checkpoint import Checkpoint, Phase, part_name
from cutover.datacopy.digests import (
    DigestChange,
    RangeDigest,
    holding,
    rows_hash,
    stored_forms,
)
from cutover.datacopy.endpoints import Endpoint, open_endpoints
from cutover.datacopy.errors import CopyAbortedError, PlanError
from cutover.datacopy.gcpause import gc_paused
from cutover.datacopy.parts import Workers, report_progress, should_stop, split_by_offset
from cutover.datacopy.plan import Plan, TablePlan
from cutover.datacopy.prefetch import prefetch
from cutover.datacopy.rejects import RejectFile
from cutover.datacopy.transform import ResolvedTable, Row, TransformedBatch, resolve_table

DEFAULT_JOBS = 2
MIN_ROWS_PER_JOB = 100_000


@dataclass
class CopyOptions:
    batch_size: int | None = None  # overrides the plan's
    stop_on_error: bool = False
    rejects_path: Path = field(default_factory=lambda: Path("cutover-rejects.jsonl"))
    restart: bool = False  # forget checkpoints: copy every row again (still upserts)
    delta: bool = False  # insist on a previous run to continue from
    tables: list[str] | None = None  # only these source (or source->target) names
    jobs: int = DEFAULT_JOBS  # worker processes for a large table
    min_rows_per_job: int = MIN_ROWS_PER_JOB  # a table splits only past jobs x this


@dataclass
class TableCopyStats:
    name: str
    read: int = 0
    written: int = 0
    rejected: int = 0
    seconds: float = 0.0
    delta: bool = False  # this run continued from an earlier one

    @property
    def rows_per_second(self) -> float:
        return self.read / self.seconds if self.seconds > 0 else 0.0


class CopyObserver(Protocol):
    def table_started(self, name: str, total: int | None) -> None: ...
    def batch_done(self, name: str, read: int) -> None: ...
    def table_done(self, stats: TableCopyStats) -> None: ...


class _Silent:
    def table_started(self, name: str, total: int | None) -> None:
        pass

    def batch_done(self, name: str, read: int) -> None:
        pass

    def table_done(self, stats: TableCopyStats) -> None:
        pass


def selected_tables(plan: Plan, names: list[str] | None) -> list[TablePlan]:
    if not names:
        return list(plan.tables)
    chosen = [t for t in plan.tables if t.source in names or t.name in names]
    unknown = set(names) - {t.source for t in chosen} - {t.name for t in chosen}
    if unknown:
        raise PlanError(f"table(s) not in the plan: {', '.join(sorted(unknown))}")
    return chosen


def copy_data(
    plan: Plan,
    source_url: str,
    target_url: str,
    options: CopyOptions | None = None,
    observer: CopyObserver | None = None,
) -> list[TableCopyStats]:
    """Copy every table of the plan; returns per-table statistics of this invocation."""
    options = options or CopyOptions()
    observer = observer or _Silent()
    with open_endpoints(source_url, target_url, target_read_only=False) as (source, target):
        rejects = RejectFile(options.rejects_path)
        try:
            target.ensure_checkpoint_table()
            target.ensure_digest_table()
            tables = [
                resolve_table(t, source, target) for t in selected_tables(plan, options.tables)
            ]
            with gc_paused():
                return [
                    _TableCopy(
                        table,
                        source,
                        target,
                        plan.batch_size_of(table.plan),
                        options,
                        rejects,
                        observer,
                        source_url,
                        target_url,
                    ).run()
                    for table in tables
                ]
        finally:
            rejects.close()


class _TableCopy:
    def __init__(
        self,
        table: ResolvedTable,
        source: Endpoint,
        target: Endpoint,
        plan_batch_size: int,
        options: CopyOptions,
        rejects: RejectFile,
        observer: CopyObserver,
        source_url: str,
        target_url: str,
    ) -> None:
        self.table = table
        self.source = source
        self.target = target
        self.batch_size = options.batch_size or plan_batch_size
        self.options = options
        self.rejects = rejects
        self.observer = observer
        self.stats = TableCopyStats(name=table.name)
        self.source_url = source_url
        self.target_url = target_url
        self.should_stop: Callable[[], bool] = lambda: False
        self.stopped = False
        self.rows_total: int | None = None
        self.forms = target.stored_forms(table.target)
        self.digests: list[RangeDigest] = []

    def run(self) -> TableCopyStats:
        started = time.perf_counter()
        parts: list[Checkpoint] = []
        cp = self._start_checkpoint()
        self.observer.table_started(self.table.name, self._estimate(cp))
        if cp.phase is Phase.UPDATED:
            cp = self._copy_phase(cp, Phase.UPDATED)
            cp = replace(cp, phase=Phase.NEW)
            self.target.save_checkpoint(cp)
        if cp.phase is Phase.NEW:
            parts = self._parts(cp)
            cp = self._copy_parts(cp, parts) if parts else self._copy_phase(cp, Phase.NEW)
        self.target.save_checkpoint(replace(cp, phase=Phase.DONE, since_mark=cp.run_mark))
        if parts:
            self.target.forget_part_checkpoints(self.table.name)
        if self.stats.written:
            self.target.analyze(self.table.target.table)
        self.stats.seconds = time.perf_counter() - started
        self.observer.table_done(self.stats)
        return self.stats

    def _start_checkpoint(self) -> Checkpoint:
        plan = self.table.plan
        previous = None if self.options.restart else self.target.load_checkpoint(plan.name)
        if self.options.delta and previous is None:
            raise PlanError(f"--delta: table {plan.name} has no previous run to continue from")
        if previous is not None and previous.phase is not Phase.DONE:
            self.stats.delta = previous.since_mark is not None or previous.last_key is not None
            self.digests = self.target.load_digests(plan.name, self.source_url)
            return previous  # resume an interrupted run where its last batch committed
        self.target.forget_part_checkpoints(plan.name)  # left by a run that finished
        if previous is None:
            self.target.forget_digests(plan.name)  # a run from scratch: records start over
        else:
            self.digests = self.target.load_digests(plan.name, self.source_url)
        self.stats.delta = previous is not None
        run_mark = (
            self.source.max_of(plan.source, plan.updated_column) if plan.updated_column else None
        )
        since_mark = previous.since_mark if previous is not None else None
        phase = Phase.UPDATED if since_mark is not None and previous is not None else Phase.NEW
        cp = Checkpoint(
            name=plan.name,
            phase=phase,
            last_key=previous.last_key if previous is not None else None,
            since_mark=since_mark,
            run_mark=run_mark,
        )
        self.target.save_checkpoint(cp)
        return cp

    def _estimate(self, cp: Checkpoint) -> int | None:
        if cp.last_key is None and cp.phase is Phase.NEW:
            self.rows_total = self.source.count(self.table.plan.source)
            return self.rows_total
        return None

    def _parts(self, cp: Checkpoint) -> list[Checkpoint]:
        """The parts of this run: those of an interrupted parallel run, else new ones
        when the table starts from its first key and has rows enough; [] to copy in
        this process."""
        name = self.table.name
        resumed = self.target.load_part_checkpoints(name)
        if resumed or cp.last_key is not None or self.rows_total is None:
            return resumed
        jobs = min(self.options.jobs, self.rows_total // max(self.options.min_rows_per_job, 1))
        if jobs < 2:
            return []
        plan = self.table.plan
        bounds = split_by_offset(
            plan, self.source, self.table.source_key_families, jobs, self.rows_total
        )
        if len(bounds) < 2:
            return []
        parts = [
            replace(cp, name=part_name(name, i), last_key=lo, upto_key=hi)
            for i, (lo, hi) in enumerate(bounds, 1)
        ]
        self.target.save_checkpoints(parts)  # all or none: a resume finds every part
        return parts

    def _copy_parts(self, cp: Checkpoint, parts: list[Checkpoint]) -> Checkpoint:
        """Copy the unfinished parts: the first here, each other one in a worker
        process (one interpreter less to start); the table's checkpoint with the parts'
        totals and the last key copied."""
        pending = [part for part in parts if part.phase is not Phase.DONE]
        plan, urls = self.table.plan, (self.source_url, self.target_url)
        calls = [
            (_copy_part, (plan, *urls, self.batch_size, self.options, part)) for part in pending[1:]
        ]

        def progress(read: Any) -> None:
            self.observer.batch_done(self.table.name, int(read))

        with Workers(calls, progress) as workers:
            if pending:
                self.should_stop = workers.poll
                self.run_part(pending[0])
            for stats in workers.results():
                self.stats.read += stats.read
                self.stats.written += stats.written
                self.stats.rejected += stats.rejected
        done = self.target.load_part_checkpoints(self.table.name)
        return replace(
            cp,
            last_key=done[-1].last_key,
            rows_read=cp.rows_read + sum(p.rows_read for p in done),
            rows_written=cp.rows_written + sum(p.rows_written for p in done),
            rows_rejected=cp.rows_rejected + sum(p.rows_rejected for p in done),
        )

    def run_part(self, part: Checkpoint) -> TableCopyStats:
        """Copy one part (in a worker process); its checkpoint is done unless stopped."""
        cp = self._copy_phase(part, Phase.NEW)
        if not self.stopped:
            self.target.save_checkpoint(replace(cp, phase=Phase.DONE))
        return self.stats

    def _batches(
        self, cp: Checkpoint, phase: Phase
    ) -> Iterator[tuple[list[Row], TransformedBatch, int]]:
        """(source rows, transformed batch, rows_hash of its rows in the form verify
        reads them from the target)."""
        plan, table = self.table.plan, self.table
        after = cp.delta_key if phase is Phase.UPDATED else cp.last_key
        upto = cp.last_key if phase is Phase.UPDATED else cp.upto_key
        changed = (
            (plan.updated_column, cp.since_mark)
            if phase is Phase.UPDATED and plan.updated_column
            else None
        )
        if phase is Phase.UPDATED and (upto is None or changed is None):
            return
        while True:
            rows = self.source.fetch(
                plan.source,
                table.source_columns,
                plan.key,
                table.source_key_families,
                self.batch_size,
                after=after,
                upto=upto,
                changed=changed,
            )
            if not rows:
                return
            batch = table.transform(rows)
            yield rows, batch, rows_hash(stored_forms(batch.rows, self.forms))
            after = tuple(rows[-1][i] for i in table.key_positions)

    def _copy_phase(self, cp: Checkpoint, phase: Phase) -> Checkpoint:
        for rows, batch, hashed in prefetch(self._batches(cp, phase)):
            if self.should_stop():
                self.stopped = True
                break
            last = tuple(rows[-1][i] for i in self.table.key_positions)
            digests = self._digest_change(cp, phase, rows, batch, hashed)
            for rejected in batch.rejected:
                self.rejects.write(self.table.name, rejected)
            if batch.rejected and self.options.stop_on_error:
                first = batch.rejected[0]
                raise CopyAbortedError(
                    f"{self.table.name}: row {list(first.key)} rejected ({first.reason});"
                    f" stopped before its batch (see {self.rejects.path})"
                )
            next_cp = replace(
                cp,
                rows_read=cp.rows_read + len(rows),
                rows_rejected=cp.rows_rejected + len(batch.rejected),
            )
            if phase is Phase.UPDATED:
                next_cp.delta_key = last
            else:
                next_cp.last_key = last
            written = self.target.write_batch(
                self.table.target,
                batch.rows,
                next_cp,
                fresh_range=phase is Phase.NEW,
                digests=digests,
            )
            cp = next_cp
            self.stats.read += len(rows)
            self.stats.written += written
            self.stats.rejected += len(batch.rejected)
            self.observer.batch_done(self.table.name, len(rows))
        return cp

    def _digest_change(
        self,
        cp: Checkpoint,
        phase: Phase,
        rows: list[Row],
        batch: TransformedBatch,
        hashed: int,
    ) -> DigestChange:
        """A new batch records its range; re-copied rows drop the records they fall in."""
        positions = self.table.key_positions
        last = tuple(rows[-1][i] for i in positions)
        change = DigestChange(self.table.name, self.source_url, drop=[], add=None)
        if phase is Phase.UPDATED:
            keys = [tuple(row[i] for i in positions) for row in rows]
            change.drop = holding(self.digests, keys)
            self.digests = [d for d in self.digests if d not in change.drop]
            return change
        max_changed = self._max_changed(rows)
        if max_changed is not _UNKNOWN:
            change.add = RangeDigest(
                lo=cp.last_key,
                hi=last,
                rows_read=len(rows),
                rejected=len(batch.rejected),
                max_changed=max_changed,
                rows_hash=hashed,
            )
            self.digests.append(change.add)
        return change

    def _max_changed(self, rows: list[Row]) -> Any:
        """The largest updated_column value read, as SQL MAX gives it (None without the
        column); _UNKNOWN when Python cannot order the values (no digest is recorded)."""
        column = self.table.plan.updated_column
        if column is None:
            return None
        index = self.table.source_columns.index(column)
        values = [row[index] for row in rows if row[index] is not None]
        if not values:
            return None
        if len({type(v) for v in values}) > 1:
            return _UNKNOWN
        return max(values)


_UNKNOWN = object()


class _ReportProgress(_Silent):
    def batch_done(self, name: str, read: int) -> None:
        report_progress(read)


def _copy_part(
    table_plan: TablePlan,
    source_url: str,
    target_url: str,
    batch_size: int,
    options: CopyOptions,
    part: Checkpoint,
) -> TableCopyStats:
    """One part of a table, with its own connections and reject file handle (runs in a
    worker process)."""
    with open_endpoints(source_url, target_url, target_read_only=False) as (source, target):
        rejects = RejectFile(options.rejects_path)
        try:
            table = resolve_table(table_plan, source, target)
            copy = _TableCopy(
                table,
                source,
                target,
                batch_size,
                options,
                rejects,
                _ReportProgress(),
                source_url,
                target_url,
            )
            copy.should_stop = should_stop
            with gc_paused():
                return copy.run_part(part)
        finally:
            rejects.close()
