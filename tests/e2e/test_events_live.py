"""Progress events over real HTTP and WebSocket on loopback, and across replicas via Redis."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import websockets
from sqlalchemy.ext.asyncio import create_async_engine
from websockets.exceptions import ConnectionClosed

from cvlens.app import create_app
from cvlens.platform.events import RedisEventBus
from tests.conftest import Database, empty_tables, make_settings
from tests.integration.pipeline.conftest import RESUMES, sign_up
from tests.live_server import live_server
from tests.services import REDIS_URL, require


@pytest.fixture(autouse=True)
async def _empty_database_afterwards(sqlite_database: Database) -> AsyncIterator[None]:
    yield
    engine = create_async_engine(sqlite_database.url)
    await empty_tables(engine)
    await engine.dispose()


async def _start_analysis(base: str) -> tuple[dict[str, str], str]:
    async with httpx.AsyncClient(base_url=base) as client:
        user = await sign_up(client)
        files = {"file": ("jane_doe.pdf", (RESUMES / "jane_doe.pdf").read_bytes())}
        resume = (await client.post("/api/v1/resumes", files=files, headers=user)).json()
        created = await client.post(
            "/api/v1/analyses", json={"resume_id": resume["id"]}, headers=user
        )
        return user, created.json()["id"]


def _ws_url(base: str, analysis_id: str) -> str:
    return base.replace("http://", "ws://") + f"/api/v1/analyses/{analysis_id}/events"


async def _collect(url: str, **kwargs: object) -> tuple[list[dict[str, object]], int | None]:
    events = []
    async with websockets.connect(url, **kwargs) as socket:  # type: ignore[arg-type]
        try:
            async for message in socket:
                events.append(json.loads(message))
        except ConnectionClosed:
            pass
        return events, socket.close_code


async def test_websocket_follows_an_analysis_to_the_end(
    sqlite_database: Database, tmp_path: Path
) -> None:
    settings = make_settings(sqlite_database, tmp_path, analysis_stage_delay_seconds=0.2)
    with live_server(create_app(settings)) as base:
        user, analysis_id = await _start_analysis(base)
        token = user["Authorization"].removeprefix("Bearer ")
        events, code = await _collect(_ws_url(base, analysis_id), subprotocols=["bearer", token])
        assert code == 1000
        assert events[-1]["status"] == "succeeded"
        assert all(e["id"] == analysis_id for e in events)
        progress = [e["progress"] for e in events]
        assert progress == sorted(progress)

        late, _ = await _collect(_ws_url(base, analysis_id) + f"?access_token={token}")
        assert late == [
            {"id": analysis_id, "status": "succeeded", "progress": 100, "stage": "done"}
        ]


async def test_websocket_refuses_bad_tokens_and_strangers(
    sqlite_database: Database, tmp_path: Path
) -> None:
    with live_server(create_app(make_settings(sqlite_database, tmp_path))) as base:
        _, analysis_id = await _start_analysis(base)
        no_token, code = await _collect(_ws_url(base, analysis_id))
        assert (no_token, code) == ([], 4401)
        forged, code = await _collect(_ws_url(base, analysis_id) + "?access_token=not.a.jwt")
        assert (forged, code) == ([], 4401)
        async with httpx.AsyncClient(base_url=base) as client:
            stranger = await sign_up(client)
        token = stranger["Authorization"].removeprefix("Bearer ")
        theirs, code = await _collect(_ws_url(base, analysis_id) + f"?access_token={token}")
        assert (theirs, code) == ([], 4404)


async def test_redis_bus_carries_events_between_processes_replicas() -> None:
    require("Redis")
    publisher, subscriber = RedisEventBus(REDIS_URL), RedisEventBus(REDIS_URL)
    channel = f"job:{uuid.uuid4()}"
    try:
        async with subscriber.subscribe(channel) as subscription:
            await publisher.publish(channel, {"status": "running", "progress": 30})
            event = await subscription.get(wait_seconds=5)
        assert event == {"status": "running", "progress": 30}
    finally:
        await publisher.close()
        await subscriber.close()


async def test_sse_on_one_replica_sees_a_job_run_by_another(
    sqlite_database: Database, tmp_path: Path
) -> None:
    """Two API apps share Redis: the one that did not run the job streams its progress.

    The viewer re-reads the row only every 60 s, so every intermediate event it shows
    came over Redis pub/sub from the replica running the job.
    """
    require("Redis")
    settings = make_settings(
        sqlite_database,
        tmp_path,
        redis_url=REDIS_URL,
        redis_key_prefix=f"t{uuid.uuid4().hex[:6]}:",
        analysis_stage_delay_seconds=0.5,
    )
    viewer_settings = settings.model_copy(update={"events_poll_seconds": 60.0})
    with (
        live_server(create_app(settings)) as runner,
        live_server(create_app(viewer_settings)) as viewer,
    ):
        user, analysis_id = await _start_analysis(runner)
        seen = []
        async with (
            httpx.AsyncClient(base_url=viewer, timeout=30) as client,
            client.stream(
                "GET",
                f"/api/v1/analyses/{analysis_id}/events",
                headers={**user, "Accept": "text/event-stream"},
            ) as response,
        ):
            async for line in response.aiter_lines():
                if line.startswith("data: "):
                    seen.append(json.loads(line.removeprefix("data: ")))
        assert seen[-1]["status"] == "succeeded"
        assert "saving" in {e["stage"] for e in seen}, seen
