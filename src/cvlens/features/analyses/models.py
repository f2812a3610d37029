from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from cvlens.platform.db import Base, UTCDateTime, utcnow
from cvlens.platform.ownership import OwnedMixin


class Analysis(OwnedMixin, Base):
    """One analysis of a résumé (optionally against a job description).

    It shares its id with its job row, which holds status, progress, attempts and error;
    so the id a client polls is also the id its progress events carry.
    """

    __tablename__ = "analyses"

    id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jobs.id"), primary_key=True)
    resume_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("resumes.id", ondelete="CASCADE"), index=True
    )
    job_description: Mapped[str | None] = mapped_column(Text, default=None)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The legacy optimization's integer id (features/legacy_v1); NULL otherwise.
    legacy_id: Mapped[int | None] = mapped_column(Integer, unique=True)
