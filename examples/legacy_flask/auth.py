"""Bearer tokens of the legacy app: a user id signed with itsdangerous (shipped with Flask)."""

from __future__ import annotations

from itsdangerous import BadSignature, URLSafeTimedSerializer

TOKEN_MAX_AGE_SECONDS = 7 * 24 * 3600
_SALT = "legacy-login"


def issue_token(secret: str, user_id: int) -> str:
    return URLSafeTimedSerializer(secret, salt=_SALT).dumps({"uid": user_id})


def user_id_from_token(secret: str, token: str) -> int | None:
    """The user id in a valid, unexpired token; None otherwise."""
    try:
        payload = URLSafeTimedSerializer(secret, salt=_SALT).loads(
            token, max_age=TOKEN_MAX_AGE_SECONDS
        )
    except BadSignature:
        return None
    uid = payload.get("uid") if isinstance(payload, dict) else None
    return uid if isinstance(uid, int) else None
