"""The HTTP protocol `cutover serve` runs: uvicorn's, with one write per small answer.

uvicorn writes a response's head as soon as the application sends
`http.response.start` and the body on the next message: two `send` system calls and,
on loopback or a LAN, two TCP segments for an answer that fits in one. Profiling the
gateway under `wrk` (docs/cutover.md) put those two writes at about a third of its CPU.
Here the head of an answer with a declared `Content-Length` of at most
`COALESCE_LIMIT` bytes is held until the body's first message and written together with
it. Everything else (streamed and chunked answers, HEAD, 1xx, WebSocket upgrades,
keep-alive, flow control, errors) is uvicorn's own code path, unchanged.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, cast

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol, RequestResponseCycle

if TYPE_CHECKING:
    from uvicorn._types import ASGISendEvent

COALESCE_LIMIT = 65536


def _declared_small(message: Any) -> bool:
    """True for a start message whose Content-Length is at most COALESCE_LIMIT."""
    for name, value in message.get("headers", ()):
        if len(name) == 14 and name.lower() == b"content-length":
            return bool(value.isdigit()) and int(value) <= COALESCE_LIMIT
    return False


class _HeadCollector:
    """Stands in for the transport while uvicorn formats a response head."""

    __slots__ = ("data",)

    def __init__(self) -> None:
        self.data = b""

    def write(self, data: bytes) -> None:
        self.data += data


class _HeadPrefixed:
    """Stands in for the transport while uvicorn writes the body: the held head goes first."""

    __slots__ = ("_head", "_transport")

    def __init__(self, transport: asyncio.Transport, head: bytes) -> None:
        self._transport = transport
        self._head = head

    def write(self, data: bytes) -> None:
        head, self._head = self._head, b""
        self._transport.write(head + data if head else data)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def flush(self) -> None:
        if self._head:
            self.write(b"")


class _CoalescingCycle(RequestResponseCycle):
    """uvicorn's request/response cycle with the head of a small answer held back."""

    _held_head: bytes | None = None  # uvicorn builds the instance; this is its default

    async def send(self, message: ASGISendEvent) -> None:
        if self._held_head is not None:
            await self._send_with_head(message, self._held_head)
        elif (
            message["type"] == "http.response.start"
            and not self.response_started
            and self.scope["method"] != "HEAD"
            and _declared_small(message)
        ):
            await self._drain()
            transport, collector = self.transport, _HeadCollector()
            self.transport = cast(asyncio.Transport, collector)
            try:
                await super().send(message)
            finally:
                self.transport = transport
            if collector.data:
                self._held_head = collector.data
        else:
            await super().send(message)

    async def _send_with_head(self, message: ASGISendEvent, head: bytes) -> None:
        self._held_head = None
        await self._drain()
        transport = self.transport
        prefixed = _HeadPrefixed(transport, head)
        self.transport = cast(asyncio.Transport, prefixed)
        try:
            await super().send(message)
        finally:
            self.transport = transport
        if not transport.is_closing():
            prefixed.flush()  # a body message that wrote nothing (e.g. the client left)

    async def _drain(self) -> None:
        """Wait out write back-pressure before a stand-in transport is put in place.

        uvicorn's `send` awaits only for back-pressure, before it writes; with that done
        here it runs through without yielding, so nothing else can write meanwhile.
        """
        if self.flow.write_paused and not self.disconnected:
            await self.flow.drain()


class GatewayHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with `_CoalescingCycle` as its request/response cycle."""

    def on_headers_complete(self) -> None:
        previous = self.cycle
        super().on_headers_complete()
        cycle = self.cycle
        if cycle is not previous and cycle is not None:
            # uvicorn instantiates the cycle itself; the subclass only overrides `send`
            cycle.__class__ = _CoalescingCycle


SERVER_OPTIONS: dict[str, Any] = {
    "loop": "uvloop",
    "http": "cutover.server:GatewayHttpProtocol",
    "access_log": False,
    "proxy_headers": False,
    "server_header": False,
    "date_header": False,
}
"""uvicorn settings of `cutover serve` (and of the gateway tests).

No `server`/`date` of uvicorn's own: a proxied answer carries the backend's, and two
`Date` fields in one response are invalid (RFC 9110 §6.6.1); the gateway dates the
answers it makes itself (`cutover.app`).
"""
