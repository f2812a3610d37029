"""In-process dispatch: a job is queued by the commit that creates it, never by a rollback."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from fastapi import BackgroundTasks
from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from cvlens.platform.db import create_sessionmaker
from cvlens.platform.events import MemoryEventBus
from cvlens.platform.jobs import Job, JobStore, new_job
from cvlens.platform.worker import InProcessDispatcher, JobRunner
from cvlens.runtime import dispatch_after_commit, queued_on_commit
from tests.conftest import empty_tables


@pytest.fixture
async def sessionmaker(engine: AsyncEngine) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    table = Job.__table__
    assert isinstance(table, Table)
    async with engine.begin() as conn:
        await conn.run_sync(lambda c: table.create(c, checkfirst=True))
    yield create_sessionmaker(engine)
    await empty_tables(engine)


def _dispatcher(sessionmaker: async_sessionmaker[AsyncSession]) -> InProcessDispatcher:
    runner = JobRunner(JobStore(sessionmaker, lease_seconds=30), MemoryEventBus(), {})
    return InProcessDispatcher(runner, concurrency=1)  # never started: the queue is inspected


def _queued(dispatcher: InProcessDispatcher) -> list[uuid.UUID]:
    return [dispatcher.queue.get_nowait() for _ in range(dispatcher.queue.qsize())]


async def _create(
    sessionmaker: async_sessionmaker[AsyncSession], dispatcher: InProcessDispatcher, *, commit: bool
) -> tuple[uuid.UUID, BackgroundTasks]:
    background = BackgroundTasks()
    async with sessionmaker() as session:
        job = new_job("test", {}, max_attempts=3, published=queued_on_commit(dispatcher))
        session.add(job)
        await session.flush()
        dispatch_after_commit(session, dispatcher, dispatcher.runner.store, background, job.id)
        assert _queued(dispatcher) == [], "queued before the row was committed"
        if commit:
            await session.commit()
        else:
            await session.rollback()
    return job.id, background


async def test_commit_queues_the_job_once_and_it_is_already_published(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    dispatcher = _dispatcher(sessionmaker)
    job_id, background = await _create(sessionmaker, dispatcher, commit=True)
    assert _queued(dispatcher) == [job_id]
    assert background.tasks == [], "no second write after the response"
    async with sessionmaker() as session:
        job = (await session.execute(select(Job).where(Job.id == job_id))).scalar_one()
    assert job.published_at == job.created_at, "recorded as published by the creating commit"

    async with sessionmaker() as session:  # a later commit of another session queues nothing
        await session.commit()
    assert _queued(dispatcher) == []


async def test_rolled_back_creation_queues_nothing(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    dispatcher = _dispatcher(sessionmaker)
    job_id, _ = await _create(sessionmaker, dispatcher, commit=False)
    assert _queued(dispatcher) == []
    async with sessionmaker() as session:
        assert await session.get(Job, job_id) is None
