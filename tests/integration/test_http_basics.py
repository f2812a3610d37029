"""Errors, request ids, metrics and health on the real app, over both databases."""

from __future__ import annotations

import json

import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel, Field

from cvlens.app import create_app
from cvlens.settings import Settings

PROBLEM = "application/problem+json"


class WidgetCreate(BaseModel):
    name: str = Field(min_length=1)
    size: int


def _add_probe_routes(app: FastAPI) -> None:
    @app.post("/_probe/widgets", status_code=201)
    async def create_widget(body: WidgetCreate) -> WidgetCreate:
        return body

    @app.get("/_probe/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals: password=hunter2")


async def test_live(client: httpx.AsyncClient) -> None:
    response = await client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": []}


async def test_ready_checks_database_and_storage(client: httpx.AsyncClient) -> None:
    response = await client.get("/health/ready")
    assert response.status_code == 200, response.text
    names = {c["name"]: c["status"] for c in response.json()["checks"]}
    assert names == {"database": "ok", "storage": "ok"}


async def test_ready_names_the_backend_that_failed(settings: Settings) -> None:
    broken = settings.model_copy(update={"redis_url": "redis://127.0.0.1:1/0"})
    app = create_app(broken)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            response = await client.get("/health/ready")
    assert response.status_code == 503
    checks = {c["name"]: c for c in response.json()["checks"]}
    assert checks["redis"]["status"] == "failed"
    assert checks["redis"]["error"]
    assert checks["database"]["status"] == "ok"


async def test_unknown_route_is_problem_json(client: httpx.AsyncClient) -> None:
    response = await client.get("/no/such/route")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["status"] == 404
    assert body["type"].endswith("/not-found")
    assert body["instance"] == "/no/such/route"


async def test_invalid_field_is_422_naming_the_field(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    _add_probe_routes(app)
    response = await client.post("/_probe/widgets", json={"name": "", "size": "big"})
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    names = {e["name"] for e in response.json()["errors"]}
    assert names == {"name", "size"}


async def test_malformed_json_is_422(app: FastAPI, client: httpx.AsyncClient) -> None:
    _add_probe_routes(app)
    response = await client.post(
        "/_probe/widgets",
        content=b'{"name": "x", "size": ',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["errors"][0]["reason"].lower().startswith("json decode error")


async def test_500_has_request_id_and_no_internals(
    app: FastAPI, client: httpx.AsyncClient, capsys: pytest.CaptureFixture[str]
) -> None:
    _add_probe_routes(app)
    response = await client.get("/_probe/boom", headers={"X-Request-ID": "req-abc-123"})
    assert response.status_code == 500
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["x-request-id"] == "req-abc-123"
    body = response.json()
    assert body["request_id"] == "req-abc-123"
    assert "hunter2" not in response.text
    assert "Traceback" not in response.text
    logged = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line]
    errors = [e for e in logged if e["event"] == "unhandled_error"]
    assert errors and errors[0]["request_id"] == "req-abc-123"
    assert "RuntimeError" in errors[0]["exception"]


async def test_request_id_generated_and_echoed(client: httpx.AsyncClient) -> None:
    first = await client.get("/health/live")
    second = await client.get("/health/live")
    assert len(first.headers["x-request-id"]) == 32
    assert first.headers["x-request-id"] != second.headers["x-request-id"]
    bogus = await client.get("/health/live", headers={"X-Request-ID": "bad id\twith tabs"})
    assert bogus.headers["x-request-id"] != "bad id\twith tabs"


async def test_metrics_label_route_template_not_raw_path(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    @app.get("/_probe/items/{item_id}")
    async def item(item_id: int) -> dict[str, int]:
        return {"id": item_id}

    for item_id in (1, 2, 3):
        assert (await client.get(f"/_probe/items/{item_id}")).status_code == 200
    await client.get("/nothing/here")
    text = (await client.get("/metrics")).text
    assert (
        'cvlens_http_requests_total{method="GET",route="/_probe/items/{item_id}",status="200"} 3.0'
        in text
    )
    assert "/_probe/items/1" not in text
    assert 'route="<unmatched>",status="404"' in text
    histogram = "cvlens_http_request_duration_seconds_count"
    assert f'{histogram}{{method="GET",route="/_probe/items/{{item_id}}"}} 3.0' in text
