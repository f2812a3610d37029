"""A minimal pooled HTTP/1.1 upstream client: asyncio protocols + the httptools parser.

The gateway forwards requests it has already parsed, so it needs none of a general
client's work (URL building, header multidicts, cookie jars, redirects, decoding).
Measured in `bench/gateway.py` (docs/cutover.md), aiohttp's per-request client cost was
the largest share of the gateway's CPU; this client writes the request head as one
bytes object and hands the raw response headers through untouched.

Semantics kept from the aiohttp client: a connect timeout, a read timeout on every wait
for the backend's next bytes (headers included), a bounded pool, streamed bodies in
both directions with flow control, and a connection that went stale while idle in the
pool is replaced once before any byte of the answer arrived.
"""

from __future__ import annotations

import asyncio
import collections
import ssl
from collections.abc import AsyncIterator
from typing import cast
from urllib.parse import urlsplit

import httptools

from cutover.config import Backend
from cutover.proxy import Body, RawHeaders, UpstreamError, UpstreamResponse, read_up_to

_HIGH_WATER = 256 * 1024  # buffered response bytes before the socket is paused
_CRLF = b"\r\n"


class _Connection(asyncio.Protocol):
    """One keep-alive connection; serves one exchange at a time."""

    def __init__(self, loop: asyncio.AbstractEventLoop, read_timeout: float) -> None:
        self._loop = loop
        self._read_timeout = read_timeout
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self._parser = httptools.HttpResponseParser(self)
        self._headers: RawHeaders = []
        self._head: asyncio.Future[None] | None = None
        self._body: collections.deque[bytes] = collections.deque()
        self._buffered = 0
        self._body_waiter: asyncio.Future[None] | None = None
        self.complete = False
        self.status = 0
        self.content_length: int | None = None
        self._error: UpstreamError | None = None
        self._paused_reading = False
        self._write_paused = False
        self._drain_waiter: asyncio.Future[None] | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._waiting = False  # a request was sent and its answer is not complete
        self._last_data = 0.0
        self._head_only = False
        self._informational = False
        self._keep_alive = False
        self._parser_ready = True  # at the start of a message: reusable for the next answer

    # asyncio.Protocol -------------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports implement the interface without subclassing it
        self.transport = cast(asyncio.Transport, transport)

    def data_received(self, data: bytes) -> None:
        self._last_data = self._loop.time()
        if not self._waiting:  # bytes nobody asked for: the next answer gets a fresh parser
            self._parser_ready = False
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self._fail(UpstreamError(f"invalid response: {exc!r}"))
            assert self.transport is not None
            self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        head = self._head
        if self._error is None and not self.complete and head is not None:
            if not head.done():
                self._fail(UpstreamError(f"connection lost before the response: {exc!r}"))
            elif self.content_length is None and not self._chunked():
                self._finish()  # a body delimited by the end of the connection
            else:
                self._fail(UpstreamError(f"connection lost in the response body: {exc!r}"))
        self._cancel_timer()
        if self._drain_waiter is not None and not self._drain_waiter.done():
            self._drain_waiter.set_result(None)

    def pause_writing(self) -> None:
        self._write_paused = True

    def resume_writing(self) -> None:
        self._write_paused = False
        if self._drain_waiter is not None and not self._drain_waiter.done():
            self._drain_waiter.set_result(None)

    # httptools callbacks ----------------------------------------------------------------
    def on_header(self, name: bytes, value: bytes) -> None:
        self._headers.append((name, value))

    def on_headers_complete(self) -> None:
        status = self._parser.get_status_code()
        if 100 <= status < 200 and status != 101:
            self._informational = True  # e.g. 100 Continue: the real answer follows
            self._headers = []
            return
        self.status = status
        for name, value in self._headers:
            if len(name) == 14 and name.lower() == b"content-length" and value.isdigit():
                self.content_length = int(value)
        if self._head is not None and not self._head.done():
            self._head.set_result(None)
        if self._head_only:
            self._finish()

    def on_body(self, data: bytes) -> None:
        self._body.append(data)
        self._buffered += len(data)
        if self._buffered > _HIGH_WATER and not self._paused_reading and self.transport:
            self._paused_reading = True
            self.transport.pause_reading()
        self._wake()

    def on_message_complete(self) -> None:
        if self._informational:
            self._informational = False
            return
        if not self._head_only:
            self._keep_alive = self._parser.should_keep_alive()  # False once returned
            self._parser_ready = self._keep_alive
            self._finish()

    # internals --------------------------------------------------------------------------
    def _chunked(self) -> bool:
        return any(
            name.lower() == b"transfer-encoding" and b"chunked" in value.lower()
            for name, value in self._headers
        )

    def _finish(self) -> None:
        self.complete = True
        self._waiting = False
        self._wake()

    def _fail(self, error: UpstreamError) -> None:
        self._error = error
        self._waiting = False
        self._cancel_timer()
        if self._head is not None and not self._head.done():
            self._head.set_exception(error)
        self._wake()

    def _wake(self) -> None:
        waiter = self._body_waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def arm_timer(self) -> None:
        """Start the read timeout; called once the request has been sent.

        The timer outlives its exchange: a connection reused within a read timeout finds
        it still scheduled and only moves `_last_data`, so a busy connection does not
        schedule and cancel a timer per request.
        """
        self._last_data = self._loop.time()
        self._waiting = True
        if self._timer is None:
            self._timer = self._loop.call_at(self._last_data + self._read_timeout, self._check_idle)

    def _check_idle(self) -> None:
        """Fires at most once per read timeout; re-arms when bytes arrived meanwhile."""
        if not self._waiting:  # idle in the pool: nothing to time out
            self._timer = None
            return
        if self._paused_reading:  # our reader is slow, not the backend
            self._last_data = self._loop.time()
        deadline = self._last_data + self._read_timeout
        if self._loop.time() < deadline:
            self._timer = self._loop.call_at(deadline, self._check_idle)
            return
        self._timer = None
        self._fail(UpstreamError("timeout waiting for the backend", timeout=True))
        if self.transport is not None:
            self.transport.close()

    # the exchange -----------------------------------------------------------------------
    def start(self, head_only: bool) -> asyncio.Future[None]:
        """Reset for a new exchange; the future resolves when the headers arrived.

        The parser of a connection whose last answer ended cleanly (keep-alive) is at the
        start of the next message and is used again; otherwise a fresh one is made.
        """
        if not self._parser_ready:
            self._parser = httptools.HttpResponseParser(self)
        self._parser_ready = False
        self._headers = []
        self._body.clear()
        self._buffered = 0
        self.complete = False
        self.status = 0
        self.content_length = None
        self._error = None
        self._head_only = head_only
        self._informational = False
        self._paused_reading = False
        self._keep_alive = False
        self._head = self._loop.create_future()
        return self._head

    def timed_out(self) -> bool:
        return self._error is not None and self._error.timeout

    async def drain(self) -> None:
        if self.closed:
            raise UpstreamError("connection lost while sending the request")
        if self._write_paused:
            self._drain_waiter = self._loop.create_future()
            await self._drain_waiter

    def take_body(self) -> bytes:
        data = b"".join(self._body) if len(self._body) != 1 else self._body[0]
        self._body.clear()
        self._buffered = 0
        if self._paused_reading and self.transport is not None:
            self._paused_reading = False
            self.transport.resume_reading()
        return data

    async def wait_body(self) -> None:
        """Until some body bytes, the end of the body or an error."""
        while not self._body and not self.complete and self._error is None:
            self._body_waiter = self._loop.create_future()
            await self._body_waiter
        if self._error is not None and not self._body:
            raise self._error

    def headers(self) -> RawHeaders:
        return self._headers

    def reusable(self) -> bool:
        return (
            self.complete
            and not self.closed
            and self._error is None
            and not self._head_only
            and self._keep_alive
        )


