"""Rate limits with the `limits` library: in memory by default, in Redis when configured.

Memory storage counts per process, which is right for the one-process embedded default;
with `CVLENS_REDIS_URL` every replica counts in the same Redis keys (moving window), so a
client cannot multiply its allowance by the number of replicas. A limit that is exceeded
raises a 429 problem carrying `Retry-After` (seconds).
"""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable
from functools import cache
from typing import Any

import redis.asyncio as aioredis
from fastapi import Request
from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, RedisStorage
from limits.aio.strategies import MovingWindowRateLimiter

from cvlens.platform.errors import ProblemError
from cvlens.settings import Settings


class RateLimiter:
    def __init__(self, redis_url: str | None = None, key_prefix: str = "cvlens") -> None:
        self._pool: aioredis.ConnectionPool | None = None
        storage: MemoryStorage | RedisStorage
        if redis_url:
            self._pool = aioredis.ConnectionPool.from_url(redis_url)
            # Our own pool, so shutdown can close it (the storage has no close method).
            options: dict[str, Any] = {"connection_pool": self._pool}
            storage = RedisStorage(
                "async+" + redis_url,
                implementation="redispy",
                key_prefix=f"{key_prefix}:ratelimit",
                **options,
            )
        else:
            storage = MemoryStorage()
        self._strategy = MovingWindowRateLimiter(storage)

    @classmethod
    def from_settings(cls, settings: Settings) -> RateLimiter:
        return cls(settings.redis_url, settings.redis_key_prefix)

    async def aclose(self) -> None:
        if self._pool is not None:
            await self._pool.disconnect()

    async def hit(self, limit: RateLimitItem, *identifiers: str) -> None:
        """Count one hit; raise a 429 problem when the limit is already used up."""
        if await self._strategy.hit(limit, *identifiers):
            return
        stats = await self._strategy.get_window_stats(limit, *identifiers)
        retry_after = max(1, math.ceil(stats.reset_time - time.time()))
        raise ProblemError(
            429,
            "too-many-requests",
            f"rate limit of {limit} exceeded; retry in {retry_after} s",
            headers={"Retry-After": str(retry_after)},
        )


@cache
def _parsed(notation: str) -> RateLimitItem:
    return parse(notation)


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def rate_limited(
    name: str, notation_of: Callable[[Settings], str]
) -> Callable[[Request], Awaitable[None]]:
    """A dependency counting one hit per request under `name` and the client's address.

    The limit is read from the app's settings (e.g. `lambda s: s.rate_limit_token`) and the
    limiter from `app.state.limiter`.
    """

    async def dependency(request: Request) -> None:
        limiter: RateLimiter = request.app.state.limiter
        limit = _parsed(notation_of(request.app.state.settings))
        await limiter.hit(limit, name, client_address(request))

    return dependency
