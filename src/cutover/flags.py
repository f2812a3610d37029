"""Route flags (mode + canary percent) and the stores that share them between replicas.

The hot path reads flags synchronously from an in-process snapshot (`Flags.get`); stores
push changes into that snapshot: Redis by pub/sub (instant, plus a periodic resync in
case a message is lost), SQLite by polling `PRAGMA data_version` twice a second (for
several worker processes on one machine), memory trivially. Runtime changes stored this
way win over the modes written in cutover.yaml until they are set again.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

import orjson
import redis.asyncio as aioredis

from cutover.config import Mode, Route, State

ChangeCallback = Callable[[], Awaitable[None]]
MAX_EVENTS = 500


@dataclass(frozen=True)
class RouteState:
    mode: Mode
    percent: float

    def to_json(self) -> dict[str, Any]:
        return {"mode": self.mode.value, "percent": self.percent}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RouteState:
        return cls(Mode(data["mode"]), float(data["percent"]))


@dataclass(frozen=True)
class Event:
    """A change of a route's flags, with who did it and (for automatic ones) why."""

    route: str
    kind: str  # "set" | "rollback" | "auto-rollback"
    mode: str
    percent: float
    actor: str
    figures: dict[str, float] = field(default_factory=dict)
    at: float = field(default_factory=time.time)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Event:
        return cls(**data)


class UnknownRouteError(KeyError):
    """The named route is not in the configuration."""


class StateStore(Protocol):
    async def start(self, on_change: ChangeCallback) -> None: ...
    async def load(self) -> dict[str, RouteState]: ...
    async def save(self, states: dict[str, RouteState], events: list[Event]) -> None: ...
    async def events(self, limit: int) -> list[Event]: ...
    async def close(self) -> None: ...


class MemoryStore:
    """Process-local state: one replica only."""

    def __init__(self) -> None:
        self._states: dict[str, RouteState] = {}
        self._events: deque[Event] = deque(maxlen=MAX_EVENTS)

    async def start(self, on_change: ChangeCallback) -> None:
        return None

    async def load(self) -> dict[str, RouteState]:
        return dict(self._states)

    async def save(self, states: dict[str, RouteState], events: list[Event]) -> None:
        self._states.update(states)
        self._events.extend(events)

    async def events(self, limit: int) -> list[Event]:
        return list(self._events)[-limit:][::-1]

    async def close(self) -> None:
        return None


