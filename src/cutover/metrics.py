"""Prometheus metrics per route and backend, in a registry owned by one gateway.

A per-gateway `CollectorRegistry` (not the global one) lets several gateways live in
one process (tests, embedding). Label children are cached: `labels()` is slow enough
to show on the proxy's hot path.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.metrics import MetricWrapperBase

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class GatewayMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "cutover_requests",
            "Proxied requests by route, backend and status class",
            ["route", "backend", "status"],
            registry=self.registry,
        )
        self.errors = Counter(
            "cutover_backend_errors",
            "Failed backend calls (connection error, timeout, 5xx)",
            ["route", "backend"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "cutover_request_duration_seconds",
            "Time to the backend's response headers",
            ["route", "backend"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
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
            "Mirrors dropped (queue full, body too large, new failed)",
            ["route", "reason"],
            registry=self.registry,
        )
        self.rollbacks = Counter(
            "cutover_rollbacks", "Route rollbacks", ["route", "kind"], registry=self.registry
        )
        self._children: dict[tuple[str, ...], MetricWrapperBase] = {}

    def _child(self, metric: MetricWrapperBase, *labels: str) -> MetricWrapperBase:
        key = (metric._name, *labels)
        child = self._children.get(key)
        if child is None:
            child = self._children[key] = metric.labels(*labels)
        return child

    def observe(self, route: str, backend: str, status: int, seconds: float) -> None:
        self._child(self.requests, route, backend, f"{status // 100}xx").inc()  # type: ignore[attr-defined]
        self._child(self.latency, route, backend).observe(seconds)  # type: ignore[attr-defined]

    def error(self, route: str, backend: str) -> None:
        self._child(self.errors, route, backend).inc()  # type: ignore[attr-defined]

    def render(self) -> bytes:
        return generate_latest(self.registry)
