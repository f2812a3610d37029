"""Typed differences between two HTTP responses, and their Diffy-style aggregation.

A response pair is compared on status, selected headers and, when both bodies are
JSON, per field path (`$.items[3].id`): changed value, type change, missing field
(in new), extra field (in new), list length, order. Paths are aggregated with list
indexes folded to `[*]` so one field of many list items counts once per request.

Noise cancelling (Diffy): legacy is called a second time; a path is reported only
when its new-vs-legacy difference rate exceeds its legacy-vs-legacy rate by both the
relative and the absolute threshold. Fields such as timestamps and generated ids
differ between two legacy calls too, so they cancel out.
"""

from __future__ import annotations

import gzip
import re
import zlib
from collections import deque
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import orjson

from cutover.config import IgnoreRules, Shadow

_INDEX = re.compile(r"\[\d+\]")


class DiffKind(StrEnum):
    CHANGED = "changed"
    TYPE_CHANGE = "type_change"
    MISSING = "missing"
    EXTRA = "extra"
    LIST_LENGTH = "list_length"
    ORDER = "order"


@dataclass(frozen=True)
class Difference:
    path: str
    kind: DiffKind
    legacy: Any
    new: Any


@dataclass(frozen=True)
class Snapshot:
    """What is compared of one response."""

    status: int
    headers: dict[str, str]
    body: bytes
    truncated: bool = False


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _canonical(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def diff_json(legacy: Any, new: Any, path: str = "$") -> list[Difference]:
    """Typed differences between two decoded JSON values."""
    legacy_type, new_type = _type_name(legacy), _type_name(new)
    if legacy_type != new_type:
        return [Difference(path, DiffKind.TYPE_CHANGE, legacy_type, new_type)]
    if isinstance(legacy, dict) and isinstance(new, dict):
        found: list[Difference] = []
        for key, value in legacy.items():
            child = f"{path}.{key}"
            if key not in new:
                found.append(Difference(child, DiffKind.MISSING, value, None))
            else:
                found.extend(diff_json(value, new[key], child))
        found.extend(
            Difference(f"{path}.{key}", DiffKind.EXTRA, None, value)
            for key, value in new.items()
            if key not in legacy
        )
        return found
    if isinstance(legacy, list) and isinstance(new, list):
        if len(legacy) != len(new):
            found = [Difference(path, DiffKind.LIST_LENGTH, len(legacy), len(new))]
            for index in range(min(len(legacy), len(new))):
                found.extend(diff_json(legacy[index], new[index], f"{path}[{index}]"))
            return found
        if legacy != new and sorted(map(_canonical, legacy)) == sorted(map(_canonical, new)):
            return [Difference(path, DiffKind.ORDER, None, None)]
        found = []
        for index, (left, right) in enumerate(zip(legacy, new, strict=True)):
            found.extend(diff_json(left, right, f"{path}[{index}]"))
        return found
    if legacy != new:
        return [Difference(path, DiffKind.CHANGED, legacy, new)]
    return []


def _glob_to_regex(pattern: str) -> re.Pattern[str]:
    """`$.items[*].id`, `$.meta.*`, `$..timestamp` (any depth) → an anchored regex."""
    out = []
    index = 0
    while index < len(pattern):
        if pattern.startswith("..", index):
            out.append(r"(?:\.[^.\[]+|\[\d+\])*\.")
            index += 2
        elif pattern.startswith("[*]", index):
            out.append(r"\[\d+\]")
            index += 3
        elif pattern[index] == "*":
            out.append(r"[^.\[]+")
            index += 1
        else:
            out.append(re.escape(pattern[index]))
            index += 1
    # a rule also covers everything below the path it names
    return re.compile("^" + "".join(out) + r"(?:[.\[].*)?$")


class Comparator:
    """Compares two snapshots under a route's ignore rules."""

    def __init__(self, compare_headers: list[str], ignore: IgnoreRules) -> None:
        ignored = {name.lower() for name in ignore.headers}
        self._headers = [h.lower() for h in compare_headers if h.lower() not in ignored]
        self._ignore = [_glob_to_regex(p) for p in ignore.json_paths]

    def _ignored(self, path: str) -> bool:
        return any(rule.match(path) for rule in self._ignore)

    def compare(self, legacy: Snapshot, new: Snapshot) -> list[Difference]:
        found: list[Difference] = []
        if legacy.status != new.status:
            found.append(Difference("status", DiffKind.CHANGED, legacy.status, new.status))
        for name in self._headers:
            left, right = legacy.headers.get(name), new.headers.get(name)
            if left != right:
                kind = (
                    DiffKind.MISSING
                    if right is None
                    else DiffKind.EXTRA
                    if left is None
                    else DiffKind.CHANGED
                )
                found.append(Difference(f"header:{name}", kind, left, right))
        if legacy.truncated or new.truncated:
            return found
        found.extend(self._compare_bodies(_decoded(legacy), _decoded(new)))
        return found

    def _compare_bodies(self, legacy: bytes, new: bytes) -> list[Difference]:
        if legacy == new:
            return []
        try:
            left, right = orjson.loads(legacy or b"null"), orjson.loads(new or b"null")
        except orjson.JSONDecodeError:
            return [Difference("body", DiffKind.CHANGED, len(legacy), len(new))]
        return [d for d in diff_json(left, right) if not self._ignored(d.path)]


def _decoded(snapshot: Snapshot) -> bytes:
    """The body without its gzip/deflate content-coding (the gateway passes it through)."""
    coding = snapshot.headers.get("content-encoding", "").strip().lower()
    try:
        if coding == "gzip":
            return gzip.decompress(snapshot.body)
        if coding == "deflate":
            return zlib.decompress(snapshot.body)
    except (OSError, EOFError, zlib.error):
        return snapshot.body
    return snapshot.body


def aggregate_path(path: str) -> str:
    return _INDEX.sub("[*]", path)


@dataclass
class PathStats:
    raw: int = 0
    noise: int = 0
    kinds: dict[str, int] = field(default_factory=dict)
    samples: deque[dict[str, Any]] = field(default_factory=deque)


@dataclass
class RouteDiffs:
    compared: int = 0
    noise_compared: int = 0
    paths: dict[str, PathStats] = field(default_factory=dict)


OTHER_PATHS = "<other paths>"


class DiffAggregator:
    """Per route and field path: difference counts, noise counts and a few samples."""

    def __init__(self, config: Shadow) -> None:
        self._config = config
        self._routes: dict[str, RouteDiffs] = {}

    def _stats(self, route: RouteDiffs, path: str) -> PathStats:
        stats = route.paths.get(path)
        if stats is None:
            if len(route.paths) >= self._config.max_paths_per_route:
                path = OTHER_PATHS
                stats = route.paths.get(path)
            if stats is None:
                stats = PathStats(samples=deque(maxlen=self._config.samples_per_path))
                route.paths[path] = stats
        return stats

    def record(
        self,
        route: str,
        differences: list[Difference],
        noise: list[Difference] | None,
        request: str,
    ) -> list[str]:
        """Count one comparison; returns the aggregated paths that differed."""
        entry = self._routes.setdefault(route, RouteDiffs())
        entry.compared += 1
        differed: dict[str, Difference] = {}
        for difference in differences:
            differed.setdefault(aggregate_path(difference.path), difference)
        for path, difference in differed.items():
            stats = self._stats(entry, path)
            stats.raw += 1
            stats.kinds[difference.kind.value] = stats.kinds.get(difference.kind.value, 0) + 1
            stats.samples.append(
                {
                    "request": request,
                    "path": difference.path,
                    "kind": difference.kind.value,
                    "legacy": difference.legacy,
                    "new": difference.new,
                }
            )
        if noise is not None:
            entry.noise_compared += 1
            for path in {aggregate_path(d.path) for d in noise}:
                self._stats(entry, path).noise += 1
        return list(differed)

    def is_reported(self, entry: RouteDiffs, stats: PathStats) -> bool:
        """Diffy's rule: raw rate beats noise rate by the relative AND absolute thresholds."""
        if entry.compared == 0 or stats.raw == 0:
            return False
        raw_rate = stats.raw / entry.compared
        if entry.noise_compared == 0:
            return True
        noise_rate = stats.noise / entry.noise_compared
        excess = raw_rate - noise_rate
        if excess <= self._config.absolute_threshold:
            return False
        return noise_rate == 0 or excess / noise_rate > self._config.relative_threshold

    def report(self, route: str | None = None) -> dict[str, Any]:
        """Reported (non-noise) paths per route, most frequent first."""
        result: dict[str, Any] = {}
        for name, entry in self._routes.items():
            if route is not None and name != route:
                continue
            paths: list[dict[str, Any]] = []
            for path, stats in entry.paths.items():
                if not self.is_reported(entry, stats):
                    continue
                paths.append(
                    {
                        "path": path,
                        "count": stats.raw,
                        "rate": stats.raw / entry.compared,
                        "noise_rate": (
                            stats.noise / entry.noise_compared if entry.noise_compared else 0.0
                        ),
                        "kinds": dict(stats.kinds),
                        "samples": list(stats.samples),
                    }
                )
            paths.sort(key=lambda item: (-item["count"], item["path"]))
            result[name] = {
                "compared": entry.compared,
                "noise_compared": entry.noise_compared,
                "paths": paths,
                "noise_paths": sorted(
                    p for p, s in entry.paths.items() if s.raw and not self.is_reported(entry, s)
                ),
            }
        return result
