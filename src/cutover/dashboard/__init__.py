"""The server-rendered dashboard page (jinja2, every value autoescaped)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

_environment = Environment(
    loader=PackageLoader("cutover.dashboard", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
)


def _when(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


_environment.filters["when"] = _when


def render_dashboard(
    status: dict[str, Any], diffs: dict[str, Any], events: list[dict[str, Any]]
) -> str:
    top_paths = sorted(
        ({"route": route, **path} for route, report in diffs.items() for path in report["paths"]),
        key=lambda item: -item["count"],
    )[:20]
    return _environment.get_template("dashboard.html").render(
        routes=status["routes"], shadow=status["shadow"], top_paths=top_paths, events=events
    )
