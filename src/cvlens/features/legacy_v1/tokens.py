"""The legacy bearer token: the legacy user id signed with itsdangerous.

legacy_v1 issues and accepts exactly the tokens the legacy app does (same secret, salt and
lifetime), so during the walk a client logged in on either side works on both: requests
that the gateway falls back to legacy, or canaries to CVLens, keep their session.
"""

from __future__ import annotations

from itsdangerous import BadSignature, URLSafeTimedSerializer

TOKEN_MAX_AGE_SECONDS = 7 * 24 * 3600
_SALT = "legacy-login"


def issue_token(secret: str, legacy_user_id: int) -> str:
    return URLSafeTimedSerializer(secret, salt=_SALT).dumps({"uid": legacy_user_id})


def legacy_user_id_from_token(secret: str, token: str) -> int | None:
    """The legacy user id in a valid, unexpired token; None otherwise."""
    try:
        payload = URLSafeTimedSerializer(secret, salt=_SALT).loads(
            token, max_age=TOKEN_MAX_AGE_SECONDS
        )
    except BadSignature:
        return None
    uid = payload.get("uid") if isinstance(payload, dict) else None
    return uid if isinstance(uid, int) and not isinstance(uid, bool) else None
