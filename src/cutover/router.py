"""Route matching: method + path pattern, first match wins, then the default route.

Patterns use `{name}` for one path segment and `{name:path}` for the rest of the path,
e.g. `/api/v1/resumes/{id}` or `/static/{file:path}`.
"""

from __future__ import annotations

import re

from cutover.config import Route

_PARAM = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(?::(path))?\}")


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """Turn a path pattern into an anchored regular expression with named groups."""
    parts: list[str] = []
    position = 0
    for match in _PARAM.finditer(pattern):
        parts.append(re.escape(pattern[position : match.start()]))
        name, kind = match.group(1), match.group(2)
        parts.append(f"(?P<{name}>.*)" if kind == "path" else f"(?P<{name}>[^/]+)")
        position = match.end()
    parts.append(re.escape(pattern[position:]))
    return re.compile("^" + "".join(parts) + "$")


class _CompiledRoute:
    __slots__ = ("methods", "regex", "route")

    def __init__(self, route: Route) -> None:
        self.route = route
        self.methods = frozenset(route.methods)
        self.regex = compile_pattern(route.path)


class Router:
    """Finds the configured route for a request."""

    def __init__(self, routes: list[Route], default: Route) -> None:
        self._routes = [_CompiledRoute(route) for route in routes]
        self.default = default

    def match(self, method: str, path: str) -> Route:
        for compiled in self._routes:
            if compiled.methods and method not in compiled.methods:
                continue
            if compiled.regex.match(path):
                return compiled.route
        return self.default
