"""Fallback to legacy when new fails, and the guard's automatic rollback."""

from __future__ import annotations

import asyncio
import time

from tests.cutover.conftest import StartGateway, make_config
from tests.cutover.servers import Backend, free_port


def route(mode: str, percent: float = 0, **extra: object) -> list[dict[str, object]]:
    return [{"name": "api", "path": "/api/{rest:path}", "mode": mode, "percent": percent, **extra}]


async def test_new_down_every_request_still_succeeds(
    legacy: Backend, start_gateway: StartGateway
) -> None:
    down = f"http://127.0.0.1:{free_port()}"
    config = make_config(legacy.url, down, routes=route("new"), guard={"enabled": False})
    gw = start_gateway(config)
    for item in range(10):
        response = await gw.client.get(f"/api/items/{item}")
        assert response.status_code == 200
        assert response.headers["x-cutover-backend"] == "legacy"
    put = await gw.client.put("/api/echo", content=b"idempotent body")
    assert put.status_code == 200
    assert put.content == b"idempotent body"
    metrics = (await gw.client.get("/_cutover/metrics")).text
    assert 'cutover_fallbacks_total{route="api"} 11.0' in metrics


async def test_new_5xx_falls_back_but_posts_do_not_unless_allowed(
    legacy: Backend, new: Backend, start_gateway: StartGateway
) -> None:
    new.fail = True
    routes = [
        {
            "name": "writes-ok",
            "path": "/api/items/{item}",
            "methods": ["POST"],
            "mode": "new",
            "fallback_writes": True,
        },
        {"name": "api", "path": "/api/{rest:path}", "mode": "new"},
    ]
    gw = start_gateway(make_config(legacy.url, new.url, routes=routes, guard={"enabled": False}))
    get = await gw.client.get("/api/items/1")
    assert (get.status_code, get.headers["x-cutover-backend"]) == (200, "legacy")
    post = await gw.client.post("/api/echo", content=b"x")
    assert (post.status_code, post.headers["x-cutover-backend"]) == (500, "new")
    allowed = await gw.client.post("/api/items/2", content=b"y")
    assert (allowed.status_code, allowed.headers["x-cutover-backend"]) == (200, "legacy")
    assert legacy.requests[-1]["body"] == b"y"


async def test_guard_rolls_a_failing_route_back_to_legacy(
    legacy: Backend, new: Backend, start_gateway: StartGateway
) -> None:
    new.fail = True
    guard = {"window_seconds": 30, "min_requests": 5, "max_error_rate": 0.2}
    gw = start_gateway(make_config(legacy.url, new.url, routes=route("new"), guard=guard))
    deadline = time.monotonic() + 10
    while True:
        response = await gw.client.get("/api/items/1")
        assert response.status_code == 200  # fallback keeps clients whole meanwhile
        status = (await gw.admin.get("/api/status")).json()
        if status["routes"][0]["mode"] == "legacy":
            break
        assert time.monotonic() < deadline, "the guard never rolled back"
        await asyncio.sleep(0.01)
    # new was called at least min_requests times, then never again
    calls = len(new.requests)
    assert calls >= 5
    for _ in range(5):
        assert (await gw.client.get("/api/items/1")).headers["x-cutover-backend"] == "legacy"
    assert len(new.requests) == calls
    events = (await gw.admin.get("/api/events")).json()
    auto = next(e for e in events if e["kind"] == "auto-rollback")
    assert auto["route"] == "api" and auto["actor"] == "guard"
    assert auto["figures"]["error_rate"] > 0.2
    assert auto["figures"]["requests"] >= 5


async def test_guard_trips_on_p99_latency(
    legacy: Backend, new: Backend, start_gateway: StartGateway
) -> None:
    new.delay = 0.05
    guard = {"window_seconds": 30, "min_requests": 3, "max_p99_ms": 20}
    gw = start_gateway(make_config(legacy.url, new.url, routes=route("new"), guard=guard))
    for _ in range(50):
        await gw.client.get("/api/items/1")
        status = (await gw.admin.get("/api/status")).json()
        if status["routes"][0]["mode"] == "legacy":
            break
    assert status["routes"][0]["mode"] == "legacy"
    event = (await gw.admin.get("/api/events")).json()[0]
    assert event["kind"] == "auto-rollback"
    assert event["figures"]["p99_ms"] > 20


async def test_manual_rollback_of_one_route_and_of_all(
    legacy: Backend, new: Backend, start_gateway: StartGateway
) -> None:
    routes = [
        {"name": "a", "path": "/api/a", "mode": "new"},
        {"name": "b", "path": "/api/b", "mode": "canary", "percent": 30},
    ]
    gw = start_gateway(make_config(legacy.url, new.url, routes=routes))
    answer = await gw.admin.post("/api/rollback", json={"route": "a"})
    assert answer.json() == {"rolled_back": ["a"]}
    modes = {r["name"]: r["mode"] for r in (await gw.admin.get("/api/status")).json()["routes"]}
    assert modes == {"a": "legacy", "b": "canary", "default": "legacy"}
    await gw.admin.post("/api/rollback", json={"all": True})
    modes = {r["name"]: r["mode"] for r in (await gw.admin.get("/api/status")).json()["routes"]}
    assert set(modes.values()) == {"legacy"}
    assert (await gw.client.get("/api/a")).headers["x-cutover-backend"] == "legacy"


async def test_new_timing_out_falls_back_and_legacy_timing_out_is_a_504(
    legacy: Backend, new: Backend, start_gateway: StartGateway
) -> None:
    new.delay = 2.0
    config = make_config(legacy.url, new.url, routes=route("new"), guard={"enabled": False})
    data = config.model_dump()
    data["new"]["timeouts"]["read"] = 0.2
    gw = start_gateway(type(config).model_validate(data))
    response = await gw.client.get("/api/items/1")
    assert (response.status_code, response.headers["x-cutover-backend"]) == (200, "legacy")

    legacy.delay = 2.0
    slow_legacy = make_config(legacy.url, new.url)
    data = slow_legacy.model_dump()
    data["legacy"]["timeouts"]["read"] = 0.2
    gw2 = start_gateway(type(slow_legacy).model_validate(data))
    timed_out = await gw2.client.get("/api/items/1")
    assert timed_out.status_code == 504
    assert timed_out.json()["title"] == "Gateway Timeout"
