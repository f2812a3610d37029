"""The long-lived objects one process needs, built from settings in one place.

The API's lifespan and `cvlens worker` both open the same `Resources`, so a job runs the
same way in the API process (embedded default) as in a separate worker (scale-out).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from cvlens.platform import readiness
from cvlens.platform.cpu import CpuPool
from cvlens.platform.db import create_engine, create_sessionmaker
from cvlens.platform.events import EventBus, create_event_bus
from cvlens.platform.jobs import JobStore
from cvlens.platform.storage import ObjectBlobStore, create_blob_store
from cvlens.settings import Settings

# Imported once by the CPU pool's fork server, so pool processes start warm.
ENGINE_MODULES = ("cvlens.analysis.pipeline",)
ENGINE_WARM_UP = "cvlens.analysis.pipeline:warm_up"


@dataclass
class Resources:
    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    blobs: ObjectBlobStore
    events: EventBus
    jobs: JobStore
    cpu: CpuPool

    def readiness_checks(self) -> readiness.ReadinessChecks:
        checks = readiness.ReadinessChecks()
        checks.add("database", readiness.database_probe(self.engine))
        checks.add("storage", self.blobs.probe)
        if self.settings.redis_url:
            checks.add("redis", readiness.redis_probe(self.settings.redis_url))
        broker = self.settings.broker_url
        if broker:
            probe = readiness.amqp_probe if broker.startswith("amqp") else readiness.redis_probe
            checks.add("broker", probe(broker))
        return checks


@asynccontextmanager
async def open_resources(settings: Settings) -> AsyncIterator[Resources]:
    engine = create_engine(settings)
    sessionmaker = create_sessionmaker(engine)
    events = create_event_bus(settings.redis_url)
    cpu = CpuPool(settings.worker_concurrency, preload=ENGINE_MODULES, warm_up=ENGINE_WARM_UP)
    resources = Resources(
        settings=settings,
        engine=engine,
        sessionmaker=sessionmaker,
        blobs=create_blob_store(settings),
        events=events,
        jobs=JobStore(sessionmaker, settings.job_lease_seconds),
        cpu=cpu,
    )
    try:
        await cpu.start()
        yield resources
    finally:
        cpu.close()
        await events.close()
        await engine.dispose()


async def _resources(request: Request) -> Resources:
    # async: FastAPI runs a plain `def` dependency on a worker thread (a hop per request).
    resources: Resources = request.app.state.resources
    return resources


ResourcesDep = Annotated[Resources, Depends(_resources)]
