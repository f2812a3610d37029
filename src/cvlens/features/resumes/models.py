from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Integer, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from cvlens.platform.db import Base, UTCDateTime, utcnow
from cvlens.platform.ownership import OwnedMixin


class Resume(OwnedMixin, Base):
    """An uploaded file. The bytes live in the blob store under `blob_key`."""

    __tablename__ = "resumes"
    __table_args__ = (UniqueConstraint("owner_id", "sha256"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    filename: Mapped[str] = mapped_column(String(255))
    format: Mapped[str] = mapped_column(String(8))
    media_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    blob_key: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The résumé's integer id in the legacy optimizer (features/legacy_v1); NULL otherwise.
    legacy_id: Mapped[int | None] = mapped_column(Integer, unique=True)
