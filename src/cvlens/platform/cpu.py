"""CPU-bound work off the event loop, in worker processes.

PDFium (behind pypdfium2) is not thread-safe, and parsing is pure-Python CPU work, so
analyses run in worker processes. They come from a fork server (never forked from the
threaded, event-loop-running parent) that has preloaded the modules named at construction,
so a new worker is ready in milliseconds.

Each worker is joined to its owner by a socket pair, and the event loop itself sends the
call and reads the answer (`loop.sock_sendall` / `loop.sock_recv`): no helper thread stands
between them, so handing work over and getting the result back costs no thread wake-ups
and no wait for the GIL (`concurrent.futures.ProcessPoolExecutor` relays both through a
manager thread and a queue-feeder thread). A call that exceeds its time limit
(`CpuTimeoutError`), or a worker that dies (`CpuCrashError`), costs that worker: it is
killed and a new one starts on the next call.

A worker ends with the process that owns it: when the owner exits, even by SIGKILL, its
end of the socket closes, and the worker, waiting for its next call, reads end-of-file.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import importlib
import multiprocessing
import pickle
import socket
import struct
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

T = TypeVar("T")

# The framing of `multiprocessing.connection.Connection`, which the worker side uses: a
# signed 4-byte big-endian length, or -1 and an 8-byte length for 2 GiB and more.
_SHORT = struct.Struct("!i")
_LONG = struct.Struct("!Q")


class CpuTaskError(RuntimeError):
    """The work did not finish."""


class CpuTimeoutError(CpuTaskError):
    """The work ran past its time limit (it would again: not worth a retry)."""


class CpuCrashError(CpuTaskError):
    """The process running the work died (out of memory, killed): worth a retry."""


def _ready() -> bool:
    return True


def prepare_process(warm_up: str | None) -> None:
    """Ready a long-lived worker: run `warm_up` ("module:function", e.g. loading shipped
    data and filling lazy caches) so the first call does not pay for it, then freeze what
    the process holds (`gc.freeze`): the collector no longer walks those objects at every
    full collection, which costs an analysis about 3 % of its CPU otherwise."""
    if warm_up:
        module, _, name = warm_up.partition(":")
        getattr(importlib.import_module(module), name)()
    gc.collect()
    gc.freeze()


def _serve(sock: socket.socket, warm_up: str | None) -> None:
    """A worker's life: run each call it is sent, answer, until its owner goes away."""
    conn = Connection(sock.detach())
    prepare_process(warm_up)
    while True:
        try:
            fn, args = pickle.loads(conn.recv_bytes())
        except (EOFError, KeyboardInterrupt):
            return  # the owner closed its end or exited (or the terminal's Ctrl-C)
        try:
            answer = pickle.dumps((True, fn(*args)), pickle.HIGHEST_PROTOCOL)
        except Exception as exc:
            try:
                answer = pickle.dumps((False, exc), pickle.HIGHEST_PROTOCOL)
            except Exception:  # an exception that cannot be pickled: its text still can
                error = RuntimeError(f"{type(exc).__name__}: {exc}")
                answer = pickle.dumps((False, error), pickle.HIGHEST_PROTOCOL)
        try:
            conn.send_bytes(answer)
        except OSError:
            return


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    sock: socket.socket

    def kill(self) -> None:
        self.sock.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)


def _frame(payload: bytes) -> bytes:
    if len(payload) < 0x7FFFFFFF:
        return _SHORT.pack(len(payload)) + payload
    return _SHORT.pack(-1) + _LONG.pack(len(payload)) + payload


async def _recv_exactly(loop: asyncio.AbstractEventLoop, sock: socket.socket, size: int) -> bytes:
    buffer = bytearray(size)
    view = memoryview(buffer)
    received = 0
    while received < size:
        count = await loop.sock_recv_into(sock, view[received:])
        if count == 0:
            raise CpuCrashError("the worker process running this work died")
        received += count
    return bytes(buffer)


