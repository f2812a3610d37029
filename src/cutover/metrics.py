"""Prometheus metrics per route and backend, in a registry owned by one gateway.

A per-gateway `CollectorRegistry` (not the global one) lets several gateways live in
one process (tests, embedding). The per-request series (requests, errors, latency) are
kept in plain dictionaries and turned into metric families only when scraped: the
prometheus-client `Counter`/`Histogram` objects (a lock and a bucket loop per call) cost
more CPU than the rest of the gateway's own per-request work.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Counter, generate_latest
from prometheus_client.core import CounterMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_STATUS_CLASSES = ("0xx", "1xx", "2xx", "3xx", "4xx", "5xx")


class _Latency:
    __slots__ = ("buckets", "total")

    def __init__(self) -> None:
        self.buckets = [0] * (len(LATENCY_BUCKETS) + 1)  # the last one is +Inf
        self.total = 0.0


class _HotPathCollector(Collector):
    """Requests, backend errors and latency, counted in dictionaries."""

    def __init__(self) -> None:
        self.requests: dict[tuple[str, str, str], int] = {}
        self.errors: dict[tuple[str, str], int] = {}
        self.latency: dict[tuple[str, str], _Latency] = {}

    def collect(self) -> Iterator[Metric]:
        requests = CounterMetricFamily(
            "cutover_requests",
            "Proxied requests by route, backend and status class",
            labels=["route", "backend", "status"],
        )
        for request_labels, count in list(self.requests.items()):
            requests.add_metric(list(request_labels), count)
        yield requests
        errors = CounterMetricFamily(
            "cutover_backend_errors",
            "Failed backend calls (connection error, timeout, 5xx)",
            labels=["route", "backend"],
        )
        for error_labels, count in list(self.errors.items()):
            errors.add_metric(list(error_labels), count)
        yield errors
        latency = HistogramMetricFamily(
            "cutover_request_duration_seconds",
            "Time to the backend's response headers",
            labels=["route", "backend"],
        )
        for latency_labels, series in list(self.latency.items()):
            cumulative, buckets = 0, []
            for bound, count in zip((*LATENCY_BUCKETS, float("inf")), series.buckets, strict=True):
                cumulative += count
                buckets.append(("+Inf" if bound == float("inf") else repr(bound), cumulative))
            latency.add_metric(list(latency_labels), buckets, series.total)
        yield latency


class GatewayMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self._hot = _HotPathCollector()
        self.registry.register(self._hot)
        self.fallbacks = Counter(
            "cutover_fallbacks", "Requests retried on legacy", ["route"], registry=self.registry
        )
        self.shadow_diffs = Counter(
            "cutover_shadow_diffs",
            "Shadow comparisons with at least one difference",
            ["route"],
            registry=self.registry,
        )
        self.shadow_compared = Counter(
            "cutover_shadow_compared", "Shadow comparisons", ["route"], registry=self.registry
        )
        self.shadow_dropped = Counter(
            "cutover_shadow_dropped",
            "Mirrors dropped (queue full, body too large)",
            ["route", "reason"],
            registry=self.registry,
        )
        self.rollbacks = Counter(
            "cutover_rollbacks", "Route rollbacks", ["route", "kind"], registry=self.registry
        )

    def observe(self, route: str, backend: str, status: int, seconds: float) -> None:
        hot = self._hot
        status_class = _STATUS_CLASSES[status // 100] if 0 <= status < 600 else "5xx"
        key = (route, backend, status_class)
        hot.requests[key] = hot.requests.get(key, 0) + 1
        series = hot.latency.get((route, backend))
        if series is None:
            series = hot.latency[(route, backend)] = _Latency()
        series.buckets[bisect_left(LATENCY_BUCKETS, seconds)] += 1
        series.total += seconds

    def error(self, route: str, backend: str) -> None:
        key = (route, backend)
        self._hot.errors[key] = self._hot.errors.get(key, 0) + 1

    def render(self) -> bytes:
        return generate_latest(self.registry)
