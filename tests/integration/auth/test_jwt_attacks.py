"""The JWT attack suite: every forged, stale or misused token is a 401 problem+json.

Each attack starts from the claims of a real access token, so the control case (the same
claims signed properly) must pass: a 401 below is the verifier refusing, not a harness bug.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import FastAPI
from sqlalchemy import update

from cvlens.features.auth.models import User, utcnow
from cvlens.platform.security import SigningKey
from tests.integration.auth.helpers import assert_problem, bearer, signed_up

Forge = Callable[[FastAPI, dict[str, Any]], str]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unsigned(header: dict[str, Any], claims: dict[str, Any]) -> str:
    return f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"


def _key(app: FastAPI) -> SigningKey:
    key: SigningKey = app.state.auth.issuer.key
    return key


def _signed(app: FastAPI, claims: dict[str, Any]) -> str:
    key = _key(app)
    return jwt.encode(claims, key.private_key, algorithm="EdDSA", headers={"kid": key.kid})


def _alg_none(app: FastAPI, claims: dict[str, Any]) -> str:
    return _unsigned({"alg": "none", "typ": "JWT", "kid": _key(app).kid}, claims) + "."


def _hs256_with_public_key(app: FastAPI, claims: dict[str, Any]) -> str:
    public_pem = (
        _key(app)
        .private_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    signing_input = _unsigned({"alg": "HS256", "typ": "JWT", "kid": _key(app).kid}, claims)
    signature = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


def _expired(app: FastAPI, claims: dict[str, Any]) -> str:
    now = int(time.time())
    return _signed(app, claims | {"iat": now - 7200, "exp": now - 3600})


def _not_yet_valid(app: FastAPI, claims: dict[str, Any]) -> str:
    return _signed(app, claims | {"nbf": int(time.time()) + 3600})


def _wrong_issuer(app: FastAPI, claims: dict[str, Any]) -> str:
    return _signed(app, claims | {"iss": "https://evil.example"})


def _wrong_audience(app: FastAPI, claims: dict[str, Any]) -> str:
    return _signed(app, claims | {"aud": "some-other-api"})


def _tampered_payload(app: FastAPI, claims: dict[str, Any]) -> str:
    header, _, signature = _signed(app, claims).split(".")
    forged = _b64(json.dumps(claims | {"sub": "00000000-0000-4000-8000-000000000000"}).encode())
    return f"{header}.{forged}.{signature}"


def _unknown_kid(app: FastAPI, claims: dict[str, Any]) -> str:
    stranger = SigningKey.from_private_key(Ed25519PrivateKey.generate())
    return jwt.encode(
        claims, stranger.private_key, algorithm="EdDSA", headers={"kid": stranger.kid}
    )


def _missing_typ(app: FastAPI, claims: dict[str, Any]) -> str:
    return _signed(app, {k: v for k, v in claims.items() if k != "typ"})


def _signature_stripped(app: FastAPI, claims: dict[str, Any]) -> str:
    return _signed(app, claims).rsplit(".", 1)[0] + "."


ATTACKS: dict[str, Forge] = {
    "alg-none": _alg_none,
    "hs256-signed-with-public-key": _hs256_with_public_key,
    "expired": _expired,
    "nbf-in-future": _not_yet_valid,
    "wrong-iss": _wrong_issuer,
    "wrong-aud": _wrong_audience,
    "tampered-payload": _tampered_payload,
    "unknown-kid": _unknown_kid,
    "missing-typ": _missing_typ,
    "signature-stripped": _signature_stripped,
}


async def _real_claims(client: httpx.AsyncClient) -> tuple[dict[str, Any], dict[str, Any]]:
    _, pair = await signed_up(client)
    claims = jwt.decode(pair["access_token"], options={"verify_signature": False})
    return pair, claims


async def test_control_properly_signed_claims_are_accepted(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    _, claims = await _real_claims(client)
    response = await client.get("/api/v1/users/me", headers=bearer(_signed(app, claims)))
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("attack", ATTACKS)
async def test_attack_is_401(app: FastAPI, client: httpx.AsyncClient, attack: str) -> None:
    _, claims = await _real_claims(client)
    token = ATTACKS[attack](app, claims)
    response = await client.get("/api/v1/users/me", headers=bearer(token))
    body = assert_problem(response, 401)
    assert body["type"].endswith("/unauthorized")
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'


async def test_token_of_a_disabled_user_is_401_at_once(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    pair, claims = await _real_claims(client)
    headers = bearer(pair["access_token"])
    assert (await client.get("/api/v1/users/me", headers=headers)).status_code == 200
    async with app.state.sessionmaker() as session:
        await session.execute(
            update(User).where(User.id == uuid.UUID(claims["sub"])).values(disabled_at=utcnow())
        )
        await session.commit()
    body = assert_problem(await client.get("/api/v1/users/me", headers=headers), 401)
    assert body["detail"] == "account is disabled"


async def test_refresh_token_used_as_access_token_is_401(client: httpx.AsyncClient) -> None:
    pair, _ = await _real_claims(client)
    response = await client.get("/api/v1/users/me", headers=bearer(pair["refresh_token"]))
    body = assert_problem(response, 401)
    assert "refresh token cannot be used as access" in body["detail"]


async def test_garbage_bearer_is_401(client: httpx.AsyncClient) -> None:
    for token in ("abc", "a.b.c", "cvl_nope", "..", "eyJhbGciOiJub25lIn0.e30."):
        response = await client.get("/api/v1/users/me", headers=bearer(token))
        assert_problem(response, 401)
    utf8 = {"Authorization": "Bearer é.é.é".encode()}
    assert_problem(await client.get("/api/v1/users/me", headers=utf8), 401)
