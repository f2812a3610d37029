"""Accounts and log-in sessions: register, log in, refresh (with rotation), log out, profile.

Services only `flush()`; the request's session commits. One deliberate exception: when a
rotated refresh token is presented again, the revocation of its whole session is committed
*before* the 401 is raised, or the rollback of the failing request would undo it.
"""

from __future__ import annotations

import hmac
import uuid

from sqlalchemy import func, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from cvlens.features.auth.models import AuthSession, RefreshToken, User, utcnow
from cvlens.features.auth.passwords import invalid_field, require_strong_password
from cvlens.features.auth.runtime import AuthRuntime
from cvlens.features.auth.schemas import TokenPair, UserUpdate
from cvlens.platform.errors import NotFoundError, ProblemError
from cvlens.platform.security import ExternalIdentity, InvalidTokenError, PasswordHasher


def unauthorized(detail: str, *, invalid_token: bool = True) -> ProblemError:
    challenge = 'Bearer error="invalid_token"' if invalid_token else "Bearer"
    return ProblemError(401, "unauthorized", detail, headers={"WWW-Authenticate": challenge})


def normalise_email(email: str) -> str:
    return email.strip().lower()


# --- accounts -------------------------------------------------------------------------------


async def create_user(
    session: AsyncSession,
    passwords: PasswordHasher,
    email: str,
    password: str,
    name: str | None = None,
    *,
    role: str = "user",
) -> User:
    email = normalise_email(email)
    require_strong_password(password, email)
    if await session.scalar(select(User.id).where(User.email == email)) is not None:
        raise ProblemError(409, "email-taken", "an account with this email already exists")
    user = User(
        email=email,
        name=name,
        password_hash=await passwords.hash(password),
        role=role,
    )
    session.add(user)
    try:
        await session.flush()
    except IntegrityError:  # registered concurrently between our check and insert
        await session.rollback()
        raise ProblemError(
            409, "email-taken", "an account with this email already exists"
        ) from None
    return user


async def authenticate(
    session: AsyncSession, runtime: AuthRuntime, email: str, password: str
) -> User:
    """The active user with this email and password, else one generic 401.

    An unknown email, a user without a local password and a disabled user all cost the
    same argon2 verification as a real attempt: response time tells nothing.
    """
    user = await session.scalar(select(User).where(User.email == normalise_email(email)))
    matches, new_hash = await runtime.passwords.verify(
        password, user.password_hash if user else None
    )
    if user is None or not matches or not user.is_active:
        raise unauthorized("incorrect email or password", invalid_token=False)
    if new_hash is not None:  # hashed with older parameters: upgrade in place
        user.password_hash = new_hash
    return user


async def update_profile(
    session: AsyncSession,
    runtime: AuthRuntime,
    user: User,
    changes: UserUpdate,
    current_session_id: uuid.UUID | None,
) -> User:
    if changes.name is not None:
        user.name = changes.name
    if changes.password is not None:
        if user.password_hash is None:
            raise invalid_field("password", "this account signs in through the identity provider")
        if changes.current_password is None:
            raise invalid_field("current_password", "is required to change the password")
        matches, _ = await runtime.passwords.verify(changes.current_password, user.password_hash)
        if not matches:
            raise invalid_field("current_password", "does not match the current password")
        require_strong_password(changes.password, user.email)
        user.password_hash = await runtime.passwords.hash(changes.password)
        await revoke_sessions(session, user.id, "password-change", keep=current_session_id)
    await session.flush()
    return user


async def user_for_identity(session: AsyncSession, identity: ExternalIdentity) -> User:
    """The user row of an IdP identity, created on first sight.

    Never linked to an existing local account by email (an IdP that does not verify emails
    would otherwise hand over that account); a taken email is simply not copied.
    """
    by_identity = select(User).where(
        User.external_issuer == identity.issuer, User.external_subject == identity.subject
    )
    user = await session.scalar(by_identity)
    if user is not None:
        return user
    email = normalise_email(identity.email) if identity.email else None
    if email and await session.scalar(select(User.id).where(User.email == email)) is not None:
        email = None
    user = User(
        email=email,
        name=identity.name,
        external_issuer=identity.issuer,
        external_subject=identity.subject,
    )
    session.add(user)
    try:
        await session.flush()
    except IntegrityError:  # the same identity's first two requests raced
        # Nothing else is in this transaction yet (we run before the endpoint).
        await session.rollback()
        existing = await session.scalar(by_identity)
        if existing is None:
            raise
        return existing
    return user


# --- sessions and tokens --------------------------------------------------------------------


