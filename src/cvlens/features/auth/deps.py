"""Who is calling: `CurrentPrincipal`, `CurrentUser`, `AdminUser`.

A bearer token is one of three kinds, told apart without trying them all:
- `cvl_…`: a personal API token (digest lookup joined to its user);
- a JWT whose `kid` is our key: our access token; its user *and* its session are loaded in
  one query, so a disabled user or an ended session (logout, refresh reuse) is refused at
  once, not when the token expires;
- any other JWT, when an external IdP is configured: verified against the IdP's JWKS, and
  the user is found (or created) by issuer and subject.
Every failure is a 401 problem with `WWW-Authenticate`; an unreachable IdP is a 503.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer, OAuth2PasswordBearer
from sqlalchemy import Uuid, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from cvlens.features.auth import service
from cvlens.features.auth.api_tokens import is_api_token, user_for_api_token
from cvlens.features.auth.models import AuthSession, User
from cvlens.features.auth.runtime import AuthRuntime, auth_runtime
from cvlens.platform.db import SessionDep
from cvlens.platform.errors import ProblemError
from cvlens.platform.security import IdentityProviderUnavailableError, InvalidTokenError

TOKEN_URL = "/api/v1/auth/token"

# Two schemes over the same header: OAuth2 makes /docs "Authorize" log in with a password;
# plain Bearer lets /docs users paste an API token or an IdP token.
oauth2_scheme = OAuth2PasswordBearer(tokenUrl=TOKEN_URL, auto_error=False)
bearer_scheme = HTTPBearer(auto_error=False, description="Access token, IdP token or cvl_ token")

RuntimeDep = Annotated[AuthRuntime, Depends(auth_runtime)]


@dataclass(frozen=True)
class Principal:
    user: User
    method: Literal["session", "api-token", "external"]
    session_id: uuid.UUID | None = None


async def bearer_token(
    oauth_token: Annotated[str | None, Depends(oauth2_scheme)],
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> str | None:
    return oauth_token or (bearer.credentials if bearer else None)


async def resolve_principal(session: AsyncSession, runtime: AuthRuntime, token: str) -> Principal:
    principal = await _principal_for(session, runtime, token)
    if not principal.user.is_active:
        raise service.unauthorized("account is disabled")
    return principal


async def _principal_for(session: AsyncSession, runtime: AuthRuntime, token: str) -> Principal:
    if is_api_token(token):
        user = await user_for_api_token(session, runtime, token)
        if user is None:
            raise service.unauthorized("unknown or revoked API token")
        return Principal(user, "api-token")
    try:
        if runtime.issuer.owns(token):
            claims = runtime.issuer.verify(token, "access")
            user = await _user_in_live_session(session, claims.subject, claims.session_id)
            return Principal(user, "session", claims.session_id)
        if runtime.external is not None:
            identity = await runtime.external.verify(token)
            return Principal(await service.user_for_identity(session, identity), "external")
    except InvalidTokenError as exc:
        raise service.unauthorized(f"invalid token: {exc}") from None
    except IdentityProviderUnavailableError:
        raise ProblemError(
            503, "identity-provider-unavailable", "the identity provider's keys are unreachable"
        ) from None
    raise service.unauthorized("invalid token: signed by an unknown key")


# Built once: every authenticated request runs it, and building a statement (and its cache
# key) costs more Python than executing it on SQLite.
_USER_IN_LIVE_SESSION = (
    select(User)
    .join(AuthSession, AuthSession.user_id == User.id)
    .where(
        User.id == bindparam("user_id", type_=Uuid()),
        AuthSession.id == bindparam("session_id", type_=Uuid()),
        AuthSession.revoked_at.is_(None),
    )
)


async def _user_in_live_session(session: AsyncSession, subject: str, session_id: uuid.UUID) -> User:
    try:
        user_id = uuid.UUID(subject)
    except ValueError:
        raise service.unauthorized("invalid token: malformed subject") from None
    params = {"user_id": user_id, "session_id": session_id}
    user: User | None = await session.scalar(_USER_IN_LIVE_SESSION, params)
    if user is None:
        raise service.unauthorized("this session has ended; log in again")
    return user


async def _current_principal(
    session: SessionDep,
    runtime: RuntimeDep,
    token: Annotated[str | None, Depends(bearer_token)],
) -> Principal:
    if not token:
        raise service.unauthorized("authentication required", invalid_token=False)
    return await resolve_principal(session, runtime, token)


CurrentPrincipal = Annotated[Principal, Depends(_current_principal)]


async def _current_user(principal: CurrentPrincipal) -> User:
    return principal.user


CurrentUser = Annotated[User, Depends(_current_user)]


async def _admin_user(user: CurrentUser) -> User:
    if not user.is_admin:
        raise ProblemError(403, "forbidden", "administrators only")
    return user


AdminUser = Annotated[User, Depends(_admin_user)]
