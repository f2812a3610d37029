"""Request and response bodies of the auth and user endpoints."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field


def _as_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored datetime is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


UtcDatetime = Annotated[datetime, AfterValidator(_as_utc)]
# Bounded so a megabyte "password" cannot make argon2 (or the server) work for it.
Password = Annotated[str, Field(min_length=1, max_length=256)]


class RegisterRequest(BaseModel):
    email: EmailStr = Field(max_length=320)
    password: Password
    name: str | None = Field(None, min_length=1, max_length=200)


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    email: str | None
    name: str | None
    role: Literal["user", "admin"]
    is_active: bool
    created_at: UtcDatetime


class UserUpdate(BaseModel):
    """Change the name and/or the password; a new password needs the current one."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, min_length=1, max_length=200)
    password: Password | None = None
    current_password: Password | None = None


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds until the access token expires")


class RefreshRequest(BaseModel):
    refresh_token: str = Field(min_length=1, max_length=4096)


class LogoutRequest(BaseModel):
    refresh_token: str | None = Field(None, min_length=1, max_length=4096)


class ApiTokenCreate(BaseModel):
    name: str = Field(min_length=1, max_length=100)


class ApiTokenRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    prefix: str = Field(description="The token's first characters, to recognise it")
    created_at: UtcDatetime


class ApiTokenCreated(ApiTokenRead):
    token: str = Field(description="The full token: shown this once, never again")


class UserPage(BaseModel):
    items: list[UserRead]
    total: int
    limit: int
    offset: int
