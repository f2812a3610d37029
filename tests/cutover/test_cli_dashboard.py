"""The CLI against a running gateway, the dashboard page, metrics and OpenFeature."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path

import httpx
from openfeature.evaluation_context import EvaluationContext
from openfeature.exception import ErrorCode
from typer.testing import CliRunner

from cutover.bucketing import bucket
from cutover.cli import app
from cutover.config import Mode, Route
from cutover.flags import Flags, MemoryStore
from cutover.openfeature import CutoverProvider
from tests.cutover.conftest import ADMIN_TOKEN, StartGateway, make_config
from tests.cutover.servers import Backend, free_port

runner = CliRunner()


async def test_cli_status_set_rollback_diffs(
    legacy: Backend, new: Backend, start_gateway: StartGateway
) -> None:
    routes = [{"name": "items", "path": "/api/items/{item}", "mode": "legacy"}]
    gw = start_gateway(make_config(legacy.url, new.url, routes=routes))
    common = ["--url", gw.url, "--token", ADMIN_TOKEN]

    result = runner.invoke(app, ["set", "items", "canary", "--percent", "25", *common])
    assert result.exit_code == 0, result.output
    assert "items: canary 25%" in result.output
    result = runner.invoke(app, ["status", "--json", *common])
    routes_now = {r["name"]: r for r in json.loads(result.output)["routes"]}
    assert (routes_now["items"]["mode"], routes_now["items"]["percent"]) == ("canary", 25)
    table = runner.invoke(app, ["status", *common]).output
    assert "items" in table and "canary" in table

    result = runner.invoke(app, ["rollback", "--route", "items", *common])
    assert result.exit_code == 0 and "rolled back: items" in result.output
    result = runner.invoke(app, ["rollback", "--all", *common])
    assert "items, default" in result.output
    assert runner.invoke(app, ["rollback", *common]).exit_code == 2
    assert runner.invoke(app, ["diffs", "items", *common]).exit_code == 0

    wrong = runner.invoke(app, ["status", "--url", gw.url, "--token", "bad"])
    assert wrong.exit_code == 1 and "401" in wrong.output
    unknown = runner.invoke(app, ["set", "nope", "new", *common])
    assert unknown.exit_code == 1 and "nope" in unknown.output


async def test_dashboard_escapes_values_and_needs_the_token(
    legacy: Backend, new: Backend, start_gateway: StartGateway
) -> None:
    routes = [
        {"name": "items", "path": "/api/items/<script>alert(1)</script>/{item}", "mode": "new"}
    ]
    gw = start_gateway(make_config(legacy.url, new.url, routes=routes))
    await gw.admin.post("/api/rollback", json={"route": "items"})
    assert (await gw.client.get("/_cutover/")).status_code == 401
    page = await gw.client.get("/_cutover/", params={"token": ADMIN_TOKEN})
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "rollback" in page.text  # the event is listed
    by_header = await gw.admin.get("/")
    assert by_header.status_code == 200


async def test_metrics_per_route_and_backend(
    legacy: Backend, new: Backend, start_gateway: StartGateway
) -> None:
    routes = [{"name": "items", "path": "/api/items/{item}", "mode": "new"}]
    gw = start_gateway(make_config(legacy.url, new.url, routes=routes))
    for _ in range(3):
        await gw.client.get("/api/items/1")
    await gw.client.get("/api/other")
    text = (await gw.client.get("/_cutover/metrics")).text
    assert 'cutover_requests_total{backend="new",route="items",status="2xx"} 3.0' in text
    assert 'cutover_requests_total{backend="legacy",route="default",status="2xx"} 1.0' in text
    assert 'cutover_request_duration_seconds_count{backend="new",route="items"} 3.0' in text


async def test_openfeature_provider_reads_the_same_flags() -> None:
    routes = [
        Route(name="canary", mode=Mode.CANARY, percent=30),
        Route(name="done", mode=Mode.NEW),
        Route(name="old", mode=Mode.SHADOW),
    ]
    flags = Flags(routes, MemoryStore())
    await flags.start()
    provider = CutoverProvider(flags, salt="s")
    for user in (f"u{i}" for i in range(50)):
        details = provider.resolve_boolean_details("canary", False, EvaluationContext(user))
        assert details.value is (bucket("s", user) <= 30)
    assert provider.resolve_boolean_details("done", False).value is True
    assert provider.resolve_boolean_details("old", True).value is False
    no_key = provider.resolve_boolean_details("canary", False, EvaluationContext())
    assert no_key.error_code == ErrorCode.TARGETING_KEY_MISSING
    assert provider.resolve_string_details("canary", "").value == "canary"
    assert provider.resolve_float_details("canary.percent", 0.0).value == 30.0
    assert provider.resolve_integer_details("canary.percent", 0).value == 30
    assert provider.resolve_object_details("done", {}).value == {"mode": "new", "percent": 0.0}
    missing = provider.resolve_string_details("absent", "fallback")
    assert (missing.value, missing.error_code) == ("fallback", ErrorCode.FLAG_NOT_FOUND)
    await flags.rollback(["canary"])
    assert provider.resolve_string_details("canary", "").value == "legacy"


def test_serve_rejects_a_bad_config_naming_the_line(tmp_path: Path) -> None:
    config = tmp_path / "cutover.yaml"
    config.write_text("legacy:\n  url: http://127.0.0.1:1\nnew:\n  url: nope\n")
    result = runner.invoke(app, ["serve", "--config", str(config)])
    assert result.exit_code == 2
    assert f"{config}:4: new.url" in result.output


async def test_serve_runs_the_gateway_from_a_config_file(legacy: Backend, tmp_path: Path) -> None:
    port = free_port()
    config = tmp_path / "cutover.yaml"
    config.write_text(
        f"legacy: {{url: '{legacy.url}'}}\nnew: {{url: '{legacy.url}'}}\n"
        "routes: [{name: items, path: '/api/items/{item}', mode: new}]\n"
    )
    binary = Path(sys.executable).parent / "cutover"
    process = await asyncio.create_subprocess_exec(
        str(binary),
        "serve",
        "--config",
        str(config),
        "--port",
        str(port),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            deadline = time.monotonic() + 30
            while True:
                try:
                    response = await client.get("/api/items/5")
                    break
                except httpx.TransportError:
                    assert process.returncode is None, "cutover serve exited"
                    assert time.monotonic() < deadline, "cutover serve did not start"
                    await asyncio.sleep(0.1)
        assert response.headers["x-cutover-backend"] == "new"
        assert response.json()["id"] == "5"
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), timeout=10)
