"""The httptools upstream client against a hand-written HTTP/1.1 server on loopback.

A raw asyncio server lets each test control the wire exactly: connections closed while
idle, HEAD answers, `100 Continue`, chunked bodies, a backend that never answers.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
import uvloop

from cutover.config import Backend, Timeouts
from cutover.fastclient import HttptoolsClient
from cutover.proxy import UpstreamError

Handler = Callable[[bytes, asyncio.StreamReader, asyncio.StreamWriter], Awaitable[bool]]
Serve = Callable[[Handler], Awaitable[tuple["RawServer", str]]]


class RawServer:
    """Reads request heads and lets `handler` write the answer; counts connections."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.connections = 0
        self.heads: list[bytes] = []
        self.bodies: list[bytes] = []
        self.server: asyncio.Server | None = None

    async def start(self) -> str:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        port = self.server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                self.heads.append(head)
                keep = await self.handler(head, reader, writer)
                await writer.drain()
                if not keep:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def stop(self) -> None:
        assert self.server is not None
        self.server.close()
        await self.server.wait_closed()


def ok(body: bytes = b'{"ok":true}') -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nX-Up: 1\r\n\r\n%b" % (len(body), body)


def client_for(url: str, read: float = 5.0) -> HttptoolsClient:
    return HttptoolsClient(Backend(url=url, timeouts=Timeouts(connect=1, read=read)))


@pytest.fixture
async def serve() -> AsyncIterator[Serve]:
    servers: list[RawServer] = []

    async def start(handler: Handler) -> tuple[RawServer, str]:
        server = RawServer(handler)
        servers.append(server)
        return server, await server.start()

    yield start
    for server in servers:
        await server.stop()


