"""What matching a résumé to a job returns."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from cvlens.analysis.review.models import Evidence

RequirementKind = Literal["skill", "keyword", "experience", "degree"]
Importance = Literal["required", "preferred"]
Status = Literal["matched", "partial", "missing"]


class MatchItem(BaseModel):
    """One requirement of the job and how the résumé answers it.

    `via` names what on the résumé stood in for a partial match (a synonym or a related
    skill, e.g. requirement Vue.js via React); `evidence` is where that was found.
    """

    requirement: str
    kind: RequirementKind
    importance: Importance
    status: Status
    category: str | None = None
    via: str | None = None
    evidence: Evidence | None = None
    detail: str | None = None


class Match(BaseModel):
    score: int = Field(ge=0, le=100)
    matched: list[MatchItem]
    missing: list[MatchItem]
    partial: list[MatchItem]
    explanation: list[str]
    required_years: float | None = None
    candidate_years: float | None = None
    required_degree: str | None = None
    candidate_degree: str | None = None

    def to_json(self) -> dict[str, object]:
        return self.model_dump(mode="json")
