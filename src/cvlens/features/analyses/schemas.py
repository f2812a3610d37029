from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field


class AnalysisCreate(BaseModel):
    resume_id: uuid.UUID
    job_description: str | None = Field(
        None, max_length=50_000, description="Job posting text to match the résumé against"
    )


class AnalysisLinks(BaseModel):
    self: str
    events: str
    resume: str


class AnalysisError(BaseModel):
    type: str
    message: str


class AnalysisResult(BaseModel):
    """Exactly the `resume`, `review` and `match` of `cvlens analyze --format json`."""

    resume: dict[str, Any]
    review: dict[str, Any]
    match: dict[str, Any] | None


class AnalysisRead(BaseModel):
    id: uuid.UUID
    resume_id: uuid.UUID
    status: Literal["queued", "running", "succeeded", "failed"]
    progress: int
    stage: str | None
    attempts: int
    has_job_description: bool
    created_at: datetime
    finished_at: datetime | None
    result: AnalysisResult | None = None
    error: AnalysisError | None = None
    links: AnalysisLinks


class AnalysisAccepted(BaseModel):
    id: uuid.UUID
    status: str
    links: AnalysisLinks


class AnalysisPage(BaseModel):
    items: list[AnalysisRead]
    total: int
    limit: int
    offset: int
