"""Rate limits on register and token: per process in memory, shared across replicas in Redis."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from pathlib import Path

import httpx
import pytest
import redis.asyncio as aioredis
from fastapi import FastAPI

from cvlens.app import create_app
from cvlens.settings import Settings
from tests.conftest import Database, empty_tables, make_settings
from tests.integration.auth.helpers import PASSWORD, assert_problem, unique_email
from tests.services import REDIS_URL, require


async def _started(stack: AsyncExitStack, settings: Settings) -> httpx.AsyncClient:
    app = create_app(settings)
    await stack.enter_async_context(app.router.lifespan_context(app))
    stack.push_async_callback(_empty_tables, app)
    transport = httpx.ASGITransport(app=app)
    return await stack.enter_async_context(
        httpx.AsyncClient(transport=transport, base_url="http://t")
    )


async def _empty_tables(app: FastAPI) -> None:
    await empty_tables(app.state.engine)


async def _register(client: httpx.AsyncClient) -> httpx.Response:
    return await client.post(
        "/api/v1/auth/register", json={"email": unique_email(), "password": PASSWORD}
    )


def _assert_429(response: httpx.Response) -> None:
    body = assert_problem(response, 429)
    assert body["type"].endswith("/too-many-requests")
    assert 1 <= int(response.headers["retry-after"]) <= 60


async def test_token_endpoint_limit_in_memory(database: Database, tmp_path: Path) -> None:
    settings = make_settings(
        database, tmp_path, password_hash_cost="low", rate_limit_token="3/minute"
    )
    async with AsyncExitStack() as stack:
        client = await _started(stack, settings)
        form = {"username": unique_email(), "password": "wrong password 123"}
        for _ in range(3):
            assert_problem(await client.post("/api/v1/auth/token", data=form), 401)
        _assert_429(await client.post("/api/v1/auth/token", data=form))


@pytest.fixture
async def redis_prefix() -> AsyncIterator[str]:
    require("Redis")
    prefix = f"cvlens-test-{uuid.uuid4().hex[:12]}"
    yield prefix
    client = aioredis.Redis.from_url(REDIS_URL)
    try:
        keys = [key async for key in client.scan_iter(match=f"{prefix}*")]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()


async def test_register_limit_is_shared_by_two_instances_through_redis(
    database: Database, tmp_path: Path, redis_prefix: str
) -> None:
    def settings(name: str) -> Settings:
        return make_settings(
            database,
            tmp_path / name,
            password_hash_cost="low",
            redis_url=REDIS_URL,
            redis_key_prefix=redis_prefix,
            rate_limit_register="3/minute",
        )

    async with AsyncExitStack() as stack:
        first = await _started(stack, settings("a"))
        second = await _started(stack, settings("b"))
        assert (await _register(first)).status_code == 201
        assert (await _register(second)).status_code == 201
        assert (await _register(first)).status_code == 201
        _assert_429(await _register(second))
        _assert_429(await _register(first))
    client = aioredis.Redis.from_url(REDIS_URL)
    try:
        assert [key async for key in client.scan_iter(match=f"{redis_prefix}*")]
    finally:
        await client.aclose()


async def test_limits_count_per_replica_without_redis(database: Database, tmp_path: Path) -> None:
    """Memory storage: each process has its own allowance (the embedded default)."""
    values = {"password_hash_cost": "low", "rate_limit_register": "1/minute"}
    async with AsyncExitStack() as stack:
        first = await _started(stack, make_settings(database, tmp_path / "a", **values))
        second = await _started(stack, make_settings(database, tmp_path / "b", **values))
        assert (await _register(first)).status_code == 201
        assert (await _register(second)).status_code == 201
        _assert_429(await _register(first))
