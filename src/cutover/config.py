"""`cutover.yaml`: the gateway's configuration, validated by Pydantic.

Validation errors name the YAML line of the offending value: the loader records the
start mark of every mapping key and value, and `ConfigError` maps Pydantic's error
locations back onto those marks.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

Loc = tuple[int | str, ...]


class Mode(StrEnum):
    """How a route's traffic is served."""

    LEGACY = "legacy"
    SHADOW = "shadow"
    CANARY = "canary"
    NEW = "new"


class ConfigError(ValueError):
    """The configuration is invalid; `problems` lists (line or None, location, message)."""

    def __init__(self, source: str, problems: Sequence[tuple[int | None, str, str]]) -> None:
        self.source = source
        self.problems = list(problems)
        lines = [
            f"{source}:{line if line is not None else '?'}: {where}: {message}"
            for line, where, message in self.problems
        ]
        super().__init__("invalid cutover configuration\n" + "\n".join(lines))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Timeouts(_Strict):
    """Seconds: `connect` bounds the TCP connect, `read` any wait for the backend's next
    bytes (its response headers included), so long streamed responses are not cut."""

    connect: float = Field(2.0, gt=0)
    read: float = Field(30.0, gt=0)


class Backend(_Strict):
    url: str
    timeouts: Timeouts = Timeouts()
    pool_size: int = Field(256, ge=1, description="maximum pooled connections")
    preserve_host: bool = False
    client: Literal["httptools", "aiohttp", "httpx"] = Field(
        "httptools",
        description="upstream HTTP client: the built-in httptools one measured fastest "
        "(docs/cutover.md); aiohttp and httpx are kept for comparison",
    )

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not re.match(r"^https?://[^/\s]+", value):
            raise ValueError("must be an http:// or https:// URL")
        return value.rstrip("/")


class StickinessKey(_Strict):
    source: Literal["jwt_sub", "header", "cookie"] = "jwt_sub"
    name: str = Field("Authorization", description="header or cookie name")


class Stickiness(_Strict):
    salt: str = "cutover"
    key: StickinessKey = StickinessKey()
    client_cookie: str = "cutover_uid"
    cookie_max_age: int = Field(365 * 24 * 3600, ge=0)


class Overrides(_Strict):
    enabled: bool = False
    header: str = "X-Cutover-Force"
    cookie: str = "cutover_force"


class IgnoreRules(_Strict):
    json_paths: list[str] = []
    headers: list[str] = []


class Route(_Strict):
    name: str = Field(pattern=r"^[A-Za-z0-9_.\-]+$")
    path: str = "/{rest:path}"
    methods: list[str] = []
    mode: Mode = Mode.LEGACY
    percent: float = Field(0, ge=0, le=100)
    mirror_writes: bool = False
    fallback_writes: bool = Field(False, description="also retry non-idempotent requests")
    compare_headers: list[str] = ["content-type"]
    ignore: IgnoreRules = IgnoreRules()

    @field_validator("path")
    @classmethod
    def _absolute(cls, value: str) -> str:
        if not value.startswith("/"):
            raise ValueError("path pattern must start with '/'")
        return value

    @field_validator("methods")
    @classmethod
    def _upper(cls, value: list[str]) -> list[str]:
        methods = [m.upper() for m in value]
        for method in methods:
            if not re.fullmatch(r"[A-Z]+", method):
                raise ValueError(f"not an HTTP method: {method!r}")
        return methods


class Shadow(_Strict):
    queue_size: int = Field(1000, ge=1)
    workers: int = Field(4, ge=1)
    max_body_bytes: int = Field(1_048_576, ge=0)
    noise_cancelling: bool = True
    relative_threshold: float = Field(0.2, ge=0, description="Diffy's relative threshold")
    absolute_threshold: float = Field(0.03, ge=0, description="Diffy's absolute threshold")
    samples_per_path: int = Field(5, ge=0)
    max_paths_per_route: int = Field(200, ge=1)