async def start_session(session: AsyncSession, runtime: AuthRuntime, user: User) -> TokenPair:
    auth_session = AuthSession(id=uuid.uuid4(), user_id=user.id)
    session.add(auth_session)
    await session.flush()
    return await _issue_pair(session, runtime, user.id, auth_session.id)


async def _issue_pair(
    session: AsyncSession, runtime: AuthRuntime, user_id: uuid.UUID, session_id: uuid.UUID
) -> TokenPair:
    access = runtime.issuer.issue(str(user_id), "access", session_id)
    refresh = runtime.issuer.issue(str(user_id), "refresh", session_id)
    session.add(
        RefreshToken(
            id=refresh.token_id,
            session_id=session_id,
            token_hash=runtime.digest(refresh.token),
            expires_at=refresh.expires_at,
        )
    )
    await session.flush()
    ttl = runtime.issuer.ttl["access"]
    return TokenPair(
        access_token=access.token,
        refresh_token=refresh.token,
        expires_in=int(ttl.total_seconds()),
    )


async def _stored_refresh_token(
    session: AsyncSession, runtime: AuthRuntime, token: str
) -> tuple[RefreshToken, AuthSession]:
    try:
        claims = runtime.issuer.verify(token, "refresh")
    except InvalidTokenError as exc:
        raise unauthorized(f"invalid refresh token: {exc}") from None
    row = await session.get(RefreshToken, claims.token_id)
    if row is None or not hmac.compare_digest(row.token_hash, runtime.digest(token)):
        raise unauthorized("invalid refresh token")
    auth_session = await session.get(AuthSession, row.session_id)
    if auth_session is None or str(auth_session.user_id) != claims.subject:
        raise unauthorized("invalid refresh token")
    return row, auth_session


async def refresh(session: AsyncSession, runtime: AuthRuntime, token: str) -> TokenPair:
    row, auth_session = await _stored_refresh_token(session, runtime, token)
    if auth_session.revoked_at is not None:
        raise unauthorized("this session has ended; log in again")
    rotate = (
        update(RefreshToken)
        .where(RefreshToken.id == row.id, RefreshToken.rotated_at.is_(None))
        .values(rotated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    result = await session.execute(rotate)
    if not isinstance(result, CursorResult) or result.rowcount != 1:
        await revoke_session(session, auth_session.id, "refresh-reuse")
        await session.commit()  # the revocation must outlive this failing request
        raise unauthorized("refresh token was already used; the session is revoked")
    user = await session.get(User, auth_session.user_id)
    if user is None or not user.is_active:
        raise unauthorized("account is disabled")
    return await _issue_pair(session, runtime, user.id, auth_session.id)


async def logout_with_refresh_token(
    session: AsyncSession, runtime: AuthRuntime, token: str
) -> None:
    _, auth_session = await _stored_refresh_token(session, runtime, token)
    await revoke_session(session, auth_session.id, "logout")


async def revoke_session(session: AsyncSession, session_id: uuid.UUID, reason: str) -> None:
    await session.execute(
        update(AuthSession)
        .where(AuthSession.id == session_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoked_reason=reason)
        .execution_options(synchronize_session=False)
    )


async def revoke_sessions(
    session: AsyncSession, user_id: uuid.UUID, reason: str, *, keep: uuid.UUID | None = None
) -> None:
    """End every session of a user (but `keep`, the one making the request)."""
    stmt = update(AuthSession).where(
        AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None)
    )
    if keep is not None:
        stmt = stmt.where(AuthSession.id != keep)
    await session.execute(
        stmt.values(revoked_at=utcnow(), revoked_reason=reason).execution_options(
            synchronize_session=False
        )
    )


# --- administration -------------------------------------------------------------------------


async def list_users(session: AsyncSession, limit: int, offset: int) -> tuple[list[User], int]:
    total = await session.scalar(select(func.count()).select_from(User)) or 0
    users = await session.scalars(
        select(User).order_by(User.created_at, User.id).limit(limit).offset(offset)
    )
    return list(users), total


async def set_disabled(
    session: AsyncSession, admin: User, user_id: uuid.UUID, disabled: bool
) -> User:
    user = await session.get(User, user_id)
    if user is None:
        raise NotFoundError("user")
    if disabled and user.id == admin.id:
        raise ProblemError(409, "conflict", "admins cannot disable their own account")
    if disabled and user.disabled_at is None:
        user.disabled_at = utcnow()
        await revoke_sessions(session, user.id, "user-disabled")
    elif not disabled:
        user.disabled_at = None
    await session.flush()
    return user
