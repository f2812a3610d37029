"""The analysis process pool does not outlive the process that owns it (a worker killed mid-job)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

OWNER = """
import asyncio
from cvlens.platform.cpu import CpuPool

async def main() -> None:
    pool = CpuPool(2)
    await pool.start()
    print(*pool._executor()._processes, flush=True)
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
