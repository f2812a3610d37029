"""WebSocket proxying: both directions, close codes passed through.

The side is chosen like an HTTP request's (override, mode, sticky bucket; shadow mode
serves legacy, WebSockets are not mirrored). When new refuses the handshake on a
canary/new route, legacy is tried. The client's handshake is accepted only once the
backend accepted, with the backend's chosen subprotocol and `X-Cutover-Backend`.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING

import aiohttp
from yarl import URL

from cutover.config import Backend, Mode

if TYPE_CHECKING:
    from cutover.app import Gateway, Receive, Scope, Send

_SKIP = frozenset({"sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions"})
_SKIP_PROTOCOL = "sec-websocket-protocol"
# codes that must never be sent in a close frame (RFC 6455 §7.4.1)
_RESERVED = {1005: 1000, 1006: 1011, 1015: 1011}


def _ws_url(backend: Backend, target: str) -> URL:
    base = "ws" + backend.url[4:] if backend.url.startswith("http") else backend.url
    return URL(base + target, encoded=True)


def _close_code(code: int | None) -> int:
    if code is None:
        return 1000
    return _RESERVED.get(code, code)


async def _connect(
    session: aiohttp.ClientSession,
    backend: Backend,
    target: str,
    headers: list[tuple[str, str]],
    protocols: list[str],
) -> aiohttp.ClientWebSocketResponse | None:
    try:
        return await session.ws_connect(
            _ws_url(backend, target),
            headers=headers,
            protocols=protocols,
            timeout=aiohttp.ClientWSTimeout(ws_receive=None, ws_close=backend.timeouts.connect),
            autoping=True,
            max_msg_size=0,
        )
    except (TimeoutError, aiohttp.ClientError, OSError):
        return None


async def proxy_websocket(gateway: Gateway, scope: Scope, receive: Receive, send: Send) -> None:
    message = await receive()
    if message["type"] != "websocket.connect":
        return
    route = gateway.router.match("GET", scope["path"])
    backend, _mirror, set_cookie = gateway.choose(route, scope)
    target = gateway.target(scope)
    headers = [
        (name, value)
        for name, value in (
            (raw_name.decode("latin-1"), raw_value.decode("latin-1"))
            for raw_name, raw_value in gateway.forward_headers(scope, False)[0]
        )
        if name.lower() not in _SKIP and name.lower() != _SKIP_PROTOCOL
    ]
    protocols = list(scope.get("subprotocols") or [])
    config = gateway.config
    session = gateway.websocket_session()
    upstream = await _connect(
        session, config.new if backend == "new" else config.legacy, target, headers, protocols
    )
    mode = gateway.flags.get(route.name).mode
    if upstream is None and backend == "new" and mode in (Mode.CANARY, Mode.NEW):
        gateway.metrics.fallbacks.labels(route.name).inc()
        backend = "legacy"
        upstream = await _connect(session, config.legacy, target, headers, protocols)
    if upstream is None:
        gateway.metrics.error(route.name, backend)
        await send({"type": "websocket.close", "code": 1011})
        return
    accept_headers = [(b"x-cutover-backend", backend.encode())]
    if set_cookie is not None:
        accept_headers.append((b"set-cookie", set_cookie))
    await send(
        {"type": "websocket.accept", "subprotocol": upstream.protocol, "headers": accept_headers}
    )
    await _pump(upstream, receive, send)


async def _pump(upstream: aiohttp.ClientWebSocketResponse, receive: Receive, send: Send) -> None:
    async def client_to_backend() -> None:
        while True:
            message = await receive()
            if message["type"] == "websocket.disconnect":
                await upstream.close(code=_close_code(message.get("code")))
                return
            if message.get("text") is not None:
                await upstream.send_str(message["text"])
            elif message.get("bytes") is not None:
                await upstream.send_bytes(message["bytes"])

    async def backend_to_client() -> None:
        async for frame in upstream:
            if frame.type == aiohttp.WSMsgType.TEXT:
                await send({"type": "websocket.send", "text": frame.data})
            elif frame.type == aiohttp.WSMsgType.BINARY:
                await send({"type": "websocket.send", "bytes": frame.data})
            else:
                break
        reason = upstream.close_code
        await send({"type": "websocket.close", "code": _close_code(reason)})

    tasks = [asyncio.create_task(client_to_backend()), asyncio.create_task(backend_to_client())]
    try:
        done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        for task in pending:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        for task in done:
            with contextlib.suppress(Exception):
                task.result()
    finally:
        await upstream.close()
