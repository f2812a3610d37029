"""Keys, own tokens and password hashing, without a server."""

from __future__ import annotations

import os
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Literal

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pydantic import ValidationError

from cvlens.platform.security import (
    VERIFIED_TOKENS_KEPT,
    InvalidTokenError,
    PasswordHasher,
    SigningKey,
    TokenIssuer,
    jwk_thumbprint,
    load_or_create_key_file,
    load_signing_key,
)
from cvlens.settings import Settings

# RFC 7638 §3.1: the example RSA key and its thumbprint.
RFC7638_JWK = {
    "kty": "RSA",
    "n": (
        "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJ"
        "ECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FD"
        "W2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4v"
        "MQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
    ),
    "e": "AQAB",
    "alg": "RS256",
    "kid": "2011-04-29",
}


def test_thumbprint_matches_rfc7638_example() -> None:
    assert jwk_thumbprint(RFC7638_JWK) == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"


def test_signing_key_publishes_its_thumbprint_as_kid() -> None:
    key = SigningKey.from_private_key(Ed25519PrivateKey.generate())
    (jwk,) = key.jwks()["keys"]
    assert jwk["kid"] == key.kid == jwk_thumbprint(jwk)
    assert jwk["alg"] == "EdDSA" and jwk["crv"] == "Ed25519" and "d" not in jwk


def test_key_file_is_created_once_with_mode_0600_even_when_racing(tmp_path: Path) -> None:
    path = tmp_path / "var" / "jwt-ed25519.pem"
    with ThreadPoolExecutor(max_workers=8) as pool:
        kids = set(pool.map(lambda _: load_or_create_key_file(path).kid, range(16)))
    assert len(kids) == 1
    assert path.stat().st_mode & 0o777 == 0o600
    assert load_or_create_key_file(path).kid in kids
    assert [p.name for p in path.parent.iterdir()] == ["jwt-ed25519.pem"]


def test_key_file_readable_by_others_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "jwt-ed25519.pem"
    load_or_create_key_file(path)
    os.chmod(path, 0o644)
    with pytest.raises(PermissionError, match="chmod 600"):
        load_or_create_key_file(path)


def test_pem_from_settings_wins_and_must_be_ed25519(tmp_path: Path) -> None:
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    key = load_signing_key(pem, tmp_path)
    assert key.kid == SigningKey.from_private_key(private).kid
    assert not (tmp_path / "jwt-ed25519.pem").exists()
    rsa_pem = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )
    with pytest.raises(ValueError, match="Ed25519"):
        load_signing_key(rsa_pem, tmp_path)


def _issuer() -> TokenIssuer:
    key = SigningKey.from_private_key(Ed25519PrivateKey.generate())
    return TokenIssuer(key, timedelta(minutes=15), timedelta(days=30))


def test_access_and_refresh_tokens_are_not_interchangeable() -> None:
    issuer = _issuer()
    sid = uuid.uuid4()
    access = issuer.issue("user-1", "access", sid)
    refresh = issuer.issue("user-1", "refresh", sid)
    claims = issuer.verify(access.token, "access")
    assert (claims.subject, claims.session_id, claims.token_id) == ("user-1", sid, access.token_id)
    assert issuer.verify(refresh.token, "refresh").type == "refresh"
    with pytest.raises(InvalidTokenError, match="refresh token cannot be used as access"):
        issuer.verify(refresh.token, "access")
    with pytest.raises(InvalidTokenError, match="access token cannot be used as refresh"):
        issuer.verify(access.token, "refresh")


def test_another_issuers_token_is_refused_even_with_our_kid() -> None:
    ours, theirs = _issuer(), _issuer()
    token = theirs.issue("user-1", "access", uuid.uuid4()).token
    assert not ours.owns(token)
    with pytest.raises(InvalidTokenError):
        ours.verify(token, "access")