class SQLiteStore:
    """State in a SQLite file, shared by the worker processes of one machine."""

    POLL_SECONDS = 0.5

    def __init__(self, path: str) -> None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS route_state (name TEXT PRIMARY KEY, state TEXT NOT NULL)"
        )
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY AUTOINCREMENT, "
            "event TEXT NOT NULL)"
        )
        self._task: asyncio.Task[None] | None = None

    def _run(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    async def start(self, on_change: ChangeCallback) -> None:
        # The version is read before start returns: a change committed between here and
        # the poll task's first turn must still count as a change.
        version = (await asyncio.to_thread(self._run, "PRAGMA data_version"))[0][0]
        self._task = asyncio.create_task(self._poll(on_change, version))

    async def _poll(self, on_change: ChangeCallback, last: int) -> None:
        while True:
            await asyncio.sleep(self.POLL_SECONDS)
            version = (await asyncio.to_thread(self._run, "PRAGMA data_version"))[0][0]
            if version != last:
                last = version
                await on_change()

    async def load(self) -> dict[str, RouteState]:
        rows = await asyncio.to_thread(self._run, "SELECT name, state FROM route_state")
        return {name: RouteState.from_json(orjson.loads(state)) for name, state in rows}

    async def save(self, states: dict[str, RouteState], events: list[Event]) -> None:
        def write() -> None:
            with self._lock:
                self._db.execute("BEGIN IMMEDIATE")
                for name, state in states.items():
                    self._db.execute(
                        "INSERT OR REPLACE INTO route_state VALUES (?, ?)",
                        (name, orjson.dumps(state.to_json()).decode()),
                    )
                for event in events:
                    self._db.execute(
                        "INSERT INTO events (event) VALUES (?)",
                        (orjson.dumps(event.to_json()).decode(),),
                    )
                self._db.execute(
                    "DELETE FROM events WHERE id <= (SELECT MAX(id) FROM events) - ?",
                    (MAX_EVENTS,),
                )
                self._db.execute("COMMIT")

        await asyncio.to_thread(write)

    async def events(self, limit: int) -> list[Event]:
        rows = await asyncio.to_thread(
            self._run, "SELECT event FROM events ORDER BY id DESC LIMIT ?", (limit,)
        )
        return [Event.from_json(orjson.loads(row[0])) for row in rows]

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._db.close()


class RedisStore:
    """State in Redis; a change is published so every replica reloads within a second."""

    RESYNC_SECONDS = 5.0

    def __init__(self, url: str, prefix: str) -> None:
        self._redis: aioredis.Redis = aioredis.Redis.from_url(url)
        self._states_key = f"{prefix}:routes"
        self._events_key = f"{prefix}:events"
        self._channel = f"{prefix}:changes"
        self._task: asyncio.Task[None] | None = None

    async def start(self, on_change: ChangeCallback) -> None:
        pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        await pubsub.subscribe(self._channel)
        self._task = asyncio.create_task(self._listen(pubsub, on_change))

    async def _listen(self, pubsub: Any, on_change: ChangeCallback) -> None:
        last_sync = time.monotonic()
        try:
            while True:
                try:
                    message = await pubsub.get_message(timeout=1.0)
                except (aioredis.ConnectionError, OSError):
                    await asyncio.sleep(1.0)
                    with contextlib.suppress(aioredis.ConnectionError, OSError):
                        await pubsub.subscribe(self._channel)
                    continue
                if message is not None or time.monotonic() - last_sync > self.RESYNC_SECONDS:
                    last_sync = time.monotonic()
                    with contextlib.suppress(aioredis.ConnectionError, OSError):
                        await on_change()
        finally:
            with contextlib.suppress(Exception):
                await pubsub.aclose()

    async def load(self) -> dict[str, RouteState]:
        raw = await self._redis.hgetall(self._states_key)
        return {
            (name.decode() if isinstance(name, bytes) else name): RouteState.from_json(
                orjson.loads(state)
            )
            for name, state in raw.items()
        }

    async def save(self, states: dict[str, RouteState], events: list[Event]) -> None:
        async with self._redis.pipeline(transaction=True) as pipe:
            if states:
                pipe.hset(
                    self._states_key,
                    mapping={name: orjson.dumps(s.to_json()) for name, s in states.items()},
                )
            for event in events:
                pipe.lpush(self._events_key, orjson.dumps(event.to_json()))
            pipe.ltrim(self._events_key, 0, MAX_EVENTS - 1)
            pipe.publish(self._channel, b"changed")
            await pipe.execute()

    async def events(self, limit: int) -> list[Event]:
        raw = await self._redis.lrange(self._events_key, 0, limit - 1)
        return [Event.from_json(orjson.loads(item)) for item in raw]

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._redis.aclose()


def make_store(config: State) -> StateStore:
    if config.backend == "redis":
        return RedisStore(config.url, config.key_prefix)
    if config.backend == "sqlite":
        return SQLiteStore(config.path)
    return MemoryStore()


class Flags:
    """The current mode and percent of every route, readable without awaiting."""

    def __init__(self, routes: list[Route], store: StateStore) -> None:
        self._defaults = {route.name: RouteState(route.mode, route.percent) for route in routes}
        self._current = dict(self._defaults)
        self.store = store
        self._listeners: list[Callable[[], None]] = []

    async def start(self) -> None:
        """Listen first, then load: a change stored in between is seen by one or the other."""
        await self.store.start(self.refresh)
        await self.refresh()

    async def refresh(self) -> None:
        stored = await self.store.load()
        current = dict(self._defaults)
        current.update({name: state for name, state in stored.items() if name in current})
        self._current = current
        for listener in self._listeners:
            listener()

    def on_change(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    def get(self, route: str) -> RouteState:
        return self._current[route]

    def all(self) -> dict[str, RouteState]:
        return dict(self._current)

    def names(self) -> list[str]:
        return list(self._defaults)

    async def set(
        self, route: str, mode: Mode, percent: float | None = None, *, actor: str = "admin"
    ) -> RouteState:
        """Set a route's mode (and percent for canary); keeps the percent when not given."""
        if route not in self._defaults:
            raise UnknownRouteError(route)
        if percent is not None and not 0 <= percent <= 100:
            raise ValueError("percent must be between 0 and 100")
        state = RouteState(mode, self._current[route].percent if percent is None else percent)
        event = Event(route, "set", mode.value, state.percent, actor)
        await self._apply({route: state}, [event])
        return state

    async def rollback(
        self,
        routes: list[str] | None = None,
        *,
        actor: str = "admin",
        kind: str = "rollback",
        figures: dict[str, float] | None = None,
    ) -> list[str]:
        """Send the given routes (all when None) back to legacy; returns the names changed."""
        names = self.names() if routes is None else routes
        for name in names:
            if name not in self._defaults:
                raise UnknownRouteError(name)
        states = {name: RouteState(Mode.LEGACY, self._current[name].percent) for name in names}
        events = [
            Event(name, kind, Mode.LEGACY.value, state.percent, actor, dict(figures or {}))
            for name, state in states.items()
        ]
        await self._apply(states, events)
        return names

    async def _apply(self, states: dict[str, RouteState], events: list[Event]) -> None:
        await self.store.save(states, events)
        self._current = {**self._current, **states}
        for listener in self._listeners:
            listener()

    async def events(self, limit: int = 50) -> list[Event]:
        return await self.store.events(limit)
