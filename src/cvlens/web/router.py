"""Serve the page at `/` and its assets under `/static`, with strict security headers.

The headers are set here, on the page routes only, so the JSON API stays untouched.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

STATIC_DIR = Path(__file__).parent / "static"

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}

router = APIRouter(include_in_schema=False)


def _secure(response: Response) -> Response:
    response.headers.update(SECURITY_HEADERS)
    return response


@router.get("/")
async def index() -> Response:
    # no-cache: a new deploy's page must not pair with a stale cached copy of itself.
    response = FileResponse(STATIC_DIR / "index.html", headers={"Cache-Control": "no-cache"})
    return _secure(response)


class SecureStaticFiles(StaticFiles):
    """`StaticFiles` that adds the page's security headers to every asset."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        return _secure(await super().get_response(path, scope))


def mount_web(app: FastAPI) -> None:
    app.include_router(router)
    app.mount("/static", SecureStaticFiles(directory=STATIC_DIR), name="static")
