"""Tables legacy_v1 adds: the legacy password hashes and the legacy extracted text.

The `legacy_id` columns on users, resumes, jobs and analyses live in those features'
models; these two tables hold what CVLens has no column for.
"""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cvlens.platform.db import Base


class LegacyPassword(Base):
    """A user's Werkzeug pbkdf2 hash as copied from legacy.

    Kept unchanged: after the first legacy_v1 login the argon2 re-hash goes to
    `users.password_hash`, which wins from then on. So the copied data stays equal to
    the source and `cutover verify` stays clean.
    """

    __tablename__ = "legacy_passwords"

    legacy_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), unique=True
    )
    password_hash: Mapped[str] = mapped_column(String(255))


class LegacyResumeText(Base):
    """The text legacy extracted from a résumé (legacy answers return it and its length)."""

    __tablename__ = "legacy_resume_texts"

    legacy_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    resume_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("resumes.id", ondelete="CASCADE"), unique=True
    )
    extracted_text: Mapped[str] = mapped_column(Text)
