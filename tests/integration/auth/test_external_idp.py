"""An external IdP (Clerk/Supabase-style) served for real on a loopback port.

The IdP here is a tiny Starlette app publishing a JWKS; tokens are RS256, signed with its
private keys. Proves: tokens accepted, user created on first sight, key rotation picked
up, unknown-kid floods do not hammer the IdP, and own tokens keep working alongside.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI
from sqlalchemy import select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from cvlens.app import create_app
from cvlens.features.auth.models import User
from cvlens.platform.security import ExternalVerifier, InvalidTokenError
from cvlens.settings import Settings
from tests.conftest import Database, make_settings
from tests.integration.auth.helpers import assert_problem, bearer, register, signed_up
from tests.live_server import live_server

ISSUER = "https://idp.example.test"
AUDIENCE = "cvlens-test"


@dataclass
class FakeIdentityProvider:
    """Holds signing keys; its JWKS endpoint publishes the public halves of `published`."""

    keys: dict[str, rsa.RSAPrivateKey] = field(default_factory=dict)
    published: list[str] = field(default_factory=list)
    jwks_requests: int = 0

    def add_key(self, kid: str) -> None:
        self.keys[kid] = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def jwks(self) -> dict[str, Any]:
        entries = []
        for kid in self.published:
            jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self.keys[kid].public_key(), as_dict=True)
            entries.append(jwk | {"kid": kid, "alg": "RS256", "use": "sig"})
        return {"keys": entries}

    def token(self, kid: str, sub: str, *, header_kid: str | None = None, **claims: Any) -> str:
        """A token signed with key `kid`, announcing `header_kid` (default: `kid`)."""
        now = int(time.time())
        body = {"iss": ISSUER, "aud": AUDIENCE, "sub": sub, "iat": now, "exp": now + 300}
        body |= claims
        return jwt.encode(
            body, self.keys[kid], algorithm="RS256", headers={"kid": header_kid or kid}
        )

    def asgi(self) -> Starlette:
        async def jwks(_request: Request) -> JSONResponse:
            self.jwks_requests += 1
            return JSONResponse(self.jwks())

        return Starlette(routes=[Route("/.well-known/jwks.json", jwks)])


@pytest.fixture(scope="module")
def idp() -> Iterator[tuple[FakeIdentityProvider, str]]:
    provider = FakeIdentityProvider()
    with live_server(provider.asgi()) as base_url:
        yield provider, f"{base_url}/.well-known/jwks.json"


@pytest.fixture
def idp_settings(
    database: Database, tmp_path: Path, idp: tuple[FakeIdentityProvider, str]
) -> Settings:
    return make_settings(
        database,
        tmp_path,
        password_hash_cost="low",
        auth_jwks_url=idp[1],
        auth_issuer=ISSUER,
        auth_audience=AUDIENCE,
        auth_jwks_min_refetch_seconds=0,
    )


@pytest.fixture
async def idp_client(idp_settings: Settings) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    app = create_app(idp_settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            yield app, client
        async with app.state.engine.begin() as conn:
            for table in reversed(User.metadata.sorted_tables):
                await conn.execute(table.delete())


async def test_idp_token_is_accepted_and_creates_the_user_once(
    idp: tuple[FakeIdentityProvider, str], idp_client: tuple[FastAPI, httpx.AsyncClient]
) -> None:
    provider, _ = idp
    app, client = idp_client
    kid = f"k-{uuid.uuid4().hex[:6]}"
    provider.add_key(kid)
    provider.published = [kid]
    sub = f"user_{uuid.uuid4().hex[:10]}"
    token = provider.token(kid, sub, email="Ada@Example.com", name="Ada")
    first = await client.get("/api/v1/users/me", headers=bearer(token))
    assert first.status_code == 200, first.text
    assert first.json()["email"] == "ada@example.com"
    assert first.json()["name"] == "Ada"
    second = await client.get("/api/v1/users/me", headers=bearer(token))
    assert second.json()["id"] == first.json()["id"]
    async with app.state.sessionmaker() as session:
        users = list(await session.scalars(select(User)))
    assert [(u.external_issuer, u.external_subject, u.password_hash) for u in users] == [
        (ISSUER, sub, None)
    ]


async def test_key_rotation_is_picked_up(
    idp: tuple[FakeIdentityProvider, str], idp_client: tuple[FastAPI, httpx.AsyncClient]
) -> None:
    provider, _ = idp
    _, client = idp_client
    old, new = f"old-{uuid.uuid4().hex[:6]}", f"new-{uuid.uuid4().hex[:6]}"
    provider.add_key(old)
    provider.add_key(new)
    provider.published = [old]
    sub = f"user_{uuid.uuid4().hex[:10]}"
    before = await client.get("/api/v1/users/me", headers=bearer(provider.token(old, sub)))
    assert before.status_code == 200, before.text
    provider.published = [new]  # the IdP rotates: the old key is withdrawn
    after = await client.get("/api/v1/users/me", headers=bearer(provider.token(new, sub)))
    assert after.status_code == 200, after.text
    assert after.json()["id"] == before.json()["id"]
    withdrawn = await client.get("/api/v1/users/me", headers=bearer(provider.token(old, sub)))
    assert_problem(withdrawn, 401)


@pytest.mark.parametrize(
    "overrides",
    [
        {"iss": "https://evil.example"},
        {"aud": "another-app"},
        {"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200},
        {"nbf": int(time.time()) + 3600},
    ],
    ids=["wrong-iss", "wrong-aud", "expired", "nbf-in-future"],
)
async def test_bad_idp_tokens_are_401(
    idp: tuple[FakeIdentityProvider, str],
    idp_client: tuple[FastAPI, httpx.AsyncClient],
    overrides: dict[str, Any],
) -> None:
    provider, _ = idp
    _, client = idp_client
    kid = f"k-{uuid.uuid4().hex[:6]}"
    provider.add_key(kid)
    provider.published = [kid]
    token = provider.token(kid, "someone", **overrides)
    assert_problem(await client.get("/api/v1/users/me", headers=bearer(token)), 401)


async def test_own_tokens_work_alongside_and_emails_are_never_linked(
    idp: tuple[FakeIdentityProvider, str], idp_client: tuple[FastAPI, httpx.AsyncClient]
) -> None:
    provider, _ = idp
    _, client = idp_client
    email, pair = await signed_up(client, "local")
    own = await client.get("/api/v1/users/me", headers=bearer(pair["access_token"]))
    assert own.status_code == 200
    kid = f"k-{uuid.uuid4().hex[:6]}"
    provider.add_key(kid)
    provider.published = [kid]
    # An IdP identity claiming the local user's email gets its own account, without it.
    token = provider.token(kid, f"user_{uuid.uuid4().hex[:8]}", email=email)
    external = await client.get("/api/v1/users/me", headers=bearer(token))
    assert external.status_code == 200, external.text
    assert external.json()["id"] != own.json()["id"]
    assert external.json()["email"] is None


async def test_unknown_kid_flood_fetches_the_jwks_at_most_once_per_interval(
    idp: tuple[FakeIdentityProvider, str],
) -> None:
    provider, url = idp
    kid = f"k-{uuid.uuid4().hex[:6]}"
    provider.add_key(kid)
    provider.published = [kid]
    now = [1000.0]
    verifier = ExternalVerifier(url, ISSUER, AUDIENCE, min_refetch_seconds=60, clock=lambda: now[0])
    try:
        identity = await verifier.verify(provider.token(kid, "alice"))
        assert identity.subject == "alice"
        forger = FakeIdentityProvider()
        forger.add_key("forged")
        for i in range(50):
            forged = forger.token("forged", "mallory", header_kid=f"forged-{i}")
            with pytest.raises(InvalidTokenError, match="unknown key"):
                await verifier.verify(forged)
        assert verifier.fetch_count == 1
        now[0] += 61  # after the interval, an unknown kid may trigger one more fetch
        with pytest.raises(InvalidTokenError):
            await verifier.verify(forger.token("forged", "mallory", header_kid="forged-0"))
        assert verifier.fetch_count == 2
    finally:
        await verifier.aclose()


async def test_unreachable_idp_is_503_but_own_tokens_still_work(
    database: Database, tmp_path: Path
) -> None:
    settings = make_settings(
        database,
        tmp_path,
        password_hash_cost="low",
        auth_jwks_url="http://127.0.0.1:1/jwks.json",
        auth_issuer=ISSUER,
    )
    provider = FakeIdentityProvider()
    provider.add_key("k")
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            ready = await client.get("/health/ready")
            assert ready.status_code == 200
            down = await client.get("/api/v1/users/me", headers=bearer(provider.token("k", "x")))
            body = assert_problem(down, 503)
            assert body["type"].endswith("/identity-provider-unavailable")
            email = f"own-{uuid.uuid4().hex[:6]}@example.com"
            await register(client, email)
            form = {"username": email, "password": "correct horse battery staple"}
            pair = (await client.post("/api/v1/auth/token", data=form)).json()
            me = await client.get("/api/v1/users/me", headers=bearer(pair["access_token"]))
            assert me.status_code == 200
        async with app.state.engine.begin() as conn:
            for table in reversed(User.metadata.sorted_tables):
                await conn.execute(table.delete())
