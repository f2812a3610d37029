"""The guard: a sliding window over new's results per route, and automatic rollback.

Each result of the new backend (served or fallen back) is recorded with its latency
and whether it failed (connection error, timeout, 5xx). When a route's window holds at
least `min_requests` results and its error rate or p99 latency breaks the limits, the
guard asks for a rollback of that route, with the figures that caused it.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from cutover.config import Guard

P99_EVERY_SECONDS = 0.05


@dataclass(frozen=True)
class Breach:
    route: str
    requests: int
    error_rate: float
    p99_ms: float


class _Window:
    __slots__ = ("errors", "last_p99_check", "results")

    def __init__(self) -> None:
        self.results: deque[tuple[float, bool, float]] = deque()
        self.errors = 0
        self.last_p99_check = 0.0


def p99(latencies: list[float]) -> float:
    """The nearest-rank 99th percentile."""
    ordered = sorted(latencies)
    return ordered[max(0, math.ceil(0.99 * len(ordered)) - 1)]


class RouteGuard:
    """Sliding windows of new-backend results; calls `on_breach` once per breach."""

    def __init__(
        self,
        config: Guard,
        on_breach: Callable[[Breach], None],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._config = config
        self._on_breach = on_breach
        self._clock = clock
        self._windows: dict[str, _Window] = {}

    def _prune(self, window: _Window, now: float) -> None:
        horizon = now - self._config.window_seconds
        results = window.results
        while results and results[0][0] < horizon:
            if results.popleft()[1]:
                window.errors -= 1

    def record(self, route: str, failed: bool, latency_seconds: float) -> None:
        if not self._config.enabled:
            return
        window = self._windows.get(route)
        if window is None:
            window = self._windows[route] = _Window()
        now = self._clock()
        window.results.append((now, failed, latency_seconds * 1000.0))
        if failed:
            window.errors += 1
        self._prune(window, now)
        count = len(window.results)
        if count < self._config.min_requests:
            return
        error_rate = window.errors / count
        breached = error_rate > self._config.max_error_rate
        latency = 0.0
        # the p99 needs a sort: check it at most every P99_EVERY_SECONDS per route
        if breached or now - window.last_p99_check >= P99_EVERY_SECONDS:
            window.last_p99_check = now
            latency = p99([item[2] for item in window.results])
            breached = breached or latency > self._config.max_p99_ms
        if breached:
            self._windows.pop(route, None)
            self._on_breach(Breach(route, count, error_rate, latency))

    def snapshot(self, route: str) -> dict[str, float]:
        """Current window figures (for the dashboard and the status API)."""
        window = self._windows.get(route)
        if window is None or not window.results:
            return {"requests": 0, "error_rate": 0.0, "p99_ms": 0.0}
        self._prune(window, self._clock())
        count = len(window.results)
        if not count:
            return {"requests": 0, "error_rate": 0.0, "p99_ms": 0.0}
        return {
            "requests": count,
            "error_rate": window.errors / count,
            "p99_ms": p99([item[2] for item in window.results]),
        }

    def reset(self, route: str) -> None:
        self._windows.pop(route, None)
