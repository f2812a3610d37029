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
from typing import Any, TypeVar

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


def run_in_workers(
    calls: Iterable[tuple[Callable[..., T], tuple[Any, ...]]],
    on_progress: Callable[[Any], None],
) -> list[T]:
    """Run each `function(*args)` in its own worker process; results in order.

    Items a worker passes to report_progress reach `on_progress` in this process while
    they run. The first exception stops the other workers at their next should_stop()
    check and is raised here once they have returned.
    """
    calls = list(calls)
    context = multiprocessing.get_context("spawn")
    progress = context.Queue()
    stop = context.Event()
    with ProcessPoolExecutor(
        max_workers=len(calls),
        mp_context=context,
        initializer=_init_worker,
        initargs=(progress, stop, os.getpid()),
    ) as pool:
        futures = [pool.submit(function, *args) for function, args in calls]
        pending: set[Future[T]] = set(futures)
        while pending:
            _drain(progress, on_progress, timeout=0.1)
            done, pending = wait(pending, timeout=0, return_when=FIRST_EXCEPTION)
            if any(f.exception() is not None for f in done):
                stop.set()
        wait(futures)
    _drain(progress, on_progress, timeout=0)
    progress.close()
    return [f.result() for f in futures]


def _drain(progress: Any, on_progress: Callable[[Any], None], timeout: float) -> None:
    try:
        on_progress(progress.get(timeout=timeout) if timeout else progress.get_nowait())
        while True:
            on_progress(progress.get_nowait())
    except queue.Empty:
        return
