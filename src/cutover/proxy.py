"""Upstream HTTP clients and the header rules of a well-behaved proxy.

Two interchangeable clients exist because the choice was made by measurement
(`bench/gateway.py`, docs/cutover.md): aiohttp is the default, httpx is kept so the
comparison can be re-run on new hardware or versions.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Protocol

import aiohttp
import httpx
from yarl import URL

from cutover.config import Backend

RawHeaders = list[tuple[bytes, bytes]]
Body = bytes | AsyncIterator[bytes] | None

HOP_BY_HOP = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-authenticate",
        b"proxy-authorization",
        b"proxy-connection",
        b"te",
        b"trailer",
        b"trailers",
        b"transfer-encoding",
        b"upgrade",
    }
)
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"})
SAFE = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class UpstreamError(Exception):
    """The backend could not be reached or did not answer in time."""

    def __init__(self, message: str, *, timeout: bool = False) -> None:
        super().__init__(message)
        self.timeout = timeout


def connection_tokens(headers: RawHeaders) -> frozenset[bytes]:
    """Header names listed in `Connection:`, hop-by-hop for this hop only."""
    tokens: set[bytes] = set()
    for name, value in headers:
        if name.lower() == b"connection":
            tokens.update(token.strip().lower() for token in value.split(b","))
    return frozenset(tokens)


def end_to_end(headers: RawHeaders) -> RawHeaders:
    """Drop hop-by-hop headers (RFC 9110 §7.6.1), including those named by `Connection:`."""
    kept: RawHeaders = []
    extra: frozenset[bytes] = frozenset()
    for name, value in headers:
        lowered = name.lower()
        if lowered in HOP_BY_HOP:
            if lowered == b"connection":
                extra = connection_tokens(headers)
            continue
        kept.append((name, value))
    if extra:
        kept = [(name, value) for name, value in kept if name.lower() not in extra]
    return kept


async def read_up_to(chunks: AsyncIterator[bytes], limit: int) -> tuple[bytes, bool]:
    """Up to `limit` bytes of a body, and whether it was longer than that."""
    data = bytearray()
    async for chunk in chunks:
        data += chunk
        if len(data) > limit:
            return bytes(data[:limit]), True
    return bytes(data), False


class UpstreamResponse(Protocol):
    status: int
    headers: RawHeaders

    def chunks(self) -> AsyncIterator[bytes]: ...
    async def read(self, limit: int) -> tuple[bytes, bool]: ...
    def small_length(self, limit: int) -> bool: ...
    def release(self) -> None: ...


class UpstreamClient(Protocol):
    async def request(
        self, method: str, target: str, headers: RawHeaders, body: Body
    ) -> UpstreamResponse: ...
    async def close(self) -> None: ...


class _AiohttpResponse:
    __slots__ = ("_response", "headers", "status")

    def __init__(self, response: aiohttp.ClientResponse) -> None:
        self._response = response
        self.status = response.status
        self.headers: RawHeaders = list(response.raw_headers)

    async def chunks(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._response.content.iter_any():
                yield chunk
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise UpstreamError(f"response body failed: {exc!r}") from exc

    async def read(self, limit: int) -> tuple[bytes, bool]:
        """Up to `limit` bytes of the body, and whether it was longer than that."""
        if self.small_length(limit):
            try:
                return await self._response.read(), False
            except (TimeoutError, aiohttp.ClientError) as exc:
                raise UpstreamError(f"response body failed: {exc!r}") from exc
        return await read_up_to(self.chunks(), limit)

    def small_length(self, limit: int) -> bool:
        """True when the body has a declared length of at most `limit` bytes."""
        length = self._response.content_length
        return length is not None and length <= limit

    def release(self) -> None:
        self._response.release()


class AiohttpClient:
    """One pooled aiohttp session per backend: no cookie jar, no redirects, no decoding."""

    def __init__(self, backend: Backend) -> None:
        self._base = backend.url
        self._session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=backend.pool_size, ttl_dns_cache=300),
            timeout=aiohttp.ClientTimeout(
                total=None, sock_connect=backend.timeouts.connect, sock_read=backend.timeouts.read
            ),
            cookie_jar=aiohttp.DummyCookieJar(),
            auto_decompress=False,
            skip_auto_headers=("User-Agent", "Accept", "Accept-Encoding", "Content-Type"),
        )

    @property
    def session(self) -> aiohttp.ClientSession:
        return self._session

    async def request(
        self, method: str, target: str, headers: RawHeaders, body: Body
    ) -> UpstreamResponse:
        try:
            response = await self._session.request(
                method,
                URL(self._base + target, encoded=True),
                headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, v in headers],
                data=body,
                allow_redirects=False,
                compress=None,
            )
        except TimeoutError as exc:
            raise UpstreamError(f"timeout: {exc!r}", timeout=True) from exc
        except (aiohttp.ClientError, OSError) as exc:
            raise UpstreamError(f"{exc!r}") from exc
        return _AiohttpResponse(response)

    async def close(self) -> None:
        await self._session.close()


class _HttpxResponse:
    __slots__ = ("_response", "headers", "status")

    def __init__(self, response: httpx.Response) -> None:
        self._response = response
        self.status = response.status_code
        self.headers: RawHeaders = list(response.headers.raw)

    async def chunks(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._response.aiter_raw():
                yield chunk
        except httpx.HTTPError as exc:
            raise UpstreamError(f"response body failed: {exc!r}") from exc

    async def read(self, limit: int) -> tuple[bytes, bool]:
        return await read_up_to(self.chunks(), limit)

    def small_length(self, limit: int) -> bool:
        length = self._response.headers.get("content-length")
        return length is not None and length.isdigit() and int(length) <= limit

    def release(self) -> None:
        # closing is async in httpx; schedule it so `release` can stay synchronous
        asyncio.get_running_loop().create_task(self._response.aclose())


class HttpxClient:
    """The same contract on httpx.AsyncClient (kept for the benchmark's comparison)."""

    def __init__(self, backend: Backend) -> None:
        timeouts = backend.timeouts
        self._client = httpx.AsyncClient(
            base_url=backend.url,
            timeout=httpx.Timeout(
                connect=timeouts.connect, read=timeouts.read, write=timeouts.read, pool=None
            ),
            limits=httpx.Limits(
                max_connections=backend.pool_size, max_keepalive_connections=backend.pool_size
            ),
            follow_redirects=False,
        )

    async def request(
        self, method: str, target: str, headers: RawHeaders, body: Body
    ) -> UpstreamResponse:
        request = self._client.build_request(method, target, headers=headers, content=body)
        try:
            response = await self._client.send(request, stream=True)
        except httpx.TimeoutException as exc:
            raise UpstreamError(f"timeout: {exc!r}", timeout=True) from exc
        except httpx.HTTPError as exc:
            raise UpstreamError(f"{exc!r}") from exc
        return _HttpxResponse(response)

    async def close(self) -> None:
        await self._client.aclose()


def make_client(backend: Backend) -> UpstreamClient:
    if backend.client == "httpx":
        return HttpxClient(backend)
    if backend.client == "aiohttp":
        return AiohttpClient(backend)
    from cutover.fastclient import HttptoolsClient  # imports this module's types

    return HttptoolsClient(backend)
