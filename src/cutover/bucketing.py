"""Sticky canary bucketing, compatible with Unleash's gradual rollout.

A user's bucket is `mmh3.hash(f"{salt}:{key}", signed=False) % 100 + 1`, a number in
1..100; the user goes to the new backend when `bucket <= percent`. Raising the
percentage therefore only adds users: everyone already on new stays there.
"""

from __future__ import annotations

import base64
import binascii
import secrets

import mmh3
import orjson

from cutover.config import StickinessKey


def bucket(salt: str, key: str) -> int:
    """The user's bucket, 1..100."""
    return int(mmh3.hash(f"{salt}:{key}", signed=False)) % 100 + 1


def goes_to_new(salt: str, key: str, percent: float) -> bool:
    return bucket(salt, key) <= percent


def parse_cookies(header: str) -> dict[str, str]:
    """A forgiving `Cookie:` header parser (malformed pairs are skipped)."""
    cookies: dict[str, str] = {}
    for pair in header.split(";"):
        name, sep, value = pair.strip().partition("=")
        if sep and name:
            cookies[name] = value.strip('"')
    return cookies


def jwt_subject(authorization: str) -> str | None:
    """The `sub` claim of a bearer JWT, read WITHOUT verifying it: only for bucketing.

    An unverified claim is fine here: a client forging `sub` only chooses its own
    side of a canary, which the override header could do anyway when enabled.
    """
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer":
        return None
    segments = token.strip().split(".")
    if len(segments) != 3:
        return None
    payload = segments[1]
    try:
        claims = orjson.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (binascii.Error, ValueError):
        return None
    if not isinstance(claims, dict):
        return None
    sub = claims.get("sub")
    return str(sub) if isinstance(sub, str | int) and sub != "" else None


def request_key(
    key_config: StickinessKey, headers: dict[str, str], cookies: dict[str, str]
) -> str | None:
    """The stickiness key from the configured source, or None when the request has none."""
    if key_config.source == "jwt_sub":
        value = headers.get(key_config.name.lower())
        return jwt_subject(value) if value else None
    if key_config.source == "header":
        return headers.get(key_config.name.lower()) or None
    return cookies.get(key_config.name) or None


def new_client_id() -> str:
    return secrets.token_urlsafe(16)
