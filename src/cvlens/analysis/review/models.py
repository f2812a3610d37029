"""What a review returns: scores per dimension and findings that name their evidence."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Severity = Literal["info", "warning", "critical"]
DimensionName = Literal["structure", "impact", "ats", "readability", "consistency"]


class Evidence(BaseModel):
    """Where a finding comes from: the résumé section and the exact line of the document.

    `line` is None only for findings about something absent (no email, no Skills section).
    """

    section: str
    line: str | None = None


class Finding(BaseModel):
    id: str
    dimension: DimensionName
    severity: Severity
    message: str
    evidence: Evidence
    fix: str


class DimensionScore(BaseModel):
    name: DimensionName
    score: int = Field(ge=0, le=100)
    weight: float


class Review(BaseModel):
    score: int = Field(ge=0, le=100)
    dimensions: list[DimensionScore]
    findings: list[Finding]

    def to_json(self) -> dict[str, object]:
        return self.model_dump(mode="json")
