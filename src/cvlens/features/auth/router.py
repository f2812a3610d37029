"""HTTP endpoints: /api/v1/auth/*, /api/v1/users/me*, /api/v1/admin/users*, JWKS."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response
from fastapi.security import OAuth2PasswordRequestForm

from cvlens.features.auth import api_tokens, service
from cvlens.features.auth.deps import (
    AdminUser,
    CurrentPrincipal,
    CurrentUser,
    RuntimeDep,
    bearer_token,
    resolve_principal,
)
from cvlens.features.auth.schemas import (
    ApiTokenCreate,
    ApiTokenCreated,
    ApiTokenRead,
    LogoutRequest,
    RefreshRequest,
    RegisterRequest,
    TokenPair,
    UserPage,
    UserRead,
    UserUpdate,
)
from cvlens.platform.db import SessionDep
from cvlens.platform.ratelimit import rate_limited

auth_router = APIRouter(prefix="/api/v1/auth", tags=["auth"])
users_router = APIRouter(prefix="/api/v1/users", tags=["users"])
admin_router = APIRouter(prefix="/api/v1/admin", tags=["admin"])
jwks_router = APIRouter(tags=["auth"])

_REGISTER_LIMIT = Depends(rate_limited("register", lambda s: s.rate_limit_register))
_TOKEN_LIMIT = Depends(rate_limited("token", lambda s: s.rate_limit_token))


@auth_router.post("/register", status_code=201, dependencies=[_REGISTER_LIMIT])
async def register(body: RegisterRequest, session: SessionDep, runtime: RuntimeDep) -> UserRead:
    """Create an account (password ≥ 10 characters, not a common one). 409 if the email is taken."""
    user = await service.create_user(
        session, runtime.passwords, body.email, body.password, body.name
    )
    return UserRead.model_validate(user)


@auth_router.post("/token", dependencies=[_TOKEN_LIMIT])
async def token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: SessionDep,
    runtime: RuntimeDep,
) -> TokenPair:
    """Log in with email (`username`) and password: an access and a refresh token."""
    user = await service.authenticate(session, runtime, form.username, form.password)
    return await service.start_session(session, runtime, user)


@auth_router.post("/refresh")
async def refresh(body: RefreshRequest, session: SessionDep, runtime: RuntimeDep) -> TokenPair:
    """Exchange a refresh token for a new pair. Each refresh token works once; presenting a
    used one again ends the whole session (it was stolen, or the client is broken)."""
    return await service.refresh(session, runtime, body.refresh_token)


@auth_router.post("/logout", status_code=204)
async def logout(
    session: SessionDep,
    runtime: RuntimeDep,
    token: Annotated[str | None, Depends(bearer_token)],
    body: LogoutRequest | None = None,
) -> Response:
    """End a session, named by its refresh token or by the access token sent as Bearer.
    The session's access tokens stop working at once, not when they expire."""
    if body is not None and body.refresh_token:
        await service.logout_with_refresh_token(session, runtime, body.refresh_token)
    elif token:
        principal = await resolve_principal(session, runtime, token)
        if principal.session_id is None:
            raise service.unauthorized("only a log-in session can log out", invalid_token=False)
        await service.revoke_session(session, principal.session_id, "logout")
    else:
        raise service.unauthorized("send the refresh token or the access token")
    return Response(status_code=204)


@users_router.get("/me")
async def read_me(user: CurrentUser) -> UserRead:
    return UserRead.model_validate(user)


@users_router.patch("/me")
async def update_me(
    body: UserUpdate, principal: CurrentPrincipal, session: SessionDep, runtime: RuntimeDep
) -> UserRead:
    """Change the name and/or the password (which needs `current_password`). A password
    change ends every other session."""
    user = await service.update_profile(
        session, runtime, principal.user, body, principal.session_id
    )
    return UserRead.model_validate(user)


@users_router.post("/me/api-tokens", status_code=201)
async def create_api_token(
    body: ApiTokenCreate, user: CurrentUser, session: SessionDep, runtime: RuntimeDep
) -> ApiTokenCreated:
    """Create a personal API token; the response is the only time it is shown."""
    row, secret = await api_tokens.create_api_token(session, runtime, user, body.name)
    return ApiTokenCreated(
        id=row.id, name=row.name, prefix=row.prefix, created_at=row.created_at, token=secret
    )


@users_router.get("/me/api-tokens")
async def list_api_tokens(user: CurrentUser, session: SessionDep) -> list[ApiTokenRead]:
    rows = await api_tokens.list_api_tokens(session, user)
    return [ApiTokenRead.model_validate(row) for row in rows]


@users_router.delete("/me/api-tokens/{token_id}", status_code=204)
async def revoke_api_token(token_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> Response:
    await api_tokens.revoke_api_token(session, user, token_id)
    return Response(status_code=204)


@admin_router.get("/users")
async def list_users(
    _admin: AdminUser,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> UserPage:
    users, total = await service.list_users(session, limit, offset)
    return UserPage(
        items=[UserRead.model_validate(u) for u in users], total=total, limit=limit, offset=offset
    )


@admin_router.post("/users/{user_id}/disable")
async def disable_user(user_id: uuid.UUID, admin: AdminUser, session: SessionDep) -> UserRead:
    """Disable an account: its sessions end and every token of it is refused at once."""
    return UserRead.model_validate(await service.set_disabled(session, admin, user_id, True))


@admin_router.post("/users/{user_id}/enable")
async def enable_user(user_id: uuid.UUID, admin: AdminUser, session: SessionDep) -> UserRead:
    return UserRead.model_validate(await service.set_disabled(session, admin, user_id, False))


@jwks_router.get("/.well-known/jwks.json")
async def jwks(runtime: RuntimeDep, response: Response) -> dict[str, Any]:
    """The public keys that verify our access tokens (RFC 7517)."""
    response.headers["Cache-Control"] = "public, max-age=300"
    return runtime.issuer.key.jwks()


routers = (auth_router, users_router, admin_router, jwks_router)
