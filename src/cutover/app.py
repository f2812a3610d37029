"""The gateway: a raw ASGI application in front of a legacy and a new backend.

Per request: match the route, read its flags, pick a side (override, mode, sticky
bucket), forward with streamed bodies, fall back to legacy when new fails and the
request may be retried, record new's result for the guard, mirror to new when the
route is in shadow mode. Paths under the admin prefix go to the admin app.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from email.utils import formatdate
from typing import Any

import aiohttp
import orjson

from cutover.admin import build_admin
from cutover.bucketing import goes_to_new, new_client_id, parse_cookies, request_key
from cutover.config import GatewayConfig, Mode, Route
from cutover.diff import Snapshot
from cutover.flags import Flags, RouteState, StateStore, make_store
from cutover.guard import Breach, RouteGuard
from cutover.metrics import GatewayMetrics
from cutover.proxy import (
    HOP_BY_HOP,
    IDEMPOTENT,
    SAFE,
    Body,
    RawHeaders,
    UpstreamClient,
    UpstreamError,
    UpstreamResponse,
    connection_tokens,
    end_to_end,
    make_client,
)
from cutover.router import Router
from cutover.shadow import ShadowJob, ShadowMirror, snapshot_headers
from cutover.websocket import proxy_websocket

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

log = logging.getLogger("cutover")

LEGACY = "legacy"
NEW = "new"
_BACKEND_HEADER = b"x-cutover-backend"
_BACKEND_VALUES = {LEGACY: LEGACY.encode(), NEW: NEW.encode()}
_SKIP_REQUEST = HOP_BY_HOP | {b"host"}
_SMALL_BODY = 65536


class ClientDisconnectedError(Exception):
    """The client went away while its request body was being read."""


class _RequestBody:
    """Reads the ASGI request body: buffered up to a cap, then streamed."""

    def __init__(self, receive: Receive, has_body: bool) -> None:
        self._receive = receive
        self._more = has_body
        self.prefix = b""

    async def buffer(self, limit: int) -> bool:
        """Read up to `limit` bytes into `prefix`; True when that is the whole body."""
        chunks = bytearray()
        while self._more and len(chunks) <= limit:
            message = await self._receive()
            if message["type"] == "http.disconnect":
                raise ClientDisconnectedError
            chunks += message.get("body", b"")
            self._more = message.get("more_body", False)
        self.prefix = bytes(chunks)
        return not self._more

    async def _stream(self) -> AsyncIterator[bytes]:
        if self.prefix:
            yield self.prefix
        while self._more:
            message = await self._receive()
            if message["type"] == "http.disconnect":
                raise ClientDisconnectedError
            self._more = message.get("more_body", False)
            chunk = message.get("body", b"")
            if chunk:
                yield chunk

    def payload(self) -> Body:
        """What to send upstream: the buffer when complete, else a stream."""
        if not self._more:
            return self.prefix or None
        return self._stream()


class Gateway:
    """The cutover ASGI application."""

    def __init__(self, config: GatewayConfig, store: StateStore | None = None) -> None:
        self.config = config
        self.router = Router(config.routes, config.default)
        self.routes = {route.name: route for route in config.all_routes()}
        self.flags = Flags(config.all_routes(), store or make_store(config.state))
        self.metrics = GatewayMetrics()
        self.guard = RouteGuard(config.guard, self._on_breach)
        self.legacy: UpstreamClient | None = None
        self.new: UpstreamClient | None = None
        self.shadow: ShadowMirror | None = None
        self._admin_prefix = config.admin.prefix
        self._admin_prefix_slash = config.admin.prefix + "/"
        self._admin: Callable[[Scope, Receive, Send], Awaitable[None]] | None = None
        self._pending_breaches: set[asyncio.Task[list[str]]] = set()
        self._stickiness = config.stickiness
        self._overrides = config.overrides
        self._override_header = config.overrides.header.lower().encode("latin-1")
        self._started = False
        self._startup_task: asyncio.Future[None] | None = None
        self._ws_session: aiohttp.ClientSession | None = None

    def websocket_session(self) -> aiohttp.ClientSession:
        """A session for upstream WebSockets (HTTP goes through the configured client)."""
        if self._ws_session is None:
            self._ws_session = aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar())
        return self._ws_session

    # lifecycle ---------------------------------------------------------------------------
    async def startup(self) -> None:
        self.legacy = make_client(self.config.legacy)
        self.new = make_client(self.config.new)
        self.shadow = ShadowMirror(self.config.shadow, self.legacy, self.new, self.metrics)
        self.shadow.start()
        self._admin = build_admin(self)
        await self.flags.start()
        self._started = True

    async def shutdown(self) -> None:
        if self.shadow is not None:
            await self.shadow.stop()
        await self.flags.store.close()
        for client in (self.legacy, self.new):
            if client is not None:
                await client.close()
        if self._ws_session is not None:
            await self._ws_session.close()
            self._ws_session = None
        self._started = False

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    await self.startup()
                except Exception as exc:
                    log.exception("cutover failed to start")
                    await send({"type": "lifespan.startup.failed", "message": str(exc)})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.shutdown()
                await send({"type": "lifespan.shutdown.complete"})
                return

    # guard -------------------------------------------------------------------------------
    def _on_breach(self, breach: Breach) -> None:
        if self.flags.get(breach.route).mode == Mode.LEGACY:
            return
        figures = {
            "requests": float(breach.requests),
            "error_rate": breach.error_rate,
            "p99_ms": breach.p99_ms,
            "max_error_rate": self.config.guard.max_error_rate,
            "max_p99_ms": self.config.guard.max_p99_ms,
        }
        log.warning("guard: rolling back route %s: %s", breach.route, figures)
        self.metrics.rollbacks.labels(breach.route, "auto").inc()
        task = asyncio.get_running_loop().create_task(
            self.flags.rollback(
                [breach.route], actor="guard", kind="auto-rollback", figures=figures
            )
        )
        self._pending_breaches.add(task)
        task.add_done_callback(self._pending_breaches.discard)

    # ASGI --------------------------------------------------------------------------------
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "lifespan":
            await self._lifespan(receive, send)
            return
        if not self._started:
            # servers without lifespan support: start once, on the first request
            if self._startup_task is None:
                self._startup_task = asyncio.ensure_future(self.startup())
            await asyncio.shield(self._startup_task)
        path: str = scope["path"]
        if path == self._admin_prefix or path.startswith(self._admin_prefix_slash):
            assert self._admin is not None
            await self._admin(scope, receive, _dated(send))
        elif kind == "http":
            await self._http(scope, receive, send)
        elif kind == "websocket":
            await proxy_websocket(self, scope, receive, send)

    def choose(self, route: Route, scope: Scope) -> tuple[str, bool, bytes | None]:
        """(backend, mirror to new, Set-Cookie value or None) for this request."""
        return self._choose(route, self.flags.get(route.name), scope)

    def _choose(
        self, route: Route, state: RouteState, scope: Scope
    ) -> tuple[str, bool, bytes | None]:
        if self._overrides.enabled:
            forced = self._forced(scope["headers"])
            if forced is not None:
                return forced, False, None
        mode = state.mode
        if mode is Mode.LEGACY:
            return LEGACY, False, None
        if mode is Mode.NEW:
            return NEW, False, None
        if mode is Mode.SHADOW:
            return LEGACY, scope["method"] in SAFE or route.mirror_writes, None
        if state.percent <= 0:
            return LEGACY, False, None
        if state.percent >= 100:
            return NEW, False, None
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        cookies = parse_cookies(headers.get("cookie", ""))
        sticky = self._stickiness
        key = request_key(sticky.key, headers, cookies)
        set_cookie = None
        if key is None:
            key = cookies.get(sticky.client_cookie)
            if not key:
                key = new_client_id()
                set_cookie = (
                    f"{sticky.client_cookie}={key}; Path=/; Max-Age={sticky.cookie_max_age}; "
                    "HttpOnly; SameSite=Lax"
                ).encode("latin-1")
        side = NEW if goes_to_new(sticky.salt, key, state.percent) else LEGACY
        return side, False, set_cookie

    def _forced(self, raw: RawHeaders) -> str | None:
        value: str | None = None
        for name, header in raw:
            lowered = name.lower()
            if lowered == self._override_header:
                value = header.decode("latin-1").strip().lower()
                break
            if lowered == b"cookie":
                value = parse_cookies(header.decode("latin-1")).get(self._overrides.cookie, value)
        return value if value in (LEGACY, NEW) else None

    def forward_headers(
        self, scope: Scope, backend_preserves_host: bool
    ) -> tuple[RawHeaders, bool]:
        """The headers to send upstream, and whether the request has a body.

        One pass over the client's headers: hop-by-hop ones are dropped, the client's
        address is appended to X-Forwarded-For, X-Forwarded-Proto/Host are set. Names and
        values stay the bytes the server parsed: no decoding on the way through.
        """
        raw: RawHeaders = scope["headers"]
        headers: RawHeaders = []
        host = b""
        forwarded_for = b""
        has_body = False
        extra: frozenset[bytes] = frozenset()
        for name, value in raw:
            lowered = name.lower()
            if lowered == b"host":
                host = value
                if backend_preserves_host:
                    headers.append((b"Host", host))
                continue
            if lowered in _SKIP_REQUEST:
                if lowered == b"transfer-encoding":
                    has_body = True
                elif lowered == b"connection":
                    extra = connection_tokens(raw)
                continue
            if lowered == b"content-length":
                has_body = value != b"0"
            elif lowered == b"x-forwarded-for":
                forwarded_for = value
                continue
            elif lowered == b"x-forwarded-proto" or lowered == b"x-forwarded-host":
                continue
            headers.append((name, value))
        if extra:
            headers = [(k, v) for k, v in headers if k.lower() not in extra]
        client = scope.get("client")
        client_ip = client[0].encode("latin-1") if client else b"unknown"
        headers.append(
            (b"X-Forwarded-For", forwarded_for + b", " + client_ip if forwarded_for else client_ip)
        )
        scheme = scope.get("scheme", "http")
        headers.append((b"X-Forwarded-Proto", b"https" if scheme in ("https", "wss") else b"http"))
        if host:
            headers.append((b"X-Forwarded-Host", host))
        return headers, has_body

    @staticmethod
    def target(scope: Scope) -> str:
        raw_path: bytes | None = scope.get("raw_path")
        path = raw_path.decode("latin-1") if raw_path else scope["path"]
        query: bytes = scope.get("query_string", b"")
        return f"{path}?{query.decode('latin-1')}" if query else path

    def client_for(self, backend: str) -> UpstreamClient:
        client = self.new if backend == NEW else self.legacy
        assert client is not None
        return client

    async def _call(
        self,
        route: Route,
        backend: str,
        method: str,
        target: str,
        headers: RawHeaders,
        body: Body,
        guarded: bool,
    ) -> UpstreamResponse | UpstreamError:
        started = time.perf_counter()
        try:
            response: UpstreamResponse | UpstreamError = await self.client_for(backend).request(
                method, target, headers, body
            )
        except UpstreamError as exc:
            response = exc
        elapsed = time.perf_counter() - started
        failed = isinstance(response, UpstreamError) or response.status >= 500
        status = 502 if isinstance(response, UpstreamError) else response.status
        self.metrics.observe(route.name, backend, status, elapsed)
        if failed:
            self.metrics.error(route.name, backend)
        if guarded:
            self.guard.record(route.name, failed, elapsed)
        return response

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        method: str = scope["method"]
        route = self.router.match(method, scope["path"])
        mode = (state := self.flags.get(route.name)).mode
        backend, mirror, set_cookie = self._choose(route, state, scope)
        target = self.target(scope)
        config = self.config
        preserve = (config.new if backend == NEW else config.legacy).preserve_host
        headers, has_body = self.forward_headers(scope, preserve)
        body = _RequestBody(receive, has_body)
        guarded = backend == NEW and mode in (Mode.CANARY, Mode.NEW)
        may_fall_back = guarded and (method in IDEMPOTENT or route.fallback_writes)
        try:
            if has_body and (may_fall_back or mirror):
                limit = max(config.max_buffered_body_bytes, config.shadow.max_body_bytes)
                complete = await body.buffer(limit)
                if not complete:
                    may_fall_back = False
                    if mirror:
                        self.shadow_drop(route.name, "request_too_large")
                        mirror = False
            response = await self._call(
                route, backend, method, target, headers, body.payload(), guarded
            )
            failed = isinstance(response, UpstreamError) or response.status >= 500
            if failed and may_fall_back:
                if not isinstance(response, UpstreamError):
                    response.release()
                self.metrics.fallbacks.labels(route.name).inc()
                backend = LEGACY
                legacy_headers = (
                    headers
                    if preserve == config.legacy.preserve_host
                    else self.forward_headers(scope, config.legacy.preserve_host)[0]
                )
                response = await self._call(
                    route, LEGACY, method, target, legacy_headers, body.payload(), False
                )
        except ClientDisconnectedError:
            return
        if isinstance(response, UpstreamError):
            await self._bad_gateway(send, backend, response, set_cookie)
            return
        await self._respond(route, scope, send, response, backend, set_cookie, mirror, body)

    def shadow_drop(self, route: str, reason: str) -> None:
        assert self.shadow is not None
        self.shadow.drop(route, reason)

    async def _respond(
        self,
        route: Route,
        scope: Scope,
        send: Send,
        response: UpstreamResponse,
        backend: str,
        set_cookie: bytes | None,
        mirror: bool,
        body: _RequestBody,
    ) -> None:
        headers = end_to_end(response.headers)
        headers.append((_BACKEND_HEADER, _BACKEND_VALUES[backend]))
        if set_cookie is not None:
            headers.append((b"set-cookie", set_cookie))
        captured = bytearray() if mirror else None
        cap = self.config.shadow.max_body_bytes
        truncated = False
        try:
            await send(
                {"type": "http.response.start", "status": response.status, "headers": headers}
            )
            if response.small_length(_SMALL_BODY):
                # the common small answer: one read and one send
                data, _ = await response.read(_SMALL_BODY)
                if captured is not None:
                    truncated = len(data) > cap
                    if not truncated:
                        captured += data
                await send({"type": "http.response.body", "body": data, "more_body": False})
            else:
                async for chunk in response.chunks():
                    if captured is not None and not truncated:
                        if len(captured) + len(chunk) > cap:
                            truncated = True
                        else:
                            captured += chunk
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
                await send({"type": "http.response.body", "body": b"", "more_body": False})
        finally:
            response.release()
        if captured is not None:
            legacy = Snapshot(
                response.status, snapshot_headers(response.headers), bytes(captured), truncated
            )
            assert self.shadow is not None
            self.shadow.submit(
                ShadowJob(
                    route,
                    scope["method"],
                    self.target(scope),
                    self.forward_headers(scope, self.config.new.preserve_host)[0],
                    body.prefix,
                    legacy,
                )
            )

    async def _bad_gateway(
        self, send: Send, backend: str, error: UpstreamError, set_cookie: bytes | None
    ) -> None:
        status = 504 if error.timeout else 502
        payload = orjson.dumps(
            {
                "type": "about:blank",
                "title": "Gateway Timeout" if error.timeout else "Bad Gateway",
                "status": status,
                "detail": f"the {backend} backend did not answer",
            }
        )
        headers = [
            (b"content-type", b"application/problem+json"),
            (b"content-length", str(len(payload)).encode()),
            (b"date", http_date()),
            (_BACKEND_HEADER, _BACKEND_VALUES[backend]),
        ]
        if set_cookie is not None:
            headers.append((b"set-cookie", set_cookie))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": payload})


def http_date() -> bytes:
    """Now as an HTTP date, for the answers the gateway makes itself (the server adds none)."""
    return formatdate(usegmt=True).encode()


def _dated(send: Send) -> Send:
    """`send` that adds a Date field to each HTTP response head."""

    async def dated(message: MutableMapping[str, Any]) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", []), (b"date", http_date())]}
        await send(message)

    return dated


def create_app(config: GatewayConfig, store: StateStore | None = None) -> Gateway:
    return Gateway(config, store)


def create_app_from_env() -> Gateway:
    """Factory for `uvicorn --factory` with several workers: reads CUTOVER_CONFIG."""
    from cutover.config import load_config

    return Gateway(load_config(os.environ.get("CUTOVER_CONFIG", "cutover.yaml")))
