"""The caller of a legacy route: the user named by a valid legacy bearer token."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import select

from cvlens.features.auth.models import User
from cvlens.features.legacy_v1.errors import LegacyError
from cvlens.features.legacy_v1.settings import LegacySettings, legacy_settings
from cvlens.features.legacy_v1.tokens import legacy_user_id_from_token
from cvlens.platform.db import SessionDep

LegacySettingsDep = Annotated[LegacySettings, Depends(legacy_settings)]


async def _legacy_user(request: Request, session: SessionDep, settings: LegacySettingsDep) -> User:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    uid = None
    if scheme.lower() == "bearer" and token:
        uid = legacy_user_id_from_token(settings.secret_key.get_secret_value(), token.strip())
    user = None
    if uid is not None:
        user = await session.scalar(select(User).where(User.legacy_id == uid))
    if user is None or not user.is_active:
        raise LegacyError(401, "authentication required")
    return user


LegacyUser = Annotated[User, Depends(_legacy_user)]