async def test_connections_are_reused_and_headers_pass_through(serve: Serve) -> None:
    async def handler(
        head: bytes, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bool:
        writer.write(ok())
        return True

    server, url = await serve(handler)
    client = client_for(url)
    for _ in range(3):
        response = await client.request("GET", "/a?b=1", [(b"Accept", b"x/y")], None)
        body, truncated = await response.read(1 << 16)
        response.release()
        assert (response.status, body, truncated) == (200, b'{"ok":true}', False)
        assert (b"X-Up", b"1") in response.headers
    await client.close()
    assert server.connections == 1
    assert server.heads[0].startswith(b"GET /a?b=1 HTTP/1.1\r\n")
    assert b"\r\nAccept: x/y\r\n" in server.heads[0]
    assert f"\r\nHost: {url.removeprefix('http://')}\r\n".encode() in server.heads[0]


async def test_a_pooled_connection_closed_by_the_backend_is_replaced(serve: Serve) -> None:
    async def handler(
        head: bytes, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bool:
        writer.write(ok())
        return False  # closes the connection without saying so

    server, url = await serve(handler)
    client = client_for(url)
    for _ in range(2):
        response = await client.request("GET", "/", [], None)
        assert (await response.read(1024))[0] == b'{"ok":true}'
        response.release()
        await asyncio.sleep(0.05)
    await client.close()
    assert server.connections == 2


async def test_bytes_sent_while_idle_do_not_spoil_the_next_answer(serve: Serve) -> None:
    """A connection's parser is used again for its next answer, unless stray bytes came."""
    stray_sent = asyncio.Event()

    async def handler(
        head: bytes, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bool:
        writer.write(ok())
        if head.startswith(b"GET /first "):
            await writer.drain()
            await asyncio.sleep(0.05)
            writer.write(b"HTTP/1.1 408 Request Ti")  # half an answer while idle
            await writer.drain()
            stray_sent.set()
        return True

    server, url = await serve(handler)
    client = client_for(url)
    for path in ("/first", "/second", "/third"):
        response = await client.request("GET", path, [], None)
        assert (response.status, (await response.read(1024))[0]) == (200, b'{"ok":true}')
        response.release()
        if path == "/first":  # the stray bytes are on their way before the next request
            await asyncio.wait_for(stray_sent.wait(), 10)
        await asyncio.sleep(0.1)
    await client.close()
    assert server.connections == 1


async def test_head_informational_and_chunked_answers(serve: Serve) -> None:
    async def handler(
        head: bytes, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bool:
        if head.startswith(b"HEAD"):
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n")
        elif head.startswith(b"PUT"):
            writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            size = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
            writer.write(ok(await reader.readexactly(size)))
        else:
            writer.write(
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                b"3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n"
            )
        return True

    _, url = await serve(handler)
    client = client_for(url)
    response = await client.request("HEAD", "/", [], None)
    assert response.status == 200
    assert await response.read(1024) == (b"", False)
    response.release()
    response = await client.request("PUT", "/", [(b"Expect", b"100-continue")], b"payload")
    assert (response.status, await response.read(1024)) == (200, (b"payload", False))
    response.release()
    response = await client.request("GET", "/", [], None)
    assert [chunk async for chunk in response.chunks()] in ([b"abcdefg"], [b"abc", b"defg"])
    response.release()
    await client.close()


async def test_a_streamed_request_body_goes_chunked(serve: Serve) -> None:
    received: list[bytes] = []

    async def handler(
        head: bytes, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bool:
        assert b"transfer-encoding: chunked" in head.lower()
        received.append(await reader.readuntil(b"0\r\n\r\n"))
        writer.write(ok())
        return True

    async def body() -> AsyncIterator[bytes]:
        yield b"hello "
        yield b"world"

    _, url = await serve(handler)
    client = client_for(url)
    response = await client.request("POST", "/", [], body())
    assert response.status == 200
    response.release()
    await client.close()
    assert received == [b"6\r\nhello \r\n5\r\nworld\r\n0\r\n\r\n"]


async def test_silent_backend_times_out_and_absent_backend_is_an_error(serve: Serve) -> None:
    async def handler(
        head: bytes, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bool:
        await asyncio.sleep(2)
        return False

    _, url = await serve(handler)
    client = client_for(url, read=0.2)
    with pytest.raises(UpstreamError) as raised:
        await client.request("GET", "/", [], None)
    assert raised.value.timeout
    await client.close()
    closed = client_for("http://127.0.0.1:9")
    with pytest.raises(UpstreamError) as refused:
        await closed.request("GET", "/", [], None)
    assert not refused.value.timeout
    await closed.close()


async def test_a_reused_connection_times_out_when_the_backend_goes_silent(
    serve: Serve,
) -> None:
    answered: list[bool] = []

    async def handler(
        head: bytes, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bool:
        if answered:
            await asyncio.sleep(2)  # the second request on the connection gets nothing
            return False
        answered.append(True)
        writer.write(ok())
        return True

    server, url = await serve(handler)
    client = client_for(url, read=0.3)
    response = await client.request("GET", "/", [], None)
    assert (await response.read(1024))[0] == b'{"ok":true}'
    response.release()
    started = time.monotonic()
    with pytest.raises(UpstreamError) as raised:
        await client.request("GET", "/", [], None)
    assert raised.value.timeout
    assert time.monotonic() - started < 1.5  # the read timeout, not the backend's 2 s
    assert server.connections == 1  # it was the pooled connection that timed out
    await client.close()


def test_the_client_runs_on_uvloop_as_cutover_serve_does() -> None:
    async def handler(
        head: bytes, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bool:
        writer.write(ok())
        return True

    async def round_trip() -> tuple[int, bytes]:
        server = RawServer(handler)
        client = client_for(await server.start())
        try:
            response = await client.request("GET", "/", [], None)
            body, _ = await response.read(1024)
            response.release()
            return response.status, body
        finally:
            await client.close()
            await server.stop()

    assert uvloop.run(round_trip()) == (200, b'{"ok":true}')
