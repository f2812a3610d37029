"""Route matching: first match wins, methods filter, and the answer cache stays right."""

from __future__ import annotations

from cutover.config import Route
from cutover.router import CACHE_SIZE, CACHED_PATH_LENGTH, Router


def make_router() -> Router:
    routes = [
        Route(name="read", path="/api/items/{id}", methods=["GET"]),
        Route(name="write", path="/api/items/{id}", methods=["PUT", "POST"]),
        Route(name="files", path="/static/{file:path}"),
        Route(name="shadowed", path="/static/logo.png"),
    ]
    return Router(routes, Route(name="default"))


def test_first_match_wins_methods_filter_and_the_default_catches_the_rest() -> None:
    router = make_router()
    lookups = 0
    find = router._find

    def counted(method: str, path: str) -> Route:
        nonlocal lookups
        lookups += 1
        return find(method, path)

    router._find = counted  # type: ignore[method-assign]
    for _ in range(2):  # the second round is answered from the cache
        assert router.match("GET", "/api/items/7").name == "read"
        assert router.match("PUT", "/api/items/7").name == "write"
        assert router.match("DELETE", "/api/items/7").name == "default"
        assert router.match("GET", "/api/items/7/parts").name == "default"
        assert router.match("GET", "/static/logo.png").name == "files"
        assert router.match("HEAD", "/static/css/a.css").name == "files"
    assert lookups == 6


def test_the_cache_is_bounded_and_answers_stay_right_past_the_bound() -> None:
    router = make_router()
    for number in range(CACHE_SIZE * 2 + 10):
        assert router.match("GET", f"/api/items/{number}").name == "read"
        assert router.match("POST", f"/other/{number}").name == "default"
    assert len(router._cache) <= CACHE_SIZE
    for number in range(CACHE_SIZE * 2):
        assert router.match(f"X{number}", "/static/a").name == "files"
    assert len(router._cache) <= CACHE_SIZE
    long_path = "/static/" + "a" * CACHED_PATH_LENGTH
    assert router.match("GET", long_path).name == "files"
    assert ("GET", long_path) not in router._cache
