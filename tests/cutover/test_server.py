"""The server protocol of `cutover serve`: a small answer's head waits for its body.

A real uvicorn server with `GatewayHttpProtocol` on loopback and a raw socket client, so
what is asserted is what goes on the wire. The application holds each body until the
test releases it: a head that was not held back is on the socket before that.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from cutover.server import COALESCE_LIMIT, GatewayHttpProtocol
from tests.cutover.servers import ServerThread

SMALL = b"x" * 1000
LARGE = b"y" * (COALESCE_LIMIT + 1)


async def run_lifespan(receive: Any, send: Any) -> None:
    """Answer an ASGI lifespan: started, then stopped when asked."""
    while (await receive())["type"] != "lifespan.shutdown":
        await send({"type": "lifespan.startup.complete"})
    await send({"type": "lifespan.shutdown.complete"})


class GatedApp:
    """Sends the head at once and the body only after `release` (or 10 s)."""

    def __init__(self) -> None:
        self.release = threading.Event()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await run_lifespan(receive, send)
            return
        body = LARGE if scope["path"] == "/large" else SMALL
        headers = [(b"content-type", b"text/plain")]
        if scope["path"] != "/chunked":
            headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        if scope["path"] != "/now":
            await asyncio.to_thread(self.release.wait, 10)
        await send({"type": "http.response.body", "body": body})


@pytest.fixture
def gated() -> Iterator[tuple[GatedApp, ServerThread]]:
    app = GatedApp()
    server = ServerThread(app, GatewayHttpProtocol).start()
    yield app, server
    app.release.set()
    server.stop()


def read_head(sock: socket.socket) -> tuple[bytes, bytes]:
    """The head of one response and the bytes read past it."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, "connection closed before the head"
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    return head, rest


def read_body(sock: socket.socket, head: bytes, rest: bytes) -> bytes:
    """The body that follows `head`, per its Content-Length or chunked framing."""
    lines = head.lower().split(b"\r\n")
    length = next((int(line[15:]) for line in lines if line.startswith(b"content-length:")), None)
    while (len(rest) < length) if length is not None else not rest.endswith(b"0\r\n\r\n"):
        chunk = sock.recv(65536)
        assert chunk, "connection closed in the body"
        rest += chunk
    if length is not None:
        return rest
    body, position = b"", 0
    while (size := int(rest[position : rest.index(b"\r\n", position)], 16)) > 0:
        start = rest.index(b"\r\n", position) + 2
        body += rest[start : start + size]
        position = start + size + 2
    return body


def read_response(sock: socket.socket) -> tuple[bytes, bytes]:
    head, rest = read_head(sock)
    return head, read_body(sock, head, rest)


def connect(server: ServerThread) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=10)


def test_a_small_answer_is_written_head_and_body_together(
    gated: tuple[GatedApp, ServerThread],
) -> None:
    app, server = gated
    with connect(server) as sock:
        sock.sendall(b"GET /small HTTP/1.1\r\nHost: test\r\n\r\n")
        sock.settimeout(0.5)
        with pytest.raises(TimeoutError):
            sock.recv(1)  # the head is held while the body is not there yet
        app.release.set()
        sock.settimeout(10)
        head, body = read_response(sock)
    assert head.startswith(b"HTTP/1.1 200 ")
    assert b"content-length: 1000" in head.lower()
    assert body == SMALL


@pytest.mark.parametrize(
    ("request_line", "streamed"),
    [
        (b"GET /chunked HTTP/1.1", True),  # no Content-Length: a stream, head first
        (b"GET /large HTTP/1.1", False),  # longer than COALESCE_LIMIT
        (b"HEAD /small HTTP/1.1", False),  # a HEAD answer has no body to wait for
    ],
)
def test_other_answers_send_the_head_at_once(
    gated: tuple[GatedApp, ServerThread], request_line: bytes, streamed: bool
) -> None:
    app, server = gated
    with connect(server) as sock:
        sock.sendall(request_line + b"\r\nHost: test\r\n\r\n")
        head, rest = read_head(sock)  # arrives before the body is released
        assert head.startswith(b"HTTP/1.1 200 ")
        assert (b"transfer-encoding: chunked" in head.lower()) is streamed
        app.release.set()
        if request_line.startswith(b"GET"):
            expected = LARGE if b"/large" in request_line else SMALL
            assert read_body(sock, head, rest) == expected


