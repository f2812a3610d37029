"""Progress-event fan-out: in memory (one process) or Redis pub/sub (many replicas).

Events are small JSON objects published on a channel per job. Subscribers are the
WebSocket/SSE endpoints; with Redis, an API replica sees events of a job that a worker
on another machine runs.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict
from collections.abc import AsyncIterator
from typing import Any, Protocol

import orjson
import redis.asyncio as aioredis

CHANNEL_PREFIX = "cvlens:events:"


class Subscription(Protocol):
    async def get(self, wait_seconds: float) -> dict[str, Any] | None: ...


class EventBus(Protocol):
    async def publish(self, channel: str, event: dict[str, Any]) -> None: ...

    def subscribe(self, channel: str) -> contextlib.AbstractAsyncContextManager[Subscription]: ...

    async def close(self) -> None: ...


class _QueueSubscription:
    def __init__(self) -> None:
        self.queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=256)

    async def get(self, wait_seconds: float) -> dict[str, Any] | None:
        try:
            return await asyncio.wait_for(self.queue.get(), wait_seconds)
        except TimeoutError:
            return None


class MemoryEventBus:
    def __init__(self) -> None:
        self._subscribers: dict[str, set[_QueueSubscription]] = defaultdict(set)

    async def publish(self, channel: str, event: dict[str, Any]) -> None:
        for subscriber in list(self._subscribers.get(channel, ())):
            with contextlib.suppress(asyncio.QueueFull):
                subscriber.queue.put_nowait(event)

    @contextlib.asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[Subscription]:
        subscription = _QueueSubscription()
        self._subscribers[channel].add(subscription)
        try:
            yield subscription
        finally:
            self._subscribers[channel].discard(subscription)
            if not self._subscribers[channel]:
                del self._subscribers[channel]

    async def close(self) -> None:
        self._subscribers.clear()


class _RedisSubscription:
    def __init__(self, pubsub: Any) -> None:
        self.pubsub = pubsub

    async def get(self, wait_seconds: float) -> dict[str, Any] | None:
        # get_message() answers None for a (un)subscribe confirmation as well as for
        # silence, so keep asking until a real message arrives or the wait is over.
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait_seconds
        while (remaining := deadline - loop.time()) > 0:
            message = await self.pubsub.get_message(
                ignore_subscribe_messages=True, timeout=remaining
            )
            if message is not None and message["type"] == "message":
                data: dict[str, Any] = orjson.loads(message["data"])
                return data
        return None


class RedisEventBus:
    def __init__(self, url: str) -> None:
        self._redis = aioredis.Redis.from_url(url)

    async def publish(self, channel: str, event: dict[str, Any]) -> None:
        await self._redis.publish(CHANNEL_PREFIX + channel, orjson.dumps(event))

    @contextlib.asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[Subscription]:
        pubsub = self._redis.pubsub()
        await pubsub.subscribe(CHANNEL_PREFIX + channel)
        try:
            yield _RedisSubscription(pubsub)
        finally:
            await pubsub.unsubscribe()
            await pubsub.aclose()  # type: ignore[no-untyped-call]

    async def close(self) -> None:
        await self._redis.aclose()


def create_event_bus(redis_url: str | None) -> EventBus:
    return RedisEventBus(redis_url) if redis_url else MemoryEventBus()
