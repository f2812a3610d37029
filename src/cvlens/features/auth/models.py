"""Users, log-in sessions, refresh tokens and personal API tokens.

Ids are UUIDv4 (`sqlalchemy.Uuid`: native `uuid` on PostgreSQL, CHAR(32) on SQLite), so
ids in URLs reveal neither counts nor order. Timestamps are timezone-aware UTC.

A *session* is one log-in: the family of refresh tokens that rotation derives from it.
Access tokens name their session (`sid`), so revoking a session (logout, reuse of a
rotated refresh token, password change, admin disable) ends its access tokens at once.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from cvlens.platform.db import Base
from cvlens.platform.ownership import OwnedMixin

ROLES = ("user", "admin")


def utcnow() -> datetime:
    return datetime.now(UTC)


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('user', 'admin')", name="role"),
        UniqueConstraint("external_issuer", "external_subject"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    # Lower-cased; NULL for an IdP user whose token carries no email.
    email: Mapped[str | None] = mapped_column(String(320), unique=True)
    # The user's integer id in the legacy optimizer (features/legacy_v1); NULL otherwise.
    legacy_id: Mapped[int | None] = mapped_column(Integer, unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    # NULL for users who only sign in through the external IdP.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="user")
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    external_issuer: Mapped[str | None] = mapped_column(String(512))
    external_subject: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def is_active(self) -> bool:
        return self.disabled_at is None


class AuthSession(Base):
    __tablename__ = "auth_sessions"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # logout | refresh-reuse | password-change | user-disabled
    revoked_reason: Mapped[str | None] = mapped_column(String(32))


class RefreshToken(Base):
    """One refresh token (its `jti`), stored as an HMAC digest, never in the clear."""

    __tablename__ = "refresh_tokens"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("auth_sessions.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Set when the token was exchanged; presenting it again is reuse.
    rotated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ApiToken(OwnedMixin, Base):
    """A personal API token `cvl_…`; only its prefix and HMAC digest are stored."""

    __tablename__ = "api_tokens"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
