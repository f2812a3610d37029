"""Personal API tokens (`cvl_…`): created and shown once, listed by prefix, revoked.

A token is 32 random bytes (URL-safe base64) after `cvl_`; only its first 12 characters
and an HMAC-SHA256 digest keyed with `CVLENS_SECRET_KEY` are stored. Changing the secret
key therefore invalidates every API token (and refresh token) at once.
"""

from __future__ import annotations

import secrets
import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from cvlens.features.auth.models import ApiToken, User
from cvlens.features.auth.runtime import AuthRuntime
from cvlens.platform.ownership import delete_owned_or_404, owned

TOKEN_PREFIX = "cvl_"
SHOWN_PREFIX_LENGTH = 12


def is_api_token(token: str) -> bool:
    return token.startswith(TOKEN_PREFIX)


async def create_api_token(
    session: AsyncSession, runtime: AuthRuntime, owner: User, name: str
) -> tuple[ApiToken, str]:
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        owner_id=owner.id,
        name=name,
        prefix=token[:SHOWN_PREFIX_LENGTH],
        token_hash=runtime.digest(token),
    )
    session.add(row)
    await session.flush()
    return row, token


async def list_api_tokens(session: AsyncSession, owner: User) -> list[ApiToken]:
    stmt = owned(select(ApiToken).order_by(ApiToken.created_at, ApiToken.id), ApiToken, owner)
    return list(await session.scalars(stmt))


async def revoke_api_token(session: AsyncSession, owner: User, token_id: uuid.UUID) -> None:
    await delete_owned_or_404(session, ApiToken, token_id, owner, "API token")


async def user_for_api_token(
    session: AsyncSession, runtime: AuthRuntime, token: str
) -> User | None:
    stmt = (
        select(User)
        .join(ApiToken, ApiToken.owner_id == User.id)
        .where(ApiToken.token_hash == runtime.digest(token))
    )
    user: User | None = await session.scalar(stmt)
    return user
