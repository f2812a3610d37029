"""The HTTP protocol `cutover serve` runs: uvicorn's httptools protocol, leaner per request.

Two things uvicorn does per request cost the gateway more than they need to:

- the head of an answer and its body are written separately (two `send` system calls
  and, on loopback or a LAN, two TCP segments for an answer that fits in one). Here the
  head of an answer with a declared `Content-Length` of at most `COALESCE_LIMIT` bytes
  is held until the body's first message and written together with it;
- the keep-alive timeout is a timer scheduled after every answer and cancelled by the
  next request's first bytes. Here one timer per connection stays scheduled while the
  connection is busy and only looks, when it fires, whether the connection has been
  idle for the whole timeout (and re-arms itself for the rest of it if not).

`_LeanCycle.send` is uvicorn's `RequestResponseCycle.send` with the same rules (header
validation, lower-cased names, Content-Length and chunked framing, `Connection: close`,
HEAD, 204/304, errors for a body longer or shorter than declared); it formats the head
itself and keeps a small answer's head as bytes until the body. `on_headers_complete` is
uvicorn's (pinned 0.54.0) making that cycle directly. Everything else (request parsing,
bodies and 100-continue, flow control, pipelining, WebSocket upgrades, errors and
shutdown) is uvicorn's own code, unchanged.
"""

from __future__ import annotations

import asyncio
import urllib.parse
from typing import TYPE_CHECKING, Any

import httptools
from uvicorn.protocols.http.flow_control import service_unavailable
from uvicorn.protocols.http.httptools_impl import (
    HEADER_RE,
    HEADER_VALUE_RE,
    STATUS_LINE,
    HttpToolsProtocol,
    RequestResponseCycle,
)
from uvicorn.protocols.utils import get_client_addr, get_path_with_query_string

if TYPE_CHECKING:
    from uvicorn._types import ASGI3Application, ASGISendEvent

COALESCE_LIMIT = 65536
_NO_BODY_STATUS = (204, 304)
_COMMON_NAMES = (
    b"cache-control", b"connection", b"content-encoding", b"content-length",
    b"content-type", b"date", b"etag", b"expires", b"last-modified", b"location",
    b"server", b"set-cookie", b"transfer-encoding", b"vary", b"x-cutover-backend",
)  # fmt: skip
# valid names answers often carry, as written by common servers -> lower-cased: these skip
# the name check (a dictionary look-up instead of a regular expression search and lower())
_KNOWN_NAMES = {
    spelling: name for name in _COMMON_NAMES for spelling in (name, name.title(), name.upper())
}


class _LeanCycle(RequestResponseCycle):
    """uvicorn's request/response cycle with a leaner `send` and small answers in one write."""

    _held_head: bytes = b""  # uvicorn builds the instance; this is its default

    async def send(self, message: ASGISendEvent) -> None:
        if self.flow.write_paused and not self.disconnected:
            await self.flow.drain()
        if self.disconnected:
            return
        if not self.response_started:
            if message["type"] != "http.response.start":
                raise RuntimeError(
                    f"Expected ASGI message 'http.response.start', but got '{message['type']}'."
                )
            self._start(message["status"], message.get("headers", ()))
        elif not self.response_complete:
            if message["type"] != "http.response.body":
                raise RuntimeError(
                    f"Expected ASGI message 'http.response.body', but got '{message['type']}'."
                )
            self._body(message.get("body", b""), message.get("more_body", False))
        else:
            raise RuntimeError(
                f"Unexpected ASGI message '{message['type']}' sent, "
                "after response already completed."
            )

    def _start(self, status: int, message_headers: Any) -> None:
        self.response_started = True
        self.waiting_for_100_continue = False
        headers = list(message_headers)
        if self.default_headers:
            headers[:0] = self.default_headers
        scope = self.scope
        if self.access_log:
            self.access_logger.info(
                '%s - "%s %s HTTP/%s" %d',
                get_client_addr(scope),
                scope["method"],
                get_path_with_query_string(scope),
                scope["http_version"],
                status,
            )
        content = [STATUS_LINE[status]]
        has_connection_close = False
        for raw_name, value in headers:
            name = _KNOWN_NAMES.get(raw_name)
            if name is None:
                if HEADER_RE.search(raw_name):
                    raise RuntimeError("Invalid HTTP header name.")
                name = raw_name.lower()
            if HEADER_VALUE_RE.search(value):
                raise RuntimeError("Invalid HTTP header value.")
            if name == b"content-length":
                if self.chunked_encoding is None:
                    self.expected_content_length = int(value.decode())
                    self.chunked_encoding = False
            elif name == b"transfer-encoding":
                if value.lower() == b"chunked":
                    self.expected_content_length = 0
                    self.chunked_encoding = True
            elif name == b"connection":
                tokens = [token.lower().strip() for token in value.split(b",")]
                if b"close" in tokens:
                    self.keep_alive = False
                    has_connection_close = True
            content += (name, b": ", value, b"\r\n")
        if not self.keep_alive and not has_connection_close:
            content.append(b"connection: close\r\n")
        head_request = scope["method"] == "HEAD"
        if self.chunked_encoding is None and not head_request and status not in _NO_BODY_STATUS:
            # neither Content-Length nor Transfer-Encoding given
            self.chunked_encoding = True
            content.append(b"transfer-encoding: chunked\r\n")
        content.append(b"\r\n")
        if (
            self.chunked_encoding is False
            and not head_request
            and self.expected_content_length <= COALESCE_LIMIT
        ):
            self._held_head = b"".join(content)  # goes out with the body's first bytes
        else:
            self.transport.write(b"".join(content))

    def _body(self, body: bytes, more_body: bool) -> None:
        head, self._held_head = self._held_head, b""
        if self.scope["method"] == "HEAD":  # its head is never held
            self.expected_content_length = 0
        elif self.chunked_encoding:
            content = [head, b"%x\r\n" % len(body), body, b"\r\n"] if body else [head]
            if not more_body:
                content.append(b"0\r\n\r\n")
            self.transport.write(b"".join(content))
        else:
            size = len(body)
            if size > self.expected_content_length:
                raise RuntimeError("Response content longer than Content-Length")
            self.expected_content_length -= size
            if head:
                self.transport.write(head + body)
            elif body:
                self.transport.write(body)
        if not more_body:
            if self.expected_content_length != 0:
                raise RuntimeError("Response content shorter than Content-Length")
            self.response_complete = True
            self.message_event.set()
            if not self.keep_alive:
                self.transport.close()
            self.on_response()


class GatewayHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with `_LeanCycle` and one keep-alive timer per connection."""

    _idle_since: float | None = None  # when the last answer was complete, while idle

    def on_headers_complete(self) -> None:
        """uvicorn's, with the request cycle made as a `_LeanCycle` directly."""
        parser = self.parser
        scope = self.scope
        http_version = parser.get_http_version()
        scope["method"] = parser.get_method().decode("ascii")
        if http_version != "1.1":
            scope["http_version"] = http_version
        if parser.should_upgrade() and self._should_upgrade():
            return
        parsed_url = httptools.parse_url(self.url)
        raw_path = parsed_url.path
        path = raw_path.decode("ascii")
        if "%" in path:
            path = urllib.parse.unquote(path)
        if self.root_path:
            scope["path"] = self.root_path + path
            scope["raw_path"] = self.root_path.encode("ascii") + raw_path
        else:
            scope["path"] = path
            scope["raw_path"] = raw_path
        scope["query_string"] = parsed_url.query or b""
        app: ASGI3Application = self.app
        if self.limit_concurrency is not None and (
            len(self.connections) >= self.limit_concurrency
            or len(self.tasks) >= self.limit_concurrency
        ):
            app = service_unavailable
            self.logger.warning("Exceeded concurrency limit.")
        existing_cycle = self.cycle
        self.cycle = _LeanCycle(
            scope=scope,
            transport=self.transport,
            flow=self.flow,
            logger=self.logger,
            access_logger=self.access_logger,
            access_log=self.access_log,
            default_headers=self.server_state.default_headers,
            message_event=asyncio.Event(),
            expect_100_continue=self.expect_100_continue,
            keep_alive=http_version != "1.0" and parser.should_keep_alive(),
            on_response=self.on_response_complete,
        )
        if existing_cycle is None or existing_cycle.response_complete:
            self._start_asgi_task(self.cycle, app)
        else:  # pipelined requests wait for the answer before them
            self.flow.pause_reading()
            self.pipeline.appendleft((self.cycle, app))

    # keep-alive ---------------------------------------------------------------------------
    def _unset_keepalive_if_required(self) -> None:
        """Bytes arrived (or the connection is done): it is not idle any more.

        The timer, if any, stays scheduled; `timeout_keep_alive_handler` finds the
        connection busy and lets it lapse (or re-arms it for a newer idle period).
        """
        self._idle_since = None

    def on_response_complete(self) -> None:
        self.server_state.total_requests += 1
        if self.transport.is_closing():
            return
        self._idle_since = None
        self.flow.resume_reading()
        if self.pipeline:
            cycle, app = self.pipeline.pop()
            self._start_asgi_task(cycle, app)
            return
        now = self.loop.time()
        self._idle_since = now
        if self.timeout_keep_alive_task is None:
            self.timeout_keep_alive_task = self.loop.call_at(
                now + self.timeout_keep_alive, self.timeout_keep_alive_handler
            )

    def timeout_keep_alive_handler(self) -> None:
        self.timeout_keep_alive_task = None
        idle_since = self._idle_since
        if idle_since is None or self.transport.is_closing():
            return  # busy since: the next answer arms the timer again
        deadline = idle_since + self.timeout_keep_alive
        if self.loop.time() < deadline:
            self.timeout_keep_alive_task = self.loop.call_at(
                deadline, self.timeout_keep_alive_handler
            )
            return
        self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        super().connection_lost(exc)
        self._idle_since = None
        if self.timeout_keep_alive_task is not None:
            self.timeout_keep_alive_task.cancel()
            self.timeout_keep_alive_task = None


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
