"""The `cutover` command line.

`serve` runs the gateway; `status`, `set`, `rollback` and `diffs` talk to the admin API
of a running gateway (`--url`, env CUTOVER_URL; token from `--token` or env
CUTOVER_ADMIN_TOKEN). Other command groups (e.g. the data-copy commands) register
themselves on `app` with `app.command()` or `app.add_typer(...)`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer

from cutover.config import ConfigError, Mode, load_config
from cutover.datacopy.cli import copy_command, verify_command

app = typer.Typer(
    help="cutover: move live traffic from a legacy backend to a new one.", no_args_is_help=True
)

UrlOption = Annotated[
    str, typer.Option("--url", envvar="CUTOVER_URL", help="base URL of a running gateway")
]
TokenOption = Annotated[
    str | None, typer.Option("--token", envvar="CUTOVER_ADMIN_TOKEN", help="admin bearer token")
]
PrefixOption = Annotated[str, typer.Option("--prefix", help="admin path prefix")]
DEFAULT_URL = "http://127.0.0.1:8080"


@app.command()
def version() -> None:
    """Print the cutover version."""
    typer.echo("0.1.0")


@app.command()
def serve(
    config: Annotated[Path, typer.Option("--config", "-c", help="cutover.yaml")] = Path(
        "cutover.yaml"
    ),
    host: Annotated[str, typer.Option(help="listen address")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="listen port")] = 8080,
    workers: Annotated[int, typer.Option(min=1, help="worker processes")] = 1,
) -> None:
    """Run the gateway (uvicorn with uvloop and httptools, see cutover.server)."""
    import uvicorn

    try:
        settings = load_config(config)
    except ConfigError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
    from cutover.server import SERVER_OPTIONS

    options: dict[str, Any] = {"host": host, "port": port, "lifespan": "on", **SERVER_OPTIONS}
    if workers > 1:
        if settings.state.backend == "memory":
            typer.echo("warning: memory state is per process; use sqlite or redis", err=True)
        os.environ["CUTOVER_CONFIG"] = str(config.resolve())
        uvicorn.run("cutover.app:create_app_from_env", factory=True, workers=workers, **options)
    else:
        from cutover.app import Gateway

        uvicorn.run(Gateway(settings), **options)


def _admin(
    method: str, url: str, token: str | None, prefix: str, path: str, body: Any = None
) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        response = httpx.request(
            method, f"{url.rstrip('/')}{prefix}/api/{path}", json=body, headers=headers, timeout=10
        )
    except httpx.HTTPError as exc:
        typer.echo(f"cannot reach the gateway at {url}: {exc}", err=True)
        raise typer.Exit(1) from exc
    if response.status_code >= 400:
        try:
            detail = response.json().get("detail", response.text)
        except ValueError:
            detail = response.text
        typer.echo(f"error {response.status_code}: {detail}", err=True)
        raise typer.Exit(1)
    return response.json()


@app.command()
def status(
    url: UrlOption = DEFAULT_URL,
    token: TokenOption = None,
    prefix: PrefixOption = "/_cutover",
    as_json: Annotated[bool, typer.Option("--json", help="print raw JSON")] = False,
) -> None:
    """Show every route's mode, percent and new-backend figures."""
    data = _admin("GET", url, token, prefix, "status")
    if as_json:
        typer.echo(json.dumps(data, indent=2))
        return
    typer.echo(f"{'ROUTE':24} {'MODE':8} {'PERCENT':>7} {'REQS':>6} {'ERRORS':>7} {'P99 MS':>8}")
    for route in data["routes"]:
        guard = route["guard"]
        typer.echo(
            f"{route['name']:24} {route['mode']:8} {route['percent']:>7g} "
            f"{guard['requests']:>6} {guard['error_rate'] * 100:>6.1f}% {guard['p99_ms']:>8.1f}"
        )


@app.command("set")
def set_route(
    route: Annotated[str, typer.Argument(help="route name")],
    mode: Annotated[Mode, typer.Argument(help="legacy | shadow | canary | new")],
    percent: Annotated[
        float | None, typer.Option("--percent", min=0, max=100, help="canary percent")
    ] = None,
    url: UrlOption = DEFAULT_URL,
    token: TokenOption = None,
    prefix: PrefixOption = "/_cutover",
) -> None:
    """Set a route's mode (and the canary percent)."""
    data = _admin("PUT", url, token, prefix, f"routes/{route}", {"mode": mode, "percent": percent})
    typer.echo(f"{data['name']}: {data['mode']} {data['percent']:g}%")


@app.command()
def rollback(
    route: Annotated[str | None, typer.Option("--route", help="route name")] = None,
    all_routes: Annotated[bool, typer.Option("--all", help="every route")] = False,
    url: UrlOption = DEFAULT_URL,
    token: TokenOption = None,
    prefix: PrefixOption = "/_cutover",
) -> None:
    """Send a route (or every route) back to legacy, on every replica."""
    if (route is None) == (not all_routes):
        typer.echo("give exactly one of --route R or --all", err=True)
        raise typer.Exit(2)
    body = {"all": True} if all_routes else {"route": route}
    data = _admin("POST", url, token, prefix, "rollback", body)
    typer.echo("rolled back: " + ", ".join(data["rolled_back"]))


@app.command()
def diffs(
    route: Annotated[str | None, typer.Argument(help="route name (all when omitted)")] = None,
    url: UrlOption = DEFAULT_URL,
    token: TokenOption = None,
    prefix: PrefixOption = "/_cutover",
    as_json: Annotated[bool, typer.Option("--json", help="print raw JSON")] = False,
) -> None:
    """Show the shadow differences that are not noise, per route and field path."""
    path = "diffs" + (f"?route={route}" if route else "")
    data = _admin("GET", url, token, prefix, path)
    if as_json:
        typer.echo(json.dumps(data, indent=2))
        return
    for name, report in data.items():
        typer.echo(f"{name}: {report['compared']} compared")
        for item in report["paths"]:
            kinds = ", ".join(f"{k} {v}" for k, v in item["kinds"].items())
            typer.echo(
                f"  {item['path']:40} {item['rate'] * 100:5.1f}% "
                f"(noise {item['noise_rate'] * 100:.1f}%)  {kinds}"
            )
        if report["noise_paths"]:
            typer.echo("  noise: " + ", ".join(report["noise_paths"]))


app.command("copy")(copy_command)
app.command("verify")(verify_command)
