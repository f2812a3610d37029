"""The admin API (bearer token), the metrics endpoint and the dashboard page.

All under the configured prefix (default `/_cutover`):
  GET  /api/status            routes with their mode, percent and guard window
  PUT  /api/routes/{name}     {"mode": "canary", "percent": 20}
  POST /api/rollback          {"route": "name"} or {"all": true}
  GET  /api/diffs[?route=R]   reported (non-noise) differing field paths
  GET  /api/events[?limit=N]  recent flag changes, newest first
  GET  /metrics               Prometheus text format (public unless configured)
  GET  /                      the dashboard (bearer header or `?token=`)
With no admin token configured, everything but public metrics answers 403.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field, ValidationError, model_validator
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from cutover.config import Mode
from cutover.dashboard import render_dashboard
from cutover.flags import UnknownRouteError

if TYPE_CHECKING:
    from cutover.app import Gateway

Handler = Callable[[Request], Awaitable[Response]]


class SetRoute(BaseModel):
    mode: Mode
    percent: float | None = Field(None, ge=0, le=100)


class Rollback(BaseModel):
    route: str | None = None
    all: bool = False

    @model_validator(mode="after")
    def _one_target(self) -> Rollback:
        if (self.route is None) == (not self.all):
            raise ValueError("give either 'route' or 'all': true")
        return self


def problem(status: int, title: str, detail: str) -> JSONResponse:
    return JSONResponse(
        {"type": "about:blank", "title": title, "status": status, "detail": detail},
        status_code=status,
        media_type="application/problem+json",
    )


def status_payload(gateway: Gateway) -> dict[str, Any]:
    routes = []
    for name, state in gateway.flags.all().items():
        route = gateway.routes[name]
        routes.append(
            {
                "name": name,
                "path": route.path,
                "methods": route.methods,
                "mode": state.mode.value,
                "percent": state.percent,
                "guard": gateway.guard.snapshot(name),
            }
        )
    shadow = gateway.shadow
    return {
        "routes": routes,
        "shadow": {
            "queued": shadow.queued() if shadow else 0,
            "dropped": shadow.dropped if shadow else 0,
            "compared": shadow.processed if shadow else 0,
        },
    }


def build_admin(gateway: Gateway) -> Starlette:
    prefix = gateway.config.admin.prefix
    token = gateway.config.admin_token()

    def authorized(request: Request, allow_query: bool = False) -> bool:
        if not token:
            return False
        header = request.headers.get("authorization", "")
        scheme, _, given = header.partition(" ")
        if scheme.lower() != "bearer" and allow_query:
            given = request.query_params.get("token", "")
        elif scheme.lower() != "bearer":
            return False
        return hmac.compare_digest(given.strip().encode(), token.encode())

    def guarded(handler: Handler, allow_query: bool = False) -> Handler:
        async def wrapper(request: Request) -> Response:
            if not token:
                return problem(403, "Forbidden", "no admin token is configured")
            if not authorized(request, allow_query):
                response = problem(401, "Unauthorized", "a valid bearer token is required")
                response.headers["WWW-Authenticate"] = "Bearer"
                return response
            return await handler(request)

        return wrapper

    async def status(request: Request) -> Response:
        return JSONResponse(status_payload(gateway))

    async def set_route(request: Request) -> Response:
        name = request.path_params["name"]
        try:
            change = SetRoute.model_validate_json(await request.body())
        except ValidationError as exc:
            return problem(422, "Unprocessable Content", exc.errors()[0]["msg"])
        try:
            state = await gateway.flags.set(name, change.mode, change.percent)
        except UnknownRouteError:
            return problem(404, "Not Found", f"no route named {name!r}")
        gateway.guard.reset(name)
        return JSONResponse({"name": name, **state.to_json()})

    async def rollback(request: Request) -> Response:
        try:
            change = Rollback.model_validate_json(await request.body())
        except ValidationError as exc:
            return problem(422, "Unprocessable Content", exc.errors()[0]["msg"])
        try:
            names = await gateway.flags.rollback(None if change.all else [str(change.route)])
        except UnknownRouteError:
            return problem(404, "Not Found", f"no route named {change.route!r}")
        for name in names:
            gateway.metrics.rollbacks.labels(name, "manual").inc()
        return JSONResponse({"rolled_back": names})

    async def diffs(request: Request) -> Response:
        route = request.query_params.get("route")
        if route is not None and route not in gateway.routes:
            return problem(404, "Not Found", f"no route named {route!r}")
        assert gateway.shadow is not None
        return JSONResponse(gateway.shadow.aggregator.report(route))

    async def events(request: Request) -> Response:
        try:
            limit = int(request.query_params.get("limit", "50"))
        except ValueError:
            return problem(422, "Unprocessable Content", "limit must be an integer")
        limit = max(1, min(limit, 500))
        return JSONResponse([event.to_json() for event in await gateway.flags.events(limit)])

    async def metrics(request: Request) -> Response:
        if not gateway.config.admin.metrics_public and not authorized(request):
            return problem(401, "Unauthorized", "a valid bearer token is required")
        return Response(gateway.metrics.render(), media_type="text/plain; version=0.0.4")

    async def dashboard(request: Request) -> Response:
        assert gateway.shadow is not None
        html = render_dashboard(
            status_payload(gateway),
            gateway.shadow.aggregator.report(),
            [event.to_json() for event in await gateway.flags.events(20)],
        )
        return HTMLResponse(html)

    return Starlette(
        routes=[
            Route(f"{prefix}/api/status", guarded(status), methods=["GET"]),
            Route(f"{prefix}/api/routes/{{name}}", guarded(set_route), methods=["PUT", "POST"]),
            Route(f"{prefix}/api/rollback", guarded(rollback), methods=["POST"]),
            Route(f"{prefix}/api/diffs", guarded(diffs), methods=["GET"]),
            Route(f"{prefix}/api/events", guarded(events), methods=["GET"]),
            Route(f"{prefix}/metrics", metrics, methods=["GET"]),
            Route(f"{prefix}", guarded(dashboard, allow_query=True), methods=["GET"]),
            Route(f"{prefix}/", guarded(dashboard, allow_query=True), methods=["GET"]),
        ]
    )