class Guard(_Strict):
    enabled: bool = True
    window_seconds: float = Field(60, gt=0)
    min_requests: int = Field(20, ge=1)
    max_error_rate: float = Field(0.05, ge=0, le=1)
    max_p99_ms: float = Field(2000, gt=0)


class State(_Strict):
    backend: Literal["memory", "sqlite", "redis"] = "memory"
    path: str = "var/cutover-state.sqlite3"
    url: str = "redis://127.0.0.1:6379/0"
    key_prefix: str = "cutover"


class Admin(_Strict):
    prefix: str = "/_cutover"
    token: str | None = Field(None, description="bearer token; env CUTOVER_ADMIN_TOKEN wins")
    metrics_public: bool = True

    @field_validator("prefix")
    @classmethod
    def _prefix(cls, value: str) -> str:
        if not value.startswith("/") or value.endswith("/"):
            raise ValueError("prefix must start with '/' and not end with '/'")
        return value


class GatewayConfig(_Strict):
    legacy: Backend
    new: Backend
    routes: list[Route] = []
    default: Route = Route(name="default")
    stickiness: Stickiness = Stickiness()
    overrides: Overrides = Overrides()
    shadow: Shadow = Shadow()
    guard: Guard = Guard()
    state: State = State()
    admin: Admin = Admin()
    max_buffered_body_bytes: int = Field(
        1_048_576, ge=0, description="bodies up to this size are buffered for fallback retries"
    )

    @field_validator("default", mode="before")
    @classmethod
    def _default_name(cls, value: object) -> object:
        if isinstance(value, dict) and "name" not in value:
            return {"name": "default", **value}
        return value

    @model_validator(mode="after")
    def _unique_names(self) -> GatewayConfig:
        seen: set[str] = set()
        for route in [*self.routes, self.default]:
            if route.name in seen:
                raise ValueError(f"route name {route.name!r} is used twice")
            seen.add(route.name)
        return self

    def admin_token(self) -> str | None:
        return os.environ.get("CUTOVER_ADMIN_TOKEN") or self.admin.token

    def all_routes(self) -> list[Route]:
        return [*self.routes, self.default]


class _MarkingLoader(yaml.SafeLoader):
    """A SafeLoader that remembers the line of every value, keyed by its location."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.lines: dict[Loc, int] = {}

    def construct_document(self, node: yaml.Node) -> Any:
        self._record(node, ())
        return super().construct_document(node)

    def _record(self, node: yaml.Node, loc: Loc) -> None:
        self.lines[loc] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    self._record(value_node, (*loc, key_node.value))
                    self.lines[(*loc, key_node.value, "__key__")] = key_node.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self._record(item, (*loc, index))


def _line_for(lines: dict[Loc, int], loc: Loc) -> int | None:
    """The line of the deepest recorded location that prefixes `loc`."""
    for depth in range(len(loc), -1, -1):
        line = lines.get(tuple(loc[:depth]))
        if line is not None:
            return line
    return None


def parse_config(text: str, source: str = "<config>") -> GatewayConfig:
    """Parse and validate YAML text; raise ConfigError naming the lines of the problems."""
    loader = _MarkingLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        raise ConfigError(source, [(line, "yaml", str(exc.problem))]) from exc
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise ConfigError(source, [(1, "document", "expected a mapping at the top level")])
    try:
        return GatewayConfig.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc: Loc = tuple(error["loc"])
            where = ".".join(str(part) for part in loc) or "document"
            line = _line_for(loader.lines, loc)
            if error["type"] == "extra_forbidden":
                line = loader.lines.get((*loc, "__key__"), line)
            problems.append((line, where, error["msg"]))
        raise ConfigError(source, problems) from exc


def load_config(path: str | Path) -> GatewayConfig:
    """Read and validate a cutover.yaml file."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(str(file), [(None, "file", str(exc))]) from exc
    return parse_config(text, str(file))
