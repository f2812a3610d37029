from __future__ import annotations

from typing import Literal

from pydantic import BaseModel


class CheckRead(BaseModel):
    name: str
    status: Literal["ok", "failed"]
    error: str | None = None


class HealthRead(BaseModel):
    status: Literal["ok", "failed"]
    checks: list[CheckRead] = []