class _Response:
    __slots__ = ("_client", "_connection", "_released", "headers", "status")

    def __init__(self, client: HttptoolsClient, connection: _Connection) -> None:
        self._client = client
        self._connection = connection
        self._released = False
        self.status = connection.status
        self.headers: RawHeaders = connection.headers()

    async def chunks(self) -> AsyncIterator[bytes]:
        connection = self._connection
        while True:
            await connection.wait_body()
            data = connection.take_body()
            if data:
                yield data
            elif connection.complete:
                return

    async def read(self, limit: int) -> tuple[bytes, bool]:
        """Up to `limit` bytes of the body, and whether it was longer than that."""
        connection = self._connection
        if connection.complete:  # the common case: the whole body came with the head
            whole = connection.take_body()
            return (whole[:limit], True) if len(whole) > limit else (whole, False)
        return await read_up_to(self.chunks(), limit)

    def small_length(self, limit: int) -> bool:
        length = self._connection.content_length
        return length is not None and length <= limit

    def release(self) -> None:
        if not self._released:
            self._released = True
            self._client.give_back(self._connection)


class HttptoolsClient:
    """A bounded pool of keep-alive HTTP/1.1 connections to one backend."""

    def __init__(self, backend: Backend) -> None:
        parts = urlsplit(backend.url)
        self._secure = parts.scheme == "https"
        self._host = parts.hostname or "localhost"
        self._port = parts.port or (443 if self._secure else 80)
        self._prefix = parts.path.rstrip("/")
        default_port = self._port == (443 if self._secure else 80)
        netloc = self._host if default_port else f"{self._host}:{self._port}"
        self._host_line = f"Host: {netloc}\r\n".encode("latin-1")
        self._connect_timeout = backend.timeouts.connect
        self._read_timeout = backend.timeouts.read
        self._limit = backend.pool_size
        self._idle: collections.deque[_Connection] = collections.deque()
        self._open = 0
        self._waiters: collections.deque[asyncio.Future[None]] = collections.deque()
        self._ssl = ssl.create_default_context() if self._secure else None
        self._closed = False

    # pool -------------------------------------------------------------------------------
    async def _connect(self) -> _Connection:
        loop = asyncio.get_running_loop()
        try:
            _, connection = await asyncio.wait_for(
                loop.create_connection(
                    lambda: _Connection(loop, self._read_timeout),
                    self._host,
                    self._port,
                    ssl=self._ssl,
                ),
                self._connect_timeout,
            )
        except TimeoutError as exc:
            raise UpstreamError(f"connect timeout: {exc!r}", timeout=True) from exc
        except OSError as exc:
            raise UpstreamError(f"cannot connect: {exc!r}") from exc
        return connection

    def _pooled(self) -> _Connection | None:
        """An open idle connection from the pool, if there is one (no waiting)."""
        while self._idle:
            connection = self._idle.pop()
            if not connection.closed:
                return connection
            self._open -= 1
        return None

    async def _acquire(self) -> tuple[_Connection, bool]:
        """A connection and whether it was reused from the pool."""
        connection = self._pooled()
        if connection is not None:
            return connection, True
        while self._open >= self._limit:
            waiter = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            await waiter
            if self._idle:
                return await self._acquire()
        self._open += 1
        try:
            return await self._connect(), False
        except BaseException:
            self._open -= 1
            self._wake_one()
            raise

    def _wake_one(self) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return

    def give_back(self, connection: _Connection) -> None:
        if connection.reusable() and not self._closed:
            self._idle.append(connection)
        else:
            self._open -= 1
            if connection.transport is not None:
                connection.transport.close()
        self._wake_one()

    # requests ---------------------------------------------------------------------------
    def _head(
        self, method: str, target: str, headers: RawHeaders, body: Body
    ) -> tuple[bytes, bool]:
        """The request head, and whether a streamed body goes chunked."""
        lines = [f"{method} {self._prefix}{target} HTTP/1.1\r\n".encode("latin-1")]
        has_host = has_length = False
        for name, value in headers:
            lowered = name.lower()
            if lowered == b"host":
                has_host = True
            elif lowered == b"content-length":
                if isinstance(body, bytes):
                    continue  # replaced by the buffered body's exact length below
                has_length = True
            lines += (name, b": ", value, _CRLF)
        if not has_host:
            lines.insert(1, self._host_line)
        chunked = False
        if isinstance(body, bytes):
            lines.append(b"Content-Length: %d\r\n" % len(body))
        elif body is not None and not has_length:
            lines.append(b"Transfer-Encoding: chunked\r\n")
            chunked = True
        lines.append(_CRLF)
        return b"".join(lines), chunked

    async def request(
        self, method: str, target: str, headers: RawHeaders, body: Body
    ) -> UpstreamResponse:
        head, chunked = self._head(method, target, headers, body)
        replayable = body is None or isinstance(body, bytes)  # not a one-shot stream
        for _attempt in range(2):
            # the common cases without a coroutine call: a pooled connection, a whole body
            pooled = self._pooled()
            connection, reused = (pooled, True) if pooled is not None else await self._acquire()
            head_ready = connection.start(method == "HEAD")
            try:
                if body is None:
                    self._write(connection, head)
                elif isinstance(body, bytes):
                    self._write(connection, head + body)
                else:
                    await self._send_stream(connection, head, body, chunked)
                connection.arm_timer()
                await head_ready
            except UpstreamError:
                if head_ready.done() and not head_ready.cancelled():
                    head_ready.exception()  # retrieved: the error is raised below
                stale = reused and replayable and connection.status == 0
                self._open -= 1
                if connection.transport is not None:
                    connection.transport.close()
                self._wake_one()
                if stale and not connection.timed_out():
                    continue  # the pooled connection had been closed by the backend
                raise
            except BaseException:
                self.give_back_broken(connection)
                raise
            return _Response(self, connection)
        raise AssertionError("unreachable")

    def give_back_broken(self, connection: _Connection) -> None:
        connection.closed = True
        self.give_back(connection)

    @staticmethod
    def _write(connection: _Connection, data: bytes) -> None:
        transport = connection.transport
        if transport is None or connection.closed:
            raise UpstreamError("connection closed")
        transport.write(data)

    async def _send_stream(
        self, connection: _Connection, head: bytes, body: AsyncIterator[bytes], chunked: bool
    ) -> None:
        """The head, then a streamed body with flow control."""
        self._write(connection, head)
        transport = connection.transport
        assert transport is not None
        async for chunk in body:
            if not chunk:
                continue
            if chunked:
                transport.write(b"%x\r\n%b\r\n" % (len(chunk), chunk))
            else:
                transport.write(chunk)
            await connection.drain()
        if chunked:
            transport.write(b"0\r\n\r\n")

    async def close(self) -> None:
        self._closed = True
        while self._idle:
            connection = self._idle.pop()
            if connection.transport is not None:
                connection.transport.close()