def test_keep_alive_serves_several_small_answers_on_one_connection(
    gated: tuple[GatedApp, ServerThread],
) -> None:
    _, server = gated
    with connect(server) as sock:
        for _ in range(3):
            sock.sendall(b"GET /now HTTP/1.1\r\nHost: test\r\n\r\n")
            head, body = read_response(sock)
            assert head.startswith(b"HTTP/1.1 200 ")
            assert body == SMALL
        sock.sendall(b"GET /now HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
        head, body = read_response(sock)
        assert b"connection: close" in head.lower()
        assert body == SMALL
        assert sock.recv(1) == b""  # the server closed after the last answer


class ScriptedApp:
    """Answers by path: a bad header, a body longer or shorter than declared, a slow answer."""

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await run_lifespan(receive, send)
            return
        path = scope["path"]
        headers = [(b"content-length", b"5")]
        if path == "/bad-name":
            headers.append((b"x bad", b"1"))
        elif path == "/bad-value":
            headers.append((b"x-split", b"1\r\nx-injected: 1"))
        elif path == "/slow":
            await asyncio.sleep(2.5)
        elif path == "/mixed-case":
            headers += [(b"Content-Type", b"Text/Plain"), (b"X-Custom-Thing", b"A-b")]
            headers += [(b"CACHE-CONTROL", b"no-store"), (b"ETag", b'"x"')]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        body = {"/longer": b"123456", "/shorter": b"1234"}.get(path, b"12345")
        await send({"type": "http.response.body", "body": body})


@pytest.fixture
def scripted() -> Iterator[ServerThread]:
    server = ServerThread(ScriptedApp(), GatewayHttpProtocol, timeout_keep_alive=2).start()
    yield server
    server.stop()


def read_all(sock: socket.socket) -> bytes:
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    return data


@pytest.mark.parametrize("path", ["/bad-name", "/bad-value", "/longer"])
def test_an_invalid_answer_closes_the_connection_and_nothing_of_it_is_sent(
    scripted: ServerThread, path: str
) -> None:
    with connect(scripted) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: test\r\n\r\n".encode())
        assert read_all(sock) == b""


def test_header_names_go_out_lower_cased_and_values_as_given(scripted: ServerThread) -> None:
    with connect(scripted) as sock:
        sock.sendall(b"GET /mixed-case HTTP/1.1\r\nHost: test\r\n\r\n")
        head, body = read_response(sock)
    lines = head.split(b"\r\n")
    assert [line.split(b":")[0] for line in lines[1:3]] == [b"date", b"server"]  # uvicorn's
    assert lines[3:] == [
        b"content-length: 5",
        b"content-type: Text/Plain",
        b"x-custom-thing: A-b",
        b"cache-control: no-store",
        b'etag: "x"',
    ]
    assert body == b"12345"


def test_a_body_shorter_than_declared_is_cut_off_by_closing(scripted: ServerThread) -> None:
    with connect(scripted) as sock:
        sock.sendall(b"GET /shorter HTTP/1.1\r\nHost: test\r\n\r\n")
        data = read_all(sock)
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 ")
    assert b"content-length: 5" in head.lower()
    assert body == b"1234"  # the client sees a truncated answer, not a complete one


def test_keep_alive_times_out_only_after_a_whole_idle_period(scripted: ServerThread) -> None:
    with connect(scripted) as sock:
        request = b"GET /ok HTTP/1.1\r\nHost: test\r\n\r\n"
        for _ in range(3):  # each request within the 2 s timeout of the previous answer
            sock.sendall(request)
            head, body = read_response(sock)
            assert head.startswith(b"HTTP/1.1 200 ")
            assert body == b"12345"
            time.sleep(1.0)
        sock.sendall(b"GET /slow HTTP/1.1\r\nHost: test\r\n\r\n")  # busy longer than 2 s
        assert read_response(sock)[1] == b"12345"
        started = time.monotonic()
        assert read_all(sock) == b""  # then idle: closed after about two seconds
        assert 1.4 < time.monotonic() - started < 6


class EchoApp:
    """Answers with the scope fields the protocol fills in, as `key=value` lines."""

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await run_lifespan(receive, send)
            return
        fields = ("method", "http_version", "path", "raw_path", "query_string", "root_path")
        body = b"\n".join(f"{key}={scope[key]!r}".encode() for key in fields)
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})


def echo(server: ServerThread, request: bytes) -> tuple[bytes, dict[str, str]]:
    with connect(server) as sock:
        sock.sendall(request)
        head, body = read_response(sock)
    return head, dict(line.split("=", 1) for line in body.decode().splitlines())


@pytest.mark.parametrize("root_path", ["", "/gw"])
def test_the_request_scope_is_uvicorns(root_path: str) -> None:
    server = ServerThread(EchoApp(), GatewayHttpProtocol, root_path=root_path).start()
    try:
        head, scope = echo(server, b"GET /a%20b/c?x=1&y=%20 HTTP/1.0\r\nHost: t\r\n\r\n")
        assert b"connection: close" in head.lower()  # HTTP/1.0: no keep-alive
        assert scope == {
            "method": "'GET'",
            "http_version": "'1.0'",
            "path": repr(root_path + "/a b/c"),
            "raw_path": repr(root_path.encode() + b"/a%20b/c"),
            "query_string": repr(b"x=1&y=%20"),
            "root_path": repr(root_path),
        }
    finally:
        server.stop()


def test_pipelined_requests_are_answered_in_order() -> None:
    server = ServerThread(EchoApp(), GatewayHttpProtocol).start()
    try:
        with connect(server) as sock:
            sock.sendall(
                b"".join(f"GET /{n} HTTP/1.1\r\nHost: t\r\n\r\n".encode() for n in range(3))
            )
            paths = []
            rest = b""
            for _ in range(3):
                while b"\r\n\r\n" not in rest:
                    rest += sock.recv(65536)
                head, _, rest = rest.partition(b"\r\n\r\n")
                length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
                while len(rest) < length:
                    rest += sock.recv(65536)
                body, rest = rest[:length], rest[length:]
                paths.append(body.decode().splitlines()[2])
        assert paths == ["path='/0'", "path='/1'", "path='/2'"]
    finally:
        server.stop()


def test_over_the_concurrency_limit_the_answer_is_503() -> None:
    server = ServerThread(EchoApp(), GatewayHttpProtocol, limit_concurrency=1).start()
    try:
        with connect(server) as sock:  # this connection alone reaches the limit
            sock.sendall(b"GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            head, body = read_response(sock)
        assert head.startswith(b"HTTP/1.1 503 ")
        assert body == b"Service Unavailable"
    finally:
        server.stop()
