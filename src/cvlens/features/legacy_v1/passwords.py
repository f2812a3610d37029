"""Werkzeug's `pbkdf2:<hash>:<iterations>$<salt>$<hex>` hashes, checked with hashlib only."""

from __future__ import annotations

import hashlib
import hmac

SUPPORTED_DIGESTS = frozenset({"sha256", "sha512", "sha1"})


def check_pbkdf2_hash(stored: str, password: str) -> bool:
    """True when `password` matches a Werkzeug pbkdf2 hash; False for any other format."""
    method, sep, rest = stored.partition("$")
    salt, sep2, expected = rest.partition("$")
    if not sep or not sep2:
        return False
    parts = method.split(":")
    if parts[0] != "pbkdf2" or len(parts) not in (2, 3) or parts[1] not in SUPPORTED_DIGESTS:
        return False
    try:
        iterations = int(parts[2]) if len(parts) == 3 else 600_000
    except ValueError:
        return False
    if not 1 <= iterations <= 10_000_000:
        return False
    actual = hashlib.pbkdf2_hmac(
        parts[1], password.encode("utf-8"), salt.encode("utf-8"), iterations
    ).hex()
    return hmac.compare_digest(actual, expected)


def is_pbkdf2_hash(stored: str) -> bool:
    return stored.startswith("pbkdf2:")
