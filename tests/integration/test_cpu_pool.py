"""The analysis process pool: answers, errors, time limits, crashes, and no worker outliving
the process that owns it (a worker killed mid-job)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from cvlens.analysis.errors import EmptyFileError
from cvlens.platform.cpu import CpuCrashError, CpuPool, CpuTimeoutError

OWNER = """
import asyncio
from cvlens.platform.cpu import CpuPool

async def main() -> None:
    pool = CpuPool(2)
    await pool.start()
    print(*pool.pids(), flush=True)
    await asyncio.sleep(3600)

asyncio.run(main())
"""


def running(pid: int) -> bool:
    """Alive and not a zombie (in a container nothing may reap an orphan's exit)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process states in /proc")
def test_pool_processes_end_when_their_owner_is_killed() -> None:
    owner = subprocess.Popen([sys.executable, "-c", OWNER], stdout=subprocess.PIPE, text=True)
    try:
        assert owner.stdout is not None
        pids = [int(pid) for pid in owner.stdout.readline().split()]
        assert pids, "the pool started no process"
        assert all(running(pid) for pid in pids)
        owner.kill()
        owner.wait()
        deadline = time.monotonic() + 10
        while any(running(pid) for pid in pids):
            assert time.monotonic() < deadline, "pool processes outlived their owner"
            time.sleep(0.05)
    finally:
        owner.kill()
        owner.wait()


def _square_after(seconds: float, value: int) -> int:
    time.sleep(seconds)
    return value * value


def _refuse(message: str) -> None:
    raise EmptyFileError(message)


def _die() -> None:
    os._exit(3)


@pytest.fixture
async def pool() -> AsyncIterator[CpuPool]:
    cpu = CpuPool(2)
    await cpu.start()
    yield cpu
    cpu.close()


async def test_more_calls_than_workers_all_answer(pool: CpuPool) -> None:
    results = await asyncio.gather(*(pool.run(30, _square_after, 0.05, n) for n in range(7)))
    assert results == [n * n for n in range(7)]
    assert len(pool.pids()) == 2
    big = b"x" * (3 * 1024 * 1024)  # more than a socket buffer holds, both ways
    assert await pool.run(30, bytes.upper, big) == big.upper()


async def test_an_error_in_the_work_comes_back_as_itself(pool: CpuPool) -> None:
    with pytest.raises(EmptyFileError, match="nothing in it"):
        await pool.run(30, _refuse, "nothing in it")
    assert await pool.run(30, _square_after, 0, 4) == 16


async def test_time_limit_stops_the_work_and_the_pool_recovers(pool: CpuPool) -> None:
    before = set(pool.pids())
    with pytest.raises(CpuTimeoutError):
        await pool.run(0.2, _square_after, 30, 2)
    assert await pool.run(30, _square_after, 0, 3) == 9
    assert len(before - set(pool.pids())) == 1, "the worker that timed out was replaced"


async def test_a_worker_that_dies_is_a_crash_and_is_replaced(pool: CpuPool) -> None:
    with pytest.raises(CpuCrashError):
        await pool.run(30, _die)
    results = await asyncio.gather(*(pool.run(30, _square_after, 0, n) for n in range(4)))
    assert results == [0, 1, 4, 9]
    assert len(pool.pids()) == 2


WARMED: list[str] = []


def warm() -> None:
    WARMED.append("warm")


def _worker_state() -> tuple[list[str], int]:
    import gc

    return WARMED, gc.get_freeze_count()


async def test_a_worker_warms_up_and_freezes_what_it_holds_before_its_first_call() -> None:
    cpu = CpuPool(1, warm_up=f"{__name__}:warm")
    try:
        await cpu.start()
        warmed, frozen = await cpu.run(10, _worker_state)
    finally:
        cpu.close()
    assert warmed == ["warm"]  # ran once, in the worker
    assert frozen > 1000  # the modules it imported are frozen
    assert WARMED == []  # not in the owner
