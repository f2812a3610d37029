"""Modes, header handling, streaming and bad-gateway answers through a real gateway."""

from __future__ import annotations

import httpx

from tests.cutover.conftest import StartGateway, make_config
from tests.cutover.servers import Backend, free_port


def routes(mode: str, **extra: object) -> list[dict[str, object]]:
    return [{"name": "items", "path": "/api/items/{item}", "mode": mode, **extra}]


async def test_legacy_mode_serves_legacy(
    legacy: Backend, new: Backend, start_gateway: StartGateway
) -> None:
    gw = start_gateway(make_config(legacy.url, new.url, routes=routes("legacy")))
    response = await gw.client.get("/api/items/7")
    assert response.status_code == 200
    assert response.headers["x-cutover-backend"] == "legacy"
    assert response.headers["x-served-by"] == "legacy"
    assert response.json() == {"id": "7", "name": "item 7"}
    assert new.requests == []


async def test_new_mode_serves_new(
    legacy: Backend, new: Backend, start_gateway: StartGateway
) -> None:
    gw = start_gateway(make_config(legacy.url, new.url, routes=routes("new")))
    response = await gw.client.get("/api/items/7")
    assert response.headers["x-cutover-backend"] == "new"
    assert response.headers["x-served-by"] == "new"
    assert legacy.requests == []


async def test_first_match_wins_and_default_route(
    legacy: Backend, new: Backend, start_gateway: StartGateway
) -> None:
    config = make_config(
        legacy.url,
        new.url,
        routes=[
            {"name": "writes", "path": "/api/items/{item}", "methods": ["POST"], "mode": "new"},
            {"name": "items", "path": "/api/items/{item}", "mode": "legacy"},
            {"name": "shadowed", "path": "/api/items/{item}", "mode": "new"},
        ],
        default={"name": "default", "mode": "new"},
    )
    gw = start_gateway(config)
    assert (await gw.client.post("/api/items/1")).headers["x-cutover-backend"] == "new"
    assert (await gw.client.get("/api/items/1")).headers["x-cutover-backend"] == "legacy"
    assert (await gw.client.get("/api/other/x")).headers["x-cutover-backend"] == "new"


async def test_headers_body_and_query_are_forwarded(
    legacy: Backend, new: Backend, start_gateway: StartGateway
) -> None:
    gw = start_gateway(make_config(legacy.url, new.url))
    response = await gw.client.post(
        "/api/echo?a=1&b=%2F",
        content=b'{"hello": "world"}',
        headers={
            "Content-Type": "application/json",
            "X-Custom": "kept",
            "Connection": "keep-alive, X-Hop",
            "X-Hop": "dropped",
            "X-Forwarded-For": "203.0.113.9",
        },
    )
    assert response.status_code == 200
    assert response.content == b'{"hello": "world"}'
    # hop-by-hop headers of the backend's answer are not passed on
    assert "x-private" not in response.headers
    seen = legacy.requests[-1]
    assert seen["query"] == "a=1&b=%2F"
    assert seen["headers"]["x-custom"] == "kept"
    assert "x-hop" not in seen["headers"]
    assert seen["headers"]["x-forwarded-for"] == "203.0.113.9, 127.0.0.1"
    assert seen["headers"]["x-forwarded-proto"] == "http"
    assert seen["headers"]["x-forwarded-host"] == f"127.0.0.1:{gw.server.port}"


async def test_large_request_body_is_streamed_to_the_backend(
    legacy: Backend, new: Backend, start_gateway: StartGateway
) -> None:
    gw = start_gateway(make_config(legacy.url, new.url))
    body = bytes(range(256)) * 16384  # 4 MiB, above every buffering cap

    async def chunks() -> object:
        for start in range(0, len(body), 65536):
            yield body[start : start + 65536]

    response = await gw.client.put("/api/echo", content=chunks())  # type: ignore[arg-type]
    assert response.status_code == 200
    assert response.content == body


async def test_streamed_response_arrives_whole(
    legacy: Backend, new: Backend, start_gateway: StartGateway
) -> None:
    gw = start_gateway(make_config(legacy.url, new.url))
    async with gw.client.stream("GET", "/api/stream") as response:
        chunks = [chunk async for chunk in response.aiter_bytes()]
    assert b"".join(chunks) == b"".join(f"chunk-{i};".encode() for i in range(5))
    assert response.headers["x-cutover-backend"] == "legacy"


