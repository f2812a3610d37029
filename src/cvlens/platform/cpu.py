"""CPU-bound work off the event loop, in worker processes.

PDFium (behind pypdfium2) is not thread-safe, and parsing is pure-Python CPU work, so
analyses run in a process pool. Its processes come from a fork server (never forked from
the threaded, event-loop-running parent) that has preloaded the modules named at
construction, so a new pool process is ready in milliseconds. A call
that exceeds its time limit, or a child that crashes, costs the pool: it is torn down and
rebuilt, and the caller gets a `CpuTaskError` it can turn into a failed job.

A pool process ends with the process that owns the pool. It is a child of the fork server,
not of its owner, and it holds both ends of its own work queue, so after a SIGKILL of its
owner (a worker killed mid-job) it would wait for work forever, and keep the fork server
alive with it.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import select
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

T = TypeVar("T")


class CpuTaskError(RuntimeError):
    """The work did not finish."""


class CpuTimeoutError(CpuTaskError):
    """The work ran past its time limit (it would again: not worth a retry)."""


class CpuCrashError(CpuTaskError):
    """The process running the work died (out of memory, killed): worth a retry."""


def _ready() -> bool:
    return True


def _exit_with(owner: int) -> None:
    """Pool initializer: watch the owner from a daemon thread, leave when it is gone."""
    threading.Thread(target=_wait_for, args=(owner,), name="owner-watch", daemon=True).start()


def _wait_for(owner: int) -> None:
    if sys.platform == "linux":
        try:
            pidfd = os.pidfd_open(owner)
        except ProcessLookupError:
            os._exit(0)
        select.select([pidfd], [], [])  # readable once the owner has exited
    else:
        while True:
            time.sleep(1)
            try:
                os.kill(owner, 0)
            except ProcessLookupError:
                break
    os._exit(0)


class CpuPool:
    def __init__(self, workers: int, preload: Sequence[str] = ()) -> None:
        self.workers = workers
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(list(preload))
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=self._context,
                initializer=_exit_with,
                initargs=(os.getpid(),),
            )
        return self._pool

    async def start(self) -> None:
        """Start the pool's processes now, off the event loop (starting them blocks)."""
        pool = await asyncio.to_thread(self._executor)
        await asyncio.wrap_future(pool.submit(_ready))

    async def run(self, limit_seconds: float, fn: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._executor(), fn, *args)
        try:
            return await asyncio.wait_for(future, limit_seconds)
        except TimeoutError as exc:
            self._reset()
            raise CpuTaskError(
                f"the work took longer than {limit_seconds:g} s and was stopped"
            ) from exc
        except BrokenProcessPool as exc:
            self._reset()
            raise CpuCrashError("the worker process running this work died") from exc

    def _reset(self) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        processes = list(getattr(pool, "_processes", {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.kill()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
