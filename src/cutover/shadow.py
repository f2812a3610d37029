"""Shadow traffic: replay served requests to new in the background and diff the answers.

The client already has legacy's response when a job is queued; the queue is bounded
and `submit` never waits: when it is full the mirror is dropped and counted. Workers
replay the request to new and, when noise cancelling is on and the method is safe,
to legacy a second time, then feed both comparisons to the aggregator.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass

from cutover.config import Route, Shadow
from cutover.diff import Comparator, DiffAggregator, Difference, DiffKind, Snapshot
from cutover.metrics import GatewayMetrics
from cutover.proxy import SAFE, RawHeaders, UpstreamClient, UpstreamError

log = logging.getLogger("cutover.shadow")


@dataclass(frozen=True)
class ShadowJob:
    route: Route
    method: str
    target: str
    headers: RawHeaders
    body: bytes
    legacy: Snapshot


def snapshot_headers(headers: RawHeaders) -> dict[str, str]:
    return {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in headers}


class ShadowMirror:
    def __init__(
        self,
        config: Shadow,
        legacy: UpstreamClient,
        new: UpstreamClient,
        metrics: GatewayMetrics,
    ) -> None:
        self.config = config
        self._legacy = legacy
        self._new = new
        self._metrics = metrics
        self._queue: asyncio.Queue[ShadowJob] = asyncio.Queue(maxsize=config.queue_size)
        self._workers: list[asyncio.Task[None]] = []
        self._comparators: dict[str, Comparator] = {}
        self.aggregator = DiffAggregator(config)
        self.dropped = 0
        self.processed = 0

    def start(self) -> None:
        self._workers = [
            asyncio.create_task(self._work(), name=f"cutover-shadow-{i}")
            for i in range(self.config.workers)
        ]

    async def stop(self) -> None:
        for worker in self._workers:
            worker.cancel()
        for worker in self._workers:
            with contextlib.suppress(asyncio.CancelledError):
                await worker

    def queued(self) -> int:
        return self._queue.qsize()

    def submit(self, job: ShadowJob) -> bool:
        """Queue a mirror without waiting; False (and counted) when the queue is full."""
        try:
            self._queue.put_nowait(job)
        except asyncio.QueueFull:
            self.drop(job.route.name, "queue_full")
            return False
        return True

    def drop(self, route: str, reason: str) -> None:
        self.dropped += 1
        self._metrics.shadow_dropped.labels(route, reason).inc()

    async def idle(self) -> None:
        """Wait until every queued job has been compared (tests, graceful shutdown)."""
        await self._queue.join()

    async def _work(self) -> None:
        while True:
            job = await self._queue.get()
            try:
                await self._compare(job)
            except Exception:
                log.exception("shadow comparison failed for %s %s", job.method, job.target)
            finally:
                self.processed += 1
                self._queue.task_done()

    async def _call(self, client: UpstreamClient, job: ShadowJob) -> Snapshot | str:
        try:
            response = await client.request(job.method, job.target, job.headers, job.body or None)
        except UpstreamError as exc:
            return f"error: {exc}"
        try:
            body, truncated = await response.read(self.config.max_body_bytes)
        except UpstreamError as exc:
            return f"error: {exc}"
        finally:
            response.release()
        return Snapshot(response.status, snapshot_headers(response.headers), body, truncated)

    def _comparator(self, route: Route) -> Comparator:
        comparator = self._comparators.get(route.name)
        if comparator is None:
            comparator = Comparator(route.compare_headers, route.ignore)
            self._comparators[route.name] = comparator
        return comparator

    async def _compare(self, job: ShadowJob) -> None:
        comparator = self._comparator(job.route)
        noise_call = self.config.noise_cancelling and job.method in SAFE
        if noise_call:
            new, second = await asyncio.gather(
                self._call(self._new, job), self._call(self._legacy, job)
            )
        else:
            new, second = await self._call(self._new, job), None
        if isinstance(new, str):
            differences = [Difference("status", DiffKind.CHANGED, job.legacy.status, new)]
        else:
            differences = comparator.compare(job.legacy, new)
        noise: list[Difference] | None = None
        if isinstance(second, Snapshot):
            noise = comparator.compare(job.legacy, second)
        request = f"{job.method} {job.target}"
        self.aggregator.record(job.route.name, differences, noise, request)
        self._metrics.shadow_compared.labels(job.route.name).inc()
        if differences:
            self._metrics.shadow_diffs.labels(job.route.name).inc()
