"""Job runtime wiring (composition root): which handlers exist, and who runs them.

- No `CVLENS_BROKER_URL` (embedded default): the API process runs jobs itself, on an
  asyncio queue, and sweeps for lost ones.
- With a broker: the API only publishes; `cvlens worker` processes receive and run jobs,
  and sweep for jobs whose message or worker was lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Annotated, TypeGuard

import structlog
from fastapi import BackgroundTasks, Depends, Request
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession

from cvlens.features.analyses.handler import analysis_handler
from cvlens.features.analyses.service import ANALYSIS_JOB
from cvlens.platform.broker import BrokerDispatcher, create_broker, register_job_task
from cvlens.platform.jobs import Dispatcher, JobStore
from cvlens.platform.resources import Resources
from cvlens.platform.worker import (
    InProcessDispatcher,
    JobHandler,
    JobRunner,
    sweep,
    sweep_forever,
)

log = structlog.get_logger("cvlens.jobs")


def job_handlers(resources: Resources) -> dict[str, JobHandler]:
    return {ANALYSIS_JOB: analysis_handler(resources)}


def _stale(resources: Resources) -> timedelta:
    return timedelta(seconds=5 * resources.settings.job_lease_seconds)


async def publish_now(dispatcher: Dispatcher, jobs: JobStore, job_id: uuid.UUID) -> None:
    """Publish after the creating transaction committed; on failure the sweeper retries."""
    try:
        await dispatcher.publish(job_id)
    except Exception:
        log.warning("job_publish_deferred", job_id=str(job_id), exc_info=True)
        return
    await jobs.mark_published([job_id])


async def _dispatcher(request: Request) -> Dispatcher:
    dispatcher: Dispatcher = request.app.state.dispatcher
    return dispatcher


DispatcherDep = Annotated[Dispatcher, Depends(_dispatcher)]
"""Whoever runs this app's jobs: the in-process worker or the broker (set at start-up)."""


def queued_on_commit(dispatcher: Dispatcher) -> TypeGuard[InProcessDispatcher]:
    """True when `dispatch_after_commit` hands the job over at commit, to a queue in this
    process's memory: that cannot fail while the process lives, and every queued job is
    sent again when the process starts (its queue died with it). Such a job is created as
    published, instead of being marked by a second write after the hand-over."""
    return isinstance(dispatcher, InProcessDispatcher)


def dispatch_after_commit(
    session: AsyncSession,
    dispatcher: Dispatcher,
    jobs: JobStore,
    background: BackgroundTasks,
    job_id: uuid.UUID,
) -> None:
    """Hand the job to whoever runs it once the request's transaction has committed.

    In process, the job is queued by the commit itself (a worker task starts it while the
    response is still being sent); the job row was created as published, so there is no
    second write. A broker publish is network I/O that may fail: it runs after the response
    and records `published_at` only when the broker took the message (else the sweeper
    retries).
    """
    if queued_on_commit(dispatcher):
        queue_job = dispatcher.submit
        event.listen(session.sync_session, "after_commit", lambda _: queue_job(job_id), once=True)
        return
    background.add_task(publish_now, dispatcher, jobs, job_id)


def _start_sweeper(resources: Resources, dispatcher: Dispatcher) -> asyncio.Task[None]:
    """Re-send queued jobs whose message may be lost and jobs whose lease expired."""
    return asyncio.create_task(
        sweep_forever(
            resources.jobs,
            dispatcher,
            resources.events,
            interval=resources.settings.job_sweep_seconds,
            stale=_stale(resources),
        )
    )


async def _stop(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


@contextlib.asynccontextmanager
async def api_job_runtime(resources: Resources) -> AsyncIterator[Dispatcher]:
    settings = resources.settings
    if settings.broker_url:
        broker = create_broker(
            settings.broker_url, settings.broker_queue, prefetch=settings.worker_concurrency
        )
        try:
            await broker.startup()
        except Exception:
            log.warning("broker_unreachable_at_start", exc_info=True)
        try:
            yield BrokerDispatcher(broker)
        finally:
            await broker.shutdown()
        return
    runner = JobRunner(resources.jobs, resources.events, job_handlers(resources))
    dispatcher = InProcessDispatcher(runner, settings.worker_concurrency)
    dispatcher.start()
    # Every queued job's in-memory message died with the previous process: resend them all.
    await sweep(resources.jobs, dispatcher, resources.events, stale=timedelta(0))
    sweeper = _start_sweeper(resources, dispatcher)
    try:
        yield dispatcher
    finally:
        await _stop(sweeper)
        await dispatcher.stop()


async def run_worker(resources: Resources) -> None:
    """`cvlens worker`: receive "run job N" from the broker until cancelled."""
    from taskiq.api import run_receiver_task

    settings = resources.settings
    if not settings.broker_url:
        raise RuntimeError("cvlens worker needs CVLENS_BROKER_URL (amqp://… or redis://…)")
    broker = create_broker(
        settings.broker_url, settings.broker_queue, prefetch=settings.worker_concurrency
    )
    runner = JobRunner(resources.jobs, resources.events, job_handlers(resources))
    register_job_task(broker, runner.run)
    broker.is_worker_process = True
    await broker.startup()
    dispatcher = BrokerDispatcher(broker)
    sweeper = _start_sweeper(resources, dispatcher)
    log.info("worker_started", worker=runner.name, queue=settings.broker_queue)
    try:
        await run_receiver_task(broker, max_async_tasks=settings.worker_concurrency)
    finally:
        await _stop(sweeper)
        await broker.shutdown()
