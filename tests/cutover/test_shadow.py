"""Shadow mode: the client gets legacy, new is replayed in the background and diffed."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from tests.cutover.conftest import RunningGateway, StartGateway, make_config
from tests.cutover.servers import Backend, ServerThread


async def compared(gw: RunningGateway, at_least: int) -> dict[str, Any]:
    """Poll the status API until `at_least` mirrors were compared (10 s deadline)."""
    deadline = time.monotonic() + 10
    while True:
        status = (await gw.admin.get("/api/status")).json()
        if status["shadow"]["compared"] >= at_least:
            return dict(status["shadow"])
        assert time.monotonic() < deadline, f"only {status['shadow']} after 10 s"
        await asyncio.sleep(0.02)


def legacy_payload(item: str) -> dict[str, Any]:
    return {
        "id": item,
        "name": "Widget",
        "price": 10,
        "tags": ["a", "b", "c"],
        "sizes": [1, 2],
        "meta": {"internal": "x1", "owner": "ops"},
        "retired": False,
    }


def new_payload(item: str) -> dict[str, Any]:
    return {
        "id": item,
        "name": "Widget v2",  # changed value
        "price": "10",  # type change
        "tags": ["c", "b", "a"],  # order
        "sizes": [1, 2, 3],  # list length
        "meta": {"internal": "y9", "owner": "ops"},  # ignored by rule
        "added": True,  # extra field
        # "retired" missing
    }


@pytest.fixture
def differing_backends() -> Any:
    legacy = Backend("legacy", payload=legacy_payload)
    new = Backend("new", payload=new_payload)
    servers = [ServerThread(legacy.app).start(), ServerThread(new.app).start()]
    legacy.url, new.url = servers[0].url, servers[1].url
    yield legacy, new
    for server in servers:
        server.stop()


async def test_typed_diffs_with_ignore_rules(
    differing_backends: tuple[Backend, Backend], start_gateway: StartGateway
) -> None:
    legacy, new = differing_backends
    route = {
        "name": "items",
        "path": "/api/items/{item}",
        "mode": "shadow",
        "ignore": {"json_paths": ["$.meta.internal"], "headers": ["x-served-by"]},
        "compare_headers": ["content-type", "x-served-by"],
    }
    gw = start_gateway(make_config(legacy.url, new.url, routes=[route]))
    for item in range(5):
        response = await gw.client.get(f"/api/items/{item}")
        assert response.headers["x-cutover-backend"] == "legacy"
        assert response.json() == legacy_payload(str(item))
    await compared(gw, 5)
    report = (await gw.admin.get("/api/diffs", params={"route": "items"})).json()["items"]
    kinds = {entry["path"]: entry["kinds"] for entry in report["paths"]}
    assert kinds == {
        "$.name": {"changed": 5},
        "$.price": {"type_change": 5},
        "$.tags": {"order": 5},
        "$.sizes": {"list_length": 5},
        "$.added": {"extra": 5},
        "$.retired": {"missing": 5},
    }
    name = next(entry for entry in report["paths"] if entry["path"] == "$.name")
    assert name["samples"][0]["legacy"] == "Widget"
    assert name["samples"][0]["new"] == "Widget v2"
    assert len(name["samples"]) <= 5
    # mirrored requests reached new with the same path
    assert sorted(r["path"] for r in new.requests) == [f"/api/items/{i}" for i in range(5)]


async def test_noise_cancelling_hides_a_timestamp_and_keeps_real_differences(
    start_gateway: StartGateway,
) -> None:
    legacy = Backend("legacy", stamp=True)
    new = Backend("new", stamp=True, payload=lambda item: {"id": item, "name": "renamed"})
    servers = [ServerThread(legacy.app).start(), ServerThread(new.app).start()]
    try:
        route = {"name": "items", "path": "/api/items/{item}", "mode": "shadow"}
        gw = start_gateway(make_config(servers[0].url, servers[1].url, routes=[route]))
        for item in range(20):
            await gw.client.get(f"/api/items/{item}")
        await compared(gw, 20)
        report = (await gw.admin.get("/api/diffs")).json()["items"]
        assert [entry["path"] for entry in report["paths"]] == ["$.name"]
        assert report["noise_paths"] == ["$.generated_at"]
        assert report["noise_compared"] == 20
        # legacy answered each request twice: once for the client, once for noise
        assert len(legacy.requests) == 40
    finally:
        for server in servers:
            server.stop()


async def test_writes_are_mirrored_only_when_the_route_allows_it(
    legacy: Backend, new: Backend, start_gateway: StartGateway
) -> None:
    routes = [
        {"name": "mirrored", "path": "/api/items/{item}", "mode": "shadow", "mirror_writes": True},
        {"name": "echo", "path": "/api/echo", "mode": "shadow"},
    ]
    gw = start_gateway(make_config(legacy.url, new.url, routes=routes))
    await gw.client.post("/api/echo", content=b"not mirrored")
    await gw.client.post("/api/items/9", content=b"mirrored body")
    await compared(gw, 1)
    assert [(r["method"], r["path"], r["body"]) for r in new.requests] == [
        ("POST", "/api/items/9", b"mirrored body")
    ]
    # a mirrored write is not sent to legacy a second time for noise
    assert [r["method"] for r in legacy.requests].count("POST") == 2


async def test_full_queue_drops_and_counts_without_delaying_clients(
    legacy: Backend, new: Backend, start_gateway: StartGateway
) -> None:
    new.delay = 1.0  # the single worker stays busy while the requests arrive
    route = {"name": "items", "path": "/api/items/{item}", "mode": "shadow"}
    config = make_config(
        legacy.url, new.url, routes=[route], shadow={"queue_size": 1, "workers": 1}
    )
    gw = start_gateway(config)
    responses = await asyncio.gather(*(gw.client.get(f"/api/items/{i}") for i in range(12)))
    assert all(r.status_code == 200 for r in responses)
    status = (await gw.admin.get("/api/status")).json()["shadow"]
    assert status["dropped"] >= 1
    metrics = (await gw.client.get("/_cutover/metrics")).text
    assert 'cutover_shadow_dropped_total{reason="queue_full",route="items"}' in metrics
