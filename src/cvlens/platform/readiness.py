"""Readiness checks: one named async probe per configured backend.

Each platform adapter that the settings switch on registers a probe here during app
start-up; `/health/ready` runs them all concurrently with a timeout each.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import redis.asyncio as aioredis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

Probe = Callable[[], Awaitable[None]]
PROBE_TIMEOUT_SECONDS = 2.0


@dataclass
class CheckResult:
    name: str
    ok: bool
    error: str | None = None


@dataclass
class ReadinessChecks:
    probes: dict[str, Probe] = field(default_factory=dict)

    def add(self, name: str, probe: Probe) -> None:
        self.probes[name] = probe

    async def run(self) -> list[CheckResult]:
        names = list(self.probes)
        outcomes = await asyncio.gather(
            *(asyncio.wait_for(self.probes[n](), PROBE_TIMEOUT_SECONDS) for n in names),
            return_exceptions=True,
        )
        results = []
        for name, outcome in zip(names, outcomes, strict=True):
            if isinstance(outcome, BaseException):
                reason = str(outcome) or type(outcome).__name__
                results.append(CheckResult(name, False, reason))
            else:
                results.append(CheckResult(name, True))
        return results


def database_probe(engine: AsyncEngine) -> Probe:
    async def probe() -> None:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    return probe


def redis_probe(url: str) -> Probe:
    async def probe() -> None:
        client = aioredis.Redis.from_url(url, socket_connect_timeout=PROBE_TIMEOUT_SECONDS)
        try:
            await client.ping()
        finally:
            await client.aclose()

    return probe


def amqp_probe(url: str) -> Probe:
    async def probe() -> None:
        import aio_pika

        connection = await aio_pika.connect(url, timeout=PROBE_TIMEOUT_SECONDS)
        await connection.close()

    return probe