async def test_password_hash_and_verify() -> None:
    hasher = PasswordHasher("low")
    hashed = await hasher.hash("correct horse battery staple")
    assert hashed.startswith("$argon2id$") and "correct" not in hashed
    assert (await hasher.verify("correct horse battery staple", hashed))[0] is True
    assert (await hasher.verify("wrong horse battery staple", hashed))[0] is False
    # No stored hash (unknown email): the dummy hash is verified, and nothing matches.
    assert await hasher.verify("correct horse battery staple", None) == (False, None)


@pytest.mark.parametrize("cost", ["recommended", "low"])
def test_dummy_hash_costs_what_a_real_hash_costs(cost: Literal["recommended", "low"]) -> None:
    hasher = PasswordHasher(cost)
    assert not hasher.argon2.check_needs_rehash(hasher.dummy_hash)


async def test_weaker_stored_hash_is_upgraded_on_login() -> None:
    old = await PasswordHasher("low").hash("correct horse battery staple")
    matches, upgraded = await PasswordHasher("recommended").verify(
        "correct horse battery staple", old
    )
    assert matches and upgraded is not None and upgraded != old
    assert "m=65536" in upgraded


def test_low_password_cost_is_refused_in_prod() -> None:
    with pytest.raises(ValidationError, match="refused in prod"):
        Settings(env="prod", secret_key="x" * 40, password_hash_cost="low")
    with pytest.raises(ValidationError, match="rate limit"):
        Settings(rate_limit_token="often")
    with pytest.raises(ValidationError, match="needs CVLENS_AUTH_ISSUER"):
        Settings(auth_jwks_url="https://idp.example/jwks.json")


def _access_issuer(ttl: timedelta) -> TokenIssuer:
    key = SigningKey.from_private_key(Ed25519PrivateKey.generate())
    return TokenIssuer(key, access_ttl=ttl, refresh_ttl=timedelta(days=1))


def test_an_access_token_verified_before_still_expires() -> None:
    # exp lies 29 s in the past: still inside the 30 s leeway for about one more second.
    issuer = _access_issuer(timedelta(seconds=-29))
    token = issuer.issue(str(uuid.uuid4()), "access", uuid.uuid4()).token
    assert issuer.verify(token, "access").expires_at
    assert issuer.verify(token, "access")  # the remembered verification
    time.sleep(1.2)
    with pytest.raises(InvalidTokenError, match="expired"):
        issuer.verify(token, "access")
    with pytest.raises(InvalidTokenError, match="expired"):
        issuer.verify(token, "access")  # and it is not remembered as valid again


def test_a_remembered_token_does_not_vouch_for_altered_copies_or_other_uses() -> None:
    issuer = _access_issuer(timedelta(minutes=5))
    token = issuer.issue(str(uuid.uuid4()), "access", uuid.uuid4()).token
    claims = issuer.verify(token, "access")
    header, payload, signature = token.split(".")
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    with pytest.raises(InvalidTokenError):
        issuer.verify(f"{header}.{payload}.{flipped}", "access")
    with pytest.raises(InvalidTokenError, match="cannot be used as refresh"):
        issuer.verify(token, "refresh")
    other = _access_issuer(timedelta(minutes=5))  # another key: nothing is shared
    assert not other.owns(token)
    with pytest.raises(InvalidTokenError):
        other.verify(token, "access")
    assert issuer.verify(token, "access") == claims


def test_remembered_verifications_are_bounded() -> None:
    issuer = _access_issuer(timedelta(minutes=5))
    tokens = [
        issuer.issue(str(uuid.uuid4()), "access", uuid.uuid4()).token
        for _ in range(VERIFIED_TOKENS_KEPT + 10)
    ]
    for token in tokens:
        issuer.verify(token, "access")
    assert len(issuer._verified) == VERIFIED_TOKENS_KEPT
    assert tokens[0] not in issuer._verified and tokens[-1] in issuer._verified
    assert issuer.verify(tokens[0], "access").subject  # verified afresh, not refused
