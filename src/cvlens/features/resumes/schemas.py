from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict


class ResumeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    filename: str
    format: str
    media_type: str
    size_bytes: int
    sha256: str
    created_at: datetime


class ResumePage(BaseModel):
    items: list[ResumeRead]
    total: int
    limit: int
    offset: int
