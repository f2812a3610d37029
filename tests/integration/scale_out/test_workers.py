"""The scale-out stack for real: PostgreSQL, RabbitMQ (or Redis) brokers, `cvlens worker`
processes, two API app instances, Redis progress fan-out."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from cvlens.app import create_app
from cvlens.features.analyses.models import Analysis
from cvlens.platform.jobs import Job
from cvlens.settings import Settings
from tests.conftest import Database, make_settings
from tests.integration.pipeline.conftest import RESUMES, sign_up, upload, upload_bytes
from tests.services import RABBITMQ_URL, REDIS_URL, require

BIN = Path(sys.executable).parent


def _env(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CVLENS_")}
    for name, value in settings.model_dump(mode="json").items():
        if value is None:
            continue
        if name.endswith("key") and isinstance(value, str) and value.startswith("*"):
            continue
        env[f"CVLENS_{name.upper()}"] = value if isinstance(value, str) else _json(value)
    env["CVLENS_SECRET_KEY"] = settings.secret_key.get_secret_value()
    return env


def _json(value: Any) -> str:
    import json

    return json.dumps(value)


class Workers:
    def __init__(self, settings: Settings, log_dir: Path) -> None:
        self.settings = settings
        self.log_dir = log_dir
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self) -> subprocess.Popen[bytes]:
        log = (self.log_dir / f"worker-{len(self.processes)}.log").open("wb")
        process = subprocess.Popen(
            [BIN / "cvlens", "worker"], env=_env(self.settings), stdout=log, stderr=log
        )
        self.processes.append(process)
        return process

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture(params=["rabbitmq", "redis"])
def broker_url(request: pytest.FixtureRequest) -> str:
    if request.param == "rabbitmq":
        require("RabbitMQ")
        return RABBITMQ_URL
    require("Redis")
    return REDIS_URL


@pytest.fixture
def scale_settings(postgres_database: Database, tmp_path: Path, broker_url: str) -> Settings:
    require("Redis")
    return make_settings(
        postgres_database,
        tmp_path,
        broker_url=broker_url,
        broker_queue=f"cvlens.test.{uuid.uuid4().hex[:8]}",
        redis_url=REDIS_URL,
        job_lease_seconds=2,
        job_sweep_seconds=0.5,
        worker_concurrency=2,
        database_pool_size=4,
        redis_key_prefix=f"cvlens-test-{uuid.uuid4().hex[:8]}:",
        rate_limit_register="1000/minute",
    )


@pytest.fixture
def workers(scale_settings: Settings, tmp_path: Path) -> Iterator[Workers]:
    pool = Workers(scale_settings, tmp_path)
    yield pool
    pool.stop_all()


async def _clients(
    settings: Settings, count: int, stack: AsyncExitStack
) -> list[httpx.AsyncClient]:
    clients = []
    for n in range(count):
        app = create_app(settings)
        await stack.enter_async_context(app.router.lifespan_context(app))
        transport = httpx.ASGITransport(app=app)
        clients.append(
            await stack.enter_async_context(
                httpx.AsyncClient(transport=transport, base_url=f"http://api-{n}")
            )
        )
    return clients


async def _status(settings: Settings, analysis_id: str) -> Job:
    from cvlens.platform.db import create_engine, create_sessionmaker

    engine = create_engine(settings)
    try:
        async with create_sessionmaker(engine)() as session:
            job = await session.get(Job, uuid.UUID(analysis_id))
            assert job is not None
            return job
    finally:
        await engine.dispose()


async def _wait(predicate: Any, seconds: float, what: str) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not await predicate():
        assert asyncio.get_running_loop().time() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.1)


@pytest.fixture
async def cleanup_tables(scale_settings: Settings) -> AsyncIterator[None]:
    yield
    from cvlens.models import Base
    from cvlens.platform.db import create_engine

    engine = create_engine(scale_settings)
    async with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            await conn.execute(table.delete())
    await engine.dispose()


async def test_worker_killed_mid_job_is_replaced_and_job_completes_once(
    scale_settings: Settings, workers: Workers, cleanup_tables: None
) -> None:
    slow = scale_settings.model_copy(update={"analysis_stage_delay_seconds": 1.0})
    workers.settings = slow
    async with AsyncExitStack() as stack:
        (client,) = await _clients(slow, 1, stack)
        alice = await sign_up(client)
        resume = (await upload(client, alice, RESUMES / "jane_doe.pdf")).json()
        doomed = workers.start()
        analysis_id = (
            await client.post("/api/v1/analyses", json={"resume_id": resume["id"]}, headers=alice)
        ).json()["id"]

        async def running() -> bool:
            job = await _status(slow, analysis_id)
            return job.status == "running" and job.stage is not None

        await _wait(running, 60, "the first worker to start the job")
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(timeout=10)
        workers.start()

        async def finished() -> bool:
            return (await _status(slow, analysis_id)).status in ("succeeded", "failed")

        await _wait(finished, 90, "the replacement worker to finish the job")
        job = await _status(slow, analysis_id)
        assert (job.status, job.attempts) == ("succeeded", 2)
        done = (await client.get(f"/api/v1/analyses/{analysis_id}", headers=alice)).json()
        assert done["result"]["resume"]["basics"]["name"] == "Jane Doe"


async def test_fifty_concurrent_uploads_and_analyses_across_two_apps_and_two_workers(
    scale_settings: Settings, workers: Workers, cleanup_tables: None
) -> None:
    # A lease long enough that no job is taken over on a busy two-core machine: every
    # analysis must then run exactly once.
    scale_settings = scale_settings.model_copy(update={"job_lease_seconds": 15})
    workers.settings = scale_settings
    workers.start()
    workers.start()
    async with AsyncExitStack() as stack:
        apis = await _clients(scale_settings, 2, stack)
        users = [await sign_up(apis[n % 2]) for n in range(5)]

        async def one(n: int) -> tuple[int, str, dict[str, str]]:
            api, user = apis[n % 2], users[n % 5]
            text = f"Candidate {n}\nengineer{n}@example.com\nExperience\nBuilt system {n}\n"
            uploaded = await upload_bytes(api, user, text.encode(), f"cv-{n}.txt")
            assert uploaded.status_code == 201, uploaded.text
            created = await api.post(
                "/api/v1/analyses",
                json={"resume_id": uploaded.json()["id"], "job_description": "Python, SQL"},
                headers=user,
            )
            assert created.status_code == 202, created.text
            return n, created.json()["id"], user

        started = await asyncio.gather(*(one(n) for n in range(50)))
        ids = {analysis_id for _, analysis_id, _ in started}
        assert len(ids) == 50

        async def all_done() -> bool:
            from cvlens.platform.db import create_engine, create_sessionmaker

            engine = create_engine(scale_settings)
            try:
                async with create_sessionmaker(engine)() as session:
                    unfinished = await session.scalar(
                        select(func.count(Job.id)).where(
                            Job.id.in_([uuid.UUID(i) for i in ids]),
                            Job.status.not_in(["succeeded", "failed"]),
                        )
                    )
            finally:
                await engine.dispose()
            return unfinished == 0

        await _wait(all_done, 180, "50 analyses")
        for n, analysis_id, user in started:
            read = await apis[(n + 1) % 2].get(f"/api/v1/analyses/{analysis_id}", headers=user)
            body = read.json()
            assert body["status"] == "succeeded", body
            assert body["attempts"] == 1
            assert body["result"]["resume"]["basics"]["email"] == f"engineer{n}@example.com"

        from cvlens.platform.db import create_engine, create_sessionmaker

        engine = create_engine(scale_settings)
        async with create_sessionmaker(engine)() as session:
            assert await session.scalar(select(func.count(Job.id))) == 50
            assert (
                await session.scalar(
                    select(func.count(Analysis.id)).where(Analysis.result.is_not(None))
                )
                == 50
            )
        await engine.dispose()


async def test_jobs_queued_while_broker_was_down_are_sent_on_worker_start(
    scale_settings: Settings, workers: Workers, cleanup_tables: None
) -> None:
    unreachable = scale_settings.model_copy(
        update={
            "broker_url": scale_settings.broker_url.replace(":5672", ":1").replace(":6379", ":1")
        }
    )
    async with AsyncExitStack() as stack:
        (down_api,) = await _clients(unreachable, 1, stack)
        alice = await sign_up(down_api)
        resume = (await upload(down_api, alice, RESUMES / "jane_doe.txt")).json()
        created = await down_api.post(
            "/api/v1/analyses", json={"resume_id": resume["id"]}, headers=alice
        )
        assert created.status_code == 202
        analysis_id = created.json()["id"]
        job = await _status(scale_settings, analysis_id)
        assert job.status == "queued" and job.published_at is None

        workers.start()

        async def done() -> bool:
            return (await _status(scale_settings, analysis_id)).status == "succeeded"

        await _wait(done, 60, "the outbox job to run once a worker started")
