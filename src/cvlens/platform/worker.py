"""Running jobs: claim, heartbeat, run the kind's handler, finish or fail — and the sweeper.

The same `JobRunner` runs inside the API process (embedded default, fed by an asyncio
queue) and inside `cvlens worker` processes (fed by a taskiq broker).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Protocol

import structlog
from sqlalchemy.engine import Connection

from cvlens.platform.db import utcnow
from cvlens.platform.events import EventBus
from cvlens.platform.jobs import ClaimedJob, Dispatcher, JobSnapshot, JobStatus, JobStore

log = structlog.get_logger("cvlens.jobs")

ResultWriter = Callable[[Connection], object]


class PermanentJobError(Exception):
    """The job cannot succeed however often it is retried (e.g. an unreadable file)."""

    def __init__(self, error_type: str, message: str) -> None:
        super().__init__(message)
        self.error_type = error_type
        self.message = message


class LeaseLostError(Exception):
    """Another worker took the job over; this attempt's work is discarded."""


class Progress(Protocol):
    async def __call__(self, percent: int, stage: str) -> None: ...


class JobHandler(Protocol):
    """Does a kind of job's work and returns how to persist its result.

    The writer runs synchronous Core statements in the same transaction that marks the job
    succeeded, so a result is written exactly when the job completes — never twice.
    """

    async def __call__(self, job: ClaimedJob, progress: Progress) -> ResultWriter: ...


def job_channel(job_id: uuid.UUID) -> str:
    return f"job:{job_id}"


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


@dataclass
class JobRunner:
    store: JobStore
    events: EventBus
    handlers: dict[str, JobHandler]
    name: str = field(default_factory=worker_name)

    async def announce(self, snapshot: JobSnapshot | None) -> None:
        if snapshot is not None:
            await self.events.publish(job_channel(snapshot.id), snapshot.as_event())

    async def run(self, job_id: uuid.UUID) -> None:
        job = await self.store.claim(job_id, self.name)
        if job is None:
            return  # finished, running elsewhere, not yet due, or out of attempts
        await self.announce(job.snapshot())
        handler = self.handlers.get(job.kind)
        if handler is None:
            snapshot = await self.store.fail(
                job.id, self.name, "unknown_kind", f"no handler for {job.kind!r}", retry=False
            )
            await self.announce(snapshot)
            return
        log.info("job_started", job_id=str(job.id), kind=job.kind, attempt=job.attempts)
        work = asyncio.create_task(self._work(job, handler))
        beat = asyncio.create_task(self._heartbeat(job, work))
        try:
            await work
        except asyncio.CancelledError:
            if not beat.done() or beat.result() is not False:
                raise
            log.warning("job_lease_lost", job_id=str(job.id))
        finally:
            beat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await beat

    async def _work(self, job: ClaimedJob, handler: JobHandler) -> None:
        async def progress(percent: int, stage: str) -> None:
            if not await self.store.heartbeat(job.id, self.name, progress=percent, stage=stage):
                raise LeaseLostError
            await self.events.publish(
                job_channel(job.id),
                {
                    "id": str(job.id),
                    "status": JobStatus.RUNNING,
                    "progress": percent,
                    "stage": stage,
                },
            )

        try:
            writer = await handler(job, progress)
            await self.events.publish(
                job_channel(job.id),
                {"id": str(job.id), "status": JobStatus.RUNNING, "progress": 90, "stage": "saving"},
            )
            if not await self.store.complete(job.id, self.name, writer):
                raise LeaseLostError
        except LeaseLostError:
            log.warning("job_lease_lost", job_id=str(job.id))
            return
        except PermanentJobError as exc:
            await self.announce(
                await self.store.fail(job.id, self.name, exc.error_type, exc.message, retry=False)
            )
            log.info("job_failed", job_id=str(job.id), error_type=exc.error_type)
            return
        except Exception as exc:
            log.exception("job_attempt_failed", job_id=str(job.id))
            await self.announce(
                await self.store.fail(
                    job.id, self.name, "internal_error", f"{type(exc).__name__}: {exc}", retry=True
                )
            )
            return
        await self.announce(
            JobSnapshot(job.id, JobStatus.SUCCEEDED, 100, "done", job.attempts, None, None)
        )
        log.info("job_succeeded", job_id=str(job.id))

    async def _heartbeat(self, job: ClaimedJob, work: asyncio.Task[None]) -> bool:
        interval = max(0.5, self.store.lease.total_seconds() / 3)
        while True:
            await asyncio.sleep(interval)
            if not await self.store.heartbeat(job.id, self.name):
                work.cancel()
                return False


async def sweep(
    store: JobStore, dispatcher: Dispatcher, events: EventBus, *, stale: timedelta
) -> int:
    """Re-deliver every job that needs a message; fail the ones out of attempts."""
    for snapshot in await store.give_up_exhausted():
        await events.publish(job_channel(snapshot.id), snapshot.as_event())
    due = await store.due(republish_before=utcnow() - stale)
    published = []
    for job_id in due:
        try:
            await dispatcher.publish(job_id)
        except Exception:
            log.warning("job_publish_failed", job_id=str(job_id), exc_info=True)
            break
        published.append(job_id)
    await store.mark_published(published)
    return len(published)


async def sweep_forever(
    store: JobStore, dispatcher: Dispatcher, events: EventBus, *, interval: float, stale: timedelta
) -> None:
    while True:
        try:
            await sweep(store, dispatcher, events, stale=stale)
        except Exception:
            log.warning("job_sweep_failed", exc_info=True)
        await asyncio.sleep(interval)


class InProcessDispatcher:
    """Embedded default: an asyncio queue drained by `concurrency` tasks in this process."""

    def __init__(self, runner: JobRunner, concurrency: int) -> None:
        self.runner = runner
        self.queue: asyncio.Queue[uuid.UUID] = asyncio.Queue()
        self.concurrency = concurrency
        self._tasks: list[asyncio.Task[None]] = []

    async def publish(self, job_id: uuid.UUID) -> None:
        self.submit(job_id)

    def submit(self, job_id: uuid.UUID) -> None:
        """Queue the job now (synchronous, so it can run in a session's after-commit hook)."""
        self.queue.put_nowait(job_id)

    def start(self) -> None:
        self._tasks = [asyncio.create_task(self._consume()) for _ in range(self.concurrency)]

    async def _consume(self) -> None:
        while True:
            job_id = await self.queue.get()
            try:
                await self.runner.run(job_id)
            except Exception:
                log.exception("job_runner_crashed", job_id=str(job_id))

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
