"""Shared flag state: two gateways on one Redis, and the SQLite store."""

from __future__ import annotations

import asyncio
import sqlite3
import time
import uuid
from pathlib import Path

import redis.asyncio as aioredis

from cutover.config import Mode, Route
from cutover.flags import Flags, SQLiteStore
from tests.cutover.conftest import StartGateway, make_config
from tests.cutover.servers import Backend
from tests.services import REDIS_URL, require


async def test_rollback_on_one_gateway_reaches_the_other_within_a_second(
    legacy: Backend, new: Backend, start_gateway: StartGateway
) -> None:
    require("Redis")
    prefix = f"cutover-test-{uuid.uuid4().hex}"
    routes = [{"name": "api", "path": "/api/{rest:path}", "mode": "new"}]
    state = {"backend": "redis", "url": REDIS_URL, "key_prefix": prefix}
    first = start_gateway(make_config(legacy.url, new.url, routes=routes, state=state))
    second = start_gateway(make_config(legacy.url, new.url, routes=routes, state=state))
    try:
        assert (await second.client.get("/api/x")).headers["x-cutover-backend"] == "new"
        answer = await first.admin.post("/api/rollback", json={"route": "api"})
        assert answer.status_code == 200
        deadline = time.monotonic() + 1.0
        while (await second.client.get("/api/x")).headers["x-cutover-backend"] != "legacy":
            assert time.monotonic() < deadline, "the rollback did not reach the other replica"
            await asyncio.sleep(0.01)
        events = (await second.admin.get("/api/events")).json()
        assert events[0]["kind"] == "rollback" and events[0]["route"] == "api"
        await second.admin.put("/api/routes/api", json={"mode": "canary", "percent": 5})
        deadline = time.monotonic() + 1.0
        while True:
            status = (await first.admin.get("/api/status")).json()["routes"][0]
            if (status["mode"], status["percent"]) == ("canary", 5):
                break
            assert time.monotonic() < deadline, "the change did not reach the first replica"
            await asyncio.sleep(0.01)
    finally:
        client = aioredis.Redis.from_url(REDIS_URL)
        await client.delete(f"{prefix}:routes", f"{prefix}:events")
        await client.aclose()


async def test_sqlite_store_persists_and_propagates(tmp_path: Path) -> None:
    path = str(tmp_path / "state.sqlite3")
    routes = [Route(name="api", mode=Mode.NEW)]
    one, two = Flags(routes, SQLiteStore(path)), Flags(routes, SQLiteStore(path))
    await one.start()
    await two.start()
    try:
        await one.rollback(["api"], actor="test")
        deadline = time.monotonic() + 5
        while two.get("api").mode is not Mode.LEGACY:
            assert time.monotonic() < deadline
            await asyncio.sleep(0.05)
        assert [e.kind for e in await two.events()] == ["rollback"]
    finally:
        await one.store.close()
        await two.store.close()
    reopened = Flags(routes, SQLiteStore(path))
    await reopened.refresh()
    assert reopened.get("api").mode is Mode.LEGACY
    await reopened.store.close()


async def test_sqlite_store_sees_a_change_made_right_after_it_started(tmp_path: Path) -> None:
    """A change committed before the poll task's first turn is still a change."""
    path = str(tmp_path / "state.sqlite3")
    store = SQLiteStore(path)
    changed = asyncio.Event()

    async def on_change() -> None:
        changed.set()

    await store.start(on_change)
    writer = sqlite3.connect(path)
    with writer:
        writer.execute("INSERT INTO route_state VALUES ('api', '{}')")
    writer.close()
    try:
        await asyncio.wait_for(changed.wait(), timeout=5)
    finally:
        await store.close()
