"""Route matching: method + path pattern, first match wins, then the default route.

Patterns use `{name}` for one path segment and `{name:path}` for the rest of the path,
e.g. `/api/v1/resumes/{id}` or `/static/{file:path}`.
"""

from __future__ import annotations

import re

from cutover.config import Route

_PARAM = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(?::(path))?\}")
CACHE_SIZE = 4096  # remembered (method, path) answers; the cache starts over when full
CACHED_PATH_LENGTH = 256  # longer paths are matched every time: at most ~1 MB is kept


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
    """Finds the configured route for a request.

    Routes are fixed for the router's life, so the answer for a (method, path) never
    changes: recent answers are kept and a repeated path costs one dictionary lookup
    instead of a regular expression per route tried.
    """

    def __init__(self, routes: list[Route], default: Route) -> None:
        self._routes = [_CompiledRoute(route) for route in routes]
        self.default = default
        self._cache: dict[tuple[str, str], Route] = {}

    def match(self, method: str, path: str) -> Route:
        key = (method, path)
        route = self._cache.get(key)
        if route is None:
            route = self._find(method, path)
            if len(path) <= CACHED_PATH_LENGTH:  # methods and paths are client input: bounded
                if len(self._cache) >= CACHE_SIZE:
                    self._cache.clear()
                self._cache[key] = route
        return route

    def _find(self, method: str, path: str) -> Route:
        for compiled in self._routes:
            if compiled.methods and method not in compiled.methods:
                continue
            if compiled.regex.match(path):
                return compiled.route
        return self.default
