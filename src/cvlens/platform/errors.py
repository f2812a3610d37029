"""One error model for the whole API: RFC 9457 problem details (`application/problem+json`).

Unhandled exceptions become a 500 problem in `observability.RequestContextMiddleware`,
which knows the request id and logs the traceback; the client never sees it.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://cvlens.dev/problems/"


class InvalidParam(BaseModel):
    name: str
    reason: str
    location: list[str | int]


class Problem(BaseModel):
    """Body of every error response."""

    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    request_id: str | None = None
    errors: list[InvalidParam] | None = None


class ProblemError(Exception):
    """Raise from services for a 4xx with a stable `type` slug and a plain `detail`."""

    def __init__(
        self,
        status: int,
        slug: str,
        detail: str,
        *,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.slug = slug
        self.detail = detail
        self.headers = headers
        self.extra = extra or {}


class NotFoundError(ProblemError):
    def __init__(self, what: str) -> None:
        super().__init__(404, "not-found", f"{what} not found")


def problem_response(
    request: Request,
    status: int,
    slug: str,
    detail: str | None,
    *,
    errors: list[InvalidParam] | None = None,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> JSONResponse:
    problem = Problem(
        type=TYPE_BASE + slug,
        title=HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        instance=request.url.path,
        request_id=getattr(request.state, "request_id", None),
        errors=errors,
    )
    body = problem.model_dump(exclude_none=True) | (extra or {})
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


_SLUGS = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "payload-too-large",
    415: "unsupported-media-type",
    422: "validation-error",
    429: "too-many-requests",
    503: "unavailable",
}


async def _http_exception(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else None
    return problem_response(
        request,
        exc.status_code,
        _SLUGS.get(exc.status_code, "http-error"),
        detail,
        headers=getattr(exc, "headers", None),
    )


async def _problem_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProblemError)
    return problem_response(
        request, exc.status, exc.slug, exc.detail, headers=exc.headers, extra=exc.extra
    )


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        InvalidParam(
            name=".".join(str(part) for part in err["loc"][1:]) or str(err["loc"][0]),
            reason=err["msg"],
            location=list(err["loc"]),
        )
        for err in exc.errors()
    ]
    names = ", ".join(e.name for e in errors)
    return problem_response(
        request, 422, "validation-error", f"invalid request: {names}", errors=errors
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, _http_exception)
    app.add_exception_handler(ProblemError, _problem_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
