"""Legacy's error shape: `{"error": "<message>"}` with its status code (no problem+json)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse


class LegacyError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


async def _legacy_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, LegacyError)
    return JSONResponse({"error": exc.message}, status_code=exc.status)


def install_legacy_error_handler(app: FastAPI) -> None:
    app.add_exception_handler(LegacyError, _legacy_error)
