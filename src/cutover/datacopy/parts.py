"""Key ranges of a large table and the worker processes that handle one range each.

Copy and verify are CPU-bound Python: one process per key range lets a table use more
than one core. Workers are new interpreters (spawn): a plan's hook is imported again
by module path in each of them.
"""

from __future__ import annotations

import ctypes
import itertools
import multiprocessing
import os
import queue
import signal
import sys
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ProcessPoolExecutor, wait
from multiprocessing.synchronize import Event
from typing import Any, Generic, TypeVar

from cutover.datacopy.endpoints import Endpoint
from cutover.datacopy.plan import TablePlan
from cutover.datacopy.values import Family

Key = tuple[Any, ...]
Bounds = tuple[Key | None, Key | None]  # (exclusive low, inclusive high); None: open
T = TypeVar("T")
_PR_SET_PDEATHSIG = 1


def split_by_offset(
    table: TablePlan, source: Endpoint, key_families: Sequence[Family], parts: int, total: int
) -> list[Bounds]:
    """`parts` key ranges of about equal row counts (boundaries found by OFFSET) of a
    table of `total` rows; fewer when keys repeat at the boundaries."""
    points: list[Key] = []
    for i in range(1, parts):
        point = source.key_at(table.source, table.key, key_families, total * i // parts - 1)
        if point is not None and (not points or point > points[-1]):
            points.append(point)
    edges: list[Key | None] = [None, *points, None]
    return list(itertools.pairwise(edges))


_progress: Any = None  # the worker's end of the progress queue (set by _init_worker)
_stop: Event | None = None
_parent = 0


def _init_worker(progress: Any, stop: Event, parent: int) -> None:
    global _progress, _stop, _parent
    _progress, _stop, _parent = progress, stop, parent
    _die_with_parent()


def _die_with_parent() -> None:
    """On Linux, have the kernel SIGKILL this worker when its parent dies (a `kill -9`
    of `cutover copy` stops its workers mid-batch too: the batch's transaction is rolled
    back). Elsewhere should_stop() notices the parent is gone between batches."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != _parent:  # the parent died before prctl took effect
        os._exit(1)


def report_progress(item: Any) -> None:
    """Hand `item` to the parent's `on_progress` (from within a worker)."""
    if _progress is not None:
        _progress.put(item)


def should_stop() -> bool:
    """True in a worker when another one failed or the parent process is gone (killed:
    an orphaned worker must not go on writing beside a resumed run)."""
    return (_stop is not None and _stop.is_set()) or (_parent != 0 and os.getppid() != _parent)


class Workers(Generic[T]):
    """Each `function(*args)` of `calls` in its own worker process, while this process
    does its own share (calling poll() between its batches).

    Items a worker passes to report_progress reach `on_progress` in this process at
    each poll() and while waiting for results(). The first failure (a worker's, or this
    process's: leaving the `with` block by an exception) stops the other workers at
    their next should_stop() check.
    """

    def __init__(
        self,
        calls: Iterable[tuple[Callable[..., T], tuple[Any, ...]]],
        on_progress: Callable[[Any], None],
    ) -> None:
        self._calls = list(calls)
        self._on_progress = on_progress
        self._pool: ProcessPoolExecutor | None = None
        self._futures: list[Future[T]] = []
        self._progress: Any = None
        self._stop: Event | None = None

    def __enter__(self) -> Workers[T]:
        if self._calls:
            context = multiprocessing.get_context("spawn")
            self._progress, self._stop = context.Queue(), context.Event()
            self._pool = ProcessPoolExecutor(
                max_workers=len(self._calls),
                mp_context=context,
                initializer=_init_worker,
                initargs=(self._progress, self._stop, os.getpid()),
            )
            self._futures = [self._pool.submit(f, *args) for f, args in self._calls]
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is not None and self._stop is not None:
            self._stop.set()
        if self._pool is not None:
            while not all(f.done() for f in self._futures):
                self._drain(timeout=0.1)
            self._pool.shutdown()
            self._drain(timeout=0)
            self._progress.close()

    def poll(self) -> bool:
        """Hand on the workers' progress; True when one of them failed."""
        self._drain(timeout=0)
        return any(f.done() and f.exception() is not None for f in self._futures)

    def results(self) -> list[T]:
        """The workers' results in order, once all returned; raises the first failure."""
        pending: set[Future[T]] = set(self._futures)
        while pending:
            self._drain(timeout=0.1)
            done, pending = wait(pending, timeout=0, return_when=FIRST_EXCEPTION)
            if any(f.exception() is not None for f in done) and self._stop is not None:
                self._stop.set()
        return [f.result() for f in self._futures]

    def _drain(self, timeout: float) -> None:
        if self._progress is None:
            return
        try:
            item = self._progress.get(timeout=timeout) if timeout else self._progress.get_nowait()
            self._on_progress(item)
            while True:
                self._on_progress(self._progress.get_nowait())
        except queue.Empty:
            return
