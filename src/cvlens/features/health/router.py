from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from cvlens.features.health.schemas import CheckRead, HealthRead
from cvlens.platform.readiness import ReadinessChecks

router = APIRouter(prefix="/health", tags=["health"])


@router.get("/live")
async def live() -> HealthRead:
    """The process is up and serving requests."""
    return HealthRead(status="ok")


@router.get("/ready", responses={503: {"model": HealthRead}})
async def ready(request: Request) -> JSONResponse:
    """Every configured backend answers; 503 names the ones that did not."""
    checks: ReadinessChecks = request.app.state.readiness
    results = await checks.run()
    body = HealthRead(
        status="ok" if all(r.ok for r in results) else "failed",
        checks=[
            CheckRead(name=r.name, status="ok" if r.ok else "failed", error=r.error)
            for r in results
        ],
    )
    return JSONResponse(body.model_dump(), status_code=200 if body.status == "ok" else 503)