class CpuPool:
    def __init__(
        self, workers: int, preload: Sequence[str] = (), warm_up: str | None = None
    ) -> None:
        self.workers = workers
        self._warm_up = warm_up
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(list(preload))
        self._idle: list[_Worker] = []
        self._busy: set[_Worker] = set()
        self._starting = 0
        self._waiters: deque[asyncio.Future[None]] = deque()

    def _spawn(self) -> _Worker:
        """Start a worker (blocks while the fork server forks: call it off the loop)."""
        parent, child = socket.socketpair()
        process = self._context.Process(target=_serve, args=(child, self._warm_up), daemon=True)
        process.start()
        child.close()
        parent.setblocking(False)
        return _Worker(process, parent)

    async def start(self) -> None:
        """Start every worker now, off the event loop, and wait until each one answers."""
        spawned = await asyncio.gather(
            *(asyncio.to_thread(self._spawn) for _ in range(self.workers - self._size()))
        )
        self._idle.extend(spawned)
        await asyncio.gather(*(self.run(60, _ready) for _ in spawned))

    def _size(self) -> int:
        return len(self._idle) + len(self._busy) + self._starting

    def pids(self) -> list[int]:
        """The worker processes' ids."""
        return [w.process.pid for w in (*self._idle, *self._busy) if w.process.pid is not None]

    async def _acquire(self) -> _Worker:
        while not self._idle:
            if self._size() < self.workers:
                self._starting += 1
                try:
                    worker = await asyncio.to_thread(self._spawn)
                finally:
                    self._starting -= 1
                self._busy.add(worker)
                return worker
            waiter = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            try:
                await waiter
            finally:
                with contextlib.suppress(ValueError):
                    self._waiters.remove(waiter)
        worker = self._idle.pop()
        self._busy.add(worker)
        return worker

    def _wake_one(self) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return

    def _release(self, worker: _Worker) -> None:
        self._busy.discard(worker)
        self._idle.append(worker)
        self._wake_one()

    def _discard(self, worker: _Worker) -> None:
        self._busy.discard(worker)
        worker.kill()
        self._wake_one()  # a waiter may now start a worker of its own

    async def _call(self, worker: _Worker, fn: Callable[..., T], args: tuple[Any, ...]) -> T:
        loop = asyncio.get_running_loop()
        await loop.sock_sendall(worker.sock, _frame(pickle.dumps((fn, args), -1)))
        (size,) = _SHORT.unpack(await _recv_exactly(loop, worker.sock, _SHORT.size))
        if size == -1:
            (size,) = _LONG.unpack(await _recv_exactly(loop, worker.sock, _LONG.size))
        succeeded, value = pickle.loads(await _recv_exactly(loop, worker.sock, size))
        if not succeeded:
            raise value
        result: T = value
        return result

    async def run(self, limit_seconds: float, fn: Callable[..., T], *args: Any) -> T:
        worker = await self._acquire()
        try:
            result = await asyncio.wait_for(self._call(worker, fn, args), limit_seconds)
        except TimeoutError as exc:
            self._discard(worker)
            raise CpuTimeoutError(
                f"the work took longer than {limit_seconds:g} s and was stopped"
            ) from exc
        except OSError as exc:
            self._discard(worker)
            raise CpuCrashError("the worker process running this work died") from exc
        except (CpuCrashError, asyncio.CancelledError):
            self._discard(worker)  # dead, or its answer would arrive for nobody
            raise
        except BaseException:
            self._release(worker)  # the work raised: the worker is fine
            raise
        self._release(worker)
        return result

    def close(self) -> None:
        """Stop every worker: closing its socket ends it; one that does not end is killed."""
        workers = [*self._idle, *self._busy]
        self._idle.clear()
        self._busy.clear()
        for worker in workers:
            worker.sock.close()
        for worker in workers:
            worker.process.join(5)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(5)
