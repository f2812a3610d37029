"""The job row's state machine on SQLite and PostgreSQL: claim, lease, finish, fail, sweep."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import timedelta

import pytest
from sqlalchemy import Connection, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from cvlens.platform.db import create_sessionmaker, utcnow
from cvlens.platform.events import MemoryEventBus
from cvlens.platform.jobs import Job, JobStatus, JobStore, new_job
from cvlens.platform.worker import sweep
from tests.conftest import empty_tables


@pytest.fixture
async def store(engine: AsyncEngine) -> AsyncIterator[JobStore]:
    async with engine.begin() as conn:
        await conn.run_sync(lambda c: Job.__table__.create(c, checkfirst=True))
    yield JobStore(create_sessionmaker(engine), lease_seconds=30)
    await empty_tables(engine)


async def _add(store: JobStore, max_attempts: int = 3) -> uuid.UUID:
    job = new_job("test", {"n": 1}, max_attempts=max_attempts)
    async with store.sessionmaker() as session, session.begin():
        session.add(job)
    return job.id


async def _expire_lease(store: JobStore, job_id: uuid.UUID) -> None:
    async with store.sessionmaker() as session, session.begin():
        await session.execute(
            update(Job)
            .where(Job.id == job_id)
            .values(lease_expires_at=utcnow() - timedelta(seconds=1))
        )


async def test_only_one_of_many_concurrent_claims_wins(store: JobStore) -> None:
    job_id = await _add(store)
    claims = await asyncio.gather(*(store.claim(job_id, f"w{i}") for i in range(8)))
    winners = [c for c in claims if c is not None]
    assert len(winners) == 1
    assert winners[0].status == JobStatus.RUNNING
    assert winners[0].attempts == 1


async def test_expired_lease_makes_job_runnable_again(store: JobStore) -> None:
    job_id = await _add(store)
    assert await store.claim(job_id, "a") is not None
    assert await store.claim(job_id, "b") is None
    await _expire_lease(store, job_id)
    taken = await store.claim(job_id, "b")
    assert taken is not None and taken.lease_owner == "b" and taken.attempts == 2
    assert not await store.heartbeat(job_id, "a")
    assert await store.heartbeat(job_id, "b", progress=40, stage="parse")


async def test_finish_requires_holding_the_lease(store: JobStore) -> None:
    job_id = await _add(store)
    await store.claim(job_id, "a")
    await _expire_lease(store, job_id)
    await store.claim(job_id, "b")

    def write_as(worker: str) -> Callable[[Connection], None]:
        def write(conn: Connection) -> None:
            conn.execute(update(Job).where(Job.id == job_id).values(payload={"by": worker}))

        return write

    assert not await store.complete(job_id, "a", write_as("a"))
    async with store.sessionmaker() as session:
        assert await session.scalar(select(Job.payload).where(Job.id == job_id)) == {"n": 1}, (
            "a worker that lost the lease writes nothing"
        )
    assert await store.complete(job_id, "b", write_as("b"))
    snapshot = await store.get(job_id)
    assert snapshot is not None
    assert (snapshot.status, snapshot.progress) == (JobStatus.SUCCEEDED, 100)
    async with store.sessionmaker() as session:
        assert await session.scalar(select(Job.payload).where(Job.id == job_id)) == {"by": "b"}
    assert await store.claim(job_id, "c") is None


async def test_failed_attempt_backs_off_then_fails_for_good(store: JobStore) -> None:
    job_id = await _add(store, max_attempts=2)
    await store.claim(job_id, "a")
    retried = await store.fail(job_id, "a", "internal_error", "boom", retry=True)
    assert retried is not None and retried.status == JobStatus.QUEUED
    assert await store.claim(job_id, "a") is None  # not due before its backoff
    async with store.sessionmaker() as session, session.begin():
        await session.execute(update(Job).where(Job.id == job_id).values(available_at=utcnow()))
    await store.claim(job_id, "a")
    final = await store.fail(job_id, "a", "internal_error", "boom again", retry=True)
    assert final is not None
    assert (final.status, final.attempts, final.error_message) == (
        JobStatus.FAILED,
        2,
        "boom again",
    )


async def test_permanent_failure_does_not_retry(store: JobStore) -> None:
    job_id = await _add(store)
    await store.claim(job_id, "a")
    failed = await store.fail(job_id, "a", "corrupt_file", "the PDF is damaged", retry=False)
    assert failed is not None and failed.status == JobStatus.FAILED and failed.attempts == 1


class _Recorder:
    def __init__(self) -> None:
        self.published: list[uuid.UUID] = []

    async def publish(self, job_id: uuid.UUID) -> None:
        self.published.append(job_id)


async def test_sweep_finds_unpublished_and_abandoned_jobs(store: JobStore) -> None:
    never_published = await _add(store)
    abandoned = await _add(store)
    exhausted = await _add(store, max_attempts=1)
    await store.mark_published([abandoned, exhausted])
    await store.claim(abandoned, "dead-worker")
    await store.claim(exhausted, "dead-worker")
    await _expire_lease(store, abandoned)
    await _expire_lease(store, exhausted)

    recorder = _Recorder()
    count = await sweep(store, recorder, MemoryEventBus(), stale=timedelta(minutes=5))
    assert count == 2
    assert set(recorder.published) == {never_published, abandoned}
    gone = await store.get(exhausted)
    assert gone is not None and gone.status == JobStatus.FAILED
    assert gone.error_type == "worker_lost"
    async with store.sessionmaker() as session:
        published_at = await session.scalar(
            select(Job.published_at).where(Job.id == never_published)
        )
    assert published_at is not None
    assert await sweep(store, _Recorder(), MemoryEventBus(), stale=timedelta(minutes=5)) == 1