async def test_unreachable_backend_is_a_502_problem(
    legacy: Backend, start_gateway: StartGateway
) -> None:
    down = f"http://127.0.0.1:{free_port()}"
    gw = start_gateway(make_config(down, legacy.url))
    response = await gw.client.get("/api/items/1")
    assert response.status_code == 502
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["x-cutover-backend"] == "legacy"
    assert response.json()["status"] == 502


async def test_every_mode_via_admin_api(
    legacy: Backend, new: Backend, start_gateway: StartGateway
) -> None:
    gw = start_gateway(make_config(legacy.url, new.url, routes=routes("legacy")))
    expected = {"legacy": "legacy", "shadow": "legacy", "new": "new"}
    for mode, side in expected.items():
        answer = await gw.admin.put("/api/routes/items", json={"mode": mode})
        assert answer.status_code == 200, answer.text
        response = await gw.client.get("/api/items/3")
        assert response.headers["x-cutover-backend"] == side, mode
    answer = await gw.admin.put("/api/routes/items", json={"mode": "canary", "percent": 100})
    assert answer.json() == {"name": "items", "mode": "canary", "percent": 100.0}
    assert (await gw.client.get("/api/items/3")).headers["x-cutover-backend"] == "new"


async def test_admin_api_rejects_bad_input_and_bad_tokens(
    legacy: Backend, new: Backend, start_gateway: StartGateway
) -> None:
    gw = start_gateway(make_config(legacy.url, new.url, routes=routes("legacy")))
    anonymous = httpx.AsyncClient(base_url=gw.url)
    try:
        assert (await anonymous.get("/_cutover/api/status")).status_code == 401
        wrong = await anonymous.get(
            "/_cutover/api/status", headers={"Authorization": "Bearer nope"}
        )
        assert wrong.status_code == 401
    finally:
        await anonymous.aclose()
    assert (await gw.admin.put("/api/routes/items", json={"mode": "sideways"})).status_code == 422
    bad_percent = await gw.admin.put("/api/routes/items", json={"mode": "canary", "percent": 101})
    assert bad_percent.status_code == 422
    assert (await gw.admin.put("/api/routes/nope", json={"mode": "new"})).status_code == 404
    assert (await gw.admin.put("/api/routes/items", content=b"{not json")).status_code == 422
    assert (await gw.admin.post("/api/rollback", json={})).status_code == 422
    assert (await gw.admin.post("/api/rollback", json={"route": "nope"})).status_code == 404
    status = (await gw.admin.get("/api/status")).json()
    assert [r["mode"] for r in status["routes"]] == ["legacy", "legacy"]


async def test_admin_api_is_off_without_a_token(
    legacy: Backend, new: Backend, start_gateway: StartGateway
) -> None:
    config = make_config(legacy.url, new.url, admin={"token": None})
    gw = start_gateway(config)
    answer = await gw.admin.post("/api/rollback", json={"all": True})
    assert answer.status_code == 403
    assert (await gw.client.get("/_cutover/metrics")).status_code == 200


async def test_one_date_and_server_field_per_answer(
    legacy: Backend, new: Backend, start_gateway: StartGateway
) -> None:
    """The backend's Date/Server pass through alone; the gateway dates its own answers."""
    gw = start_gateway(make_config(legacy.url, new.url, routes=routes("legacy")))
    direct = httpx.get(f"{legacy.url}/api/items/7")
    proxied = await gw.client.get("/api/items/7")
    assert proxied.headers.get_list("server") == direct.headers.get_list("server") == ["uvicorn"]
    assert len(proxied.headers.get_list("date")) == 1
    own = await gw.admin.get("/api/status")
    assert own.status_code == 200
    assert len(own.headers.get_list("date")) == 1
    assert own.headers.get_list("server") == []
    down = start_gateway(make_config(f"http://127.0.0.1:{free_port()}", new.url))
    bad_gateway = await down.client.get("/api/items/1")
    assert bad_gateway.status_code == 502
    assert len(bad_gateway.headers.get_list("date")) == 1
