"""Fixtures: real legacy/new backends and gateways served by uvicorn on loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest
import yaml

from cutover.app import Gateway
from cutover.config import GatewayConfig, parse_config
from cutover.server import SERVER_OPTIONS
from tests.cutover.servers import Backend, ServerThread

ADMIN_TOKEN = "test-admin-token"


@pytest.fixture
def legacy() -> Iterator[Backend]:
    backend = Backend("legacy")
    server = ServerThread(backend.app).start()
    backend.url = server.url
    yield backend
    server.stop()


@pytest.fixture
def new() -> Iterator[Backend]:
    backend = Backend("new")
    server = ServerThread(backend.app).start()
    backend.url = server.url
    yield backend
    server.stop()


def make_config(legacy_url: str, new_url: str, **overrides: Any) -> GatewayConfig:
    data: dict[str, Any] = {
        "legacy": {"url": legacy_url, "timeouts": {"connect": 1, "read": 5}},
        "new": {"url": new_url, "timeouts": {"connect": 1, "read": 5}},
        "admin": {"token": ADMIN_TOKEN},
        "routes": [],
    }
    data.update(overrides)
    return parse_config(yaml.safe_dump(data))


class RunningGateway:
    def __init__(self, gateway: Gateway, server: ServerThread) -> None:
        self.gateway = gateway
        self.server = server
        self.url = server.url
        self.client = httpx.AsyncClient(base_url=server.url, timeout=10)
        self.admin = httpx.AsyncClient(
            base_url=server.url + "/_cutover",
            headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
            timeout=10,
        )

    async def close(self) -> None:
        await self.client.aclose()
        await self.admin.aclose()
        self.server.stop()


StartGateway = Callable[[GatewayConfig], RunningGateway]


@pytest.fixture
async def start_gateway() -> AsyncIterator[StartGateway]:
    running: list[RunningGateway] = []

    def start(config: GatewayConfig) -> RunningGateway:
        gateway = Gateway(config)
        # the server settings of `cutover serve`, so every gateway test goes through them
        item = RunningGateway(gateway, ServerThread(gateway, **SERVER_OPTIONS).start())
        running.append(item)
        return item

    yield start
    for item in running:
        await item.close()
