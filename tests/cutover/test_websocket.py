"""WebSockets through the gateway: both directions, subprotocol, close codes."""

from __future__ import annotations

import asyncio
import time

import websockets
from websockets.exceptions import ConnectionClosed

from tests.cutover.conftest import StartGateway, make_config
from tests.cutover.servers import Backend, free_port


def ws_url(http_url: str) -> str:
    return "ws" + http_url[4:] + "/ws/echo"


async def test_echo_both_directions_with_backend_header(
    legacy: Backend, new: Backend, start_gateway: StartGateway
) -> None:
    routes = [{"name": "ws", "path": "/ws/{rest:path}", "mode": "new"}]
    gw = start_gateway(make_config(legacy.url, new.url, routes=routes))
    async with websockets.connect(ws_url(gw.url), subprotocols=["chat.v1"]) as ws:  # type: ignore[list-item]
        assert ws.response is not None
        assert ws.response.headers["x-cutover-backend"] == "new"
        assert ws.subprotocol == "chat.v1"
        await ws.send("hello")
        assert await ws.recv() == "new:hello"
        await ws.send(b"\x01\x02\x03")
        assert await ws.recv() == b"\x03\x02\x01"


async def test_backend_close_code_reaches_the_client(
    legacy: Backend, new: Backend, start_gateway: StartGateway
) -> None:
    gw = start_gateway(make_config(legacy.url, new.url))
    async with websockets.connect(ws_url(gw.url)) as ws:
        await ws.send("close:4001")
        try:
            await ws.recv()
        except ConnectionClosed as closed:
            assert closed.rcvd is not None
            assert closed.rcvd.code == 4001
        else:
            raise AssertionError("the connection should have been closed")


async def test_new_refusing_the_handshake_falls_back_to_legacy(
    legacy: Backend, start_gateway: StartGateway
) -> None:
    down = f"http://127.0.0.1:{free_port()}"
    routes = [{"name": "ws", "path": "/ws/{rest:path}", "mode": "new"}]
    gw = start_gateway(make_config(legacy.url, down, routes=routes))
    async with websockets.connect(ws_url(gw.url)) as ws:
        assert ws.response is not None
        assert ws.response.headers["x-cutover-backend"] == "legacy"
        await ws.send("ping")
        assert await ws.recv() == "legacy:ping"


async def test_client_close_code_reaches_the_backend(
    legacy: Backend, new: Backend, start_gateway: StartGateway
) -> None:
    gw = start_gateway(make_config(legacy.url, new.url))
    async with websockets.connect(ws_url(gw.url)) as ws:
        await ws.send("hi")
        assert await ws.recv() == "legacy:hi"
        await ws.close(code=4002, reason="bye")
    deadline = time.monotonic() + 5
    while 4002 not in legacy.ws_close_codes:
        assert time.monotonic() < deadline, legacy.ws_close_codes
        await asyncio.sleep(0.02)
