"""The whole account flow over real TCP: uvicorn on a loopback port, driven by httpx."""

from __future__ import annotations

import httpx
import jwt

from cvlens.app import create_app
from cvlens.platform.db import create_engine
from cvlens.settings import Settings
from tests.conftest import empty_tables
from tests.integration.auth.helpers import PASSWORD, assert_problem, bearer, unique_email
from tests.live_server import live_server


async def _empty_tables(settings: Settings) -> None:
    engine = create_engine(settings)
    await empty_tables(engine)
    await engine.dispose()


async def test_register_token_me_refresh_logout_over_tcp(settings: Settings) -> None:
    app = create_app(settings)
    try:
        with live_server(app) as base_url:
            async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
                await _flow(client)
    finally:
        await _empty_tables(settings)


async def _flow(client: httpx.AsyncClient) -> None:
    email = unique_email("tcp")
    registered = await client.post(
        "/api/v1/auth/register", json={"email": email, "password": PASSWORD, "name": "T"}
    )
    assert registered.status_code == 201, registered.text
    form = {"username": email, "password": PASSWORD}
    pair = (await client.post("/api/v1/auth/token", data=form)).json()

    jwks = (await client.get("/.well-known/jwks.json")).json()
    header = jwt.get_unverified_header(pair["access_token"])
    assert header["alg"] == "EdDSA"
    assert [k["kid"] for k in jwks["keys"]] == [header["kid"]]
    public_key = jwt.PyJWK(jwks["keys"][0]).key
    claims = jwt.decode(pair["access_token"], public_key, algorithms=["EdDSA"], audience="cvlens")
    assert claims["typ"] == "access" and claims["exp"] - claims["iat"] == 900

    me = await client.get("/api/v1/users/me", headers=bearer(pair["access_token"]))
    assert me.status_code == 200 and me.json()["email"] == email
    assert me.json()["id"] == claims["sub"]

    rotated = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]}
    )
    assert rotated.status_code == 200, rotated.text
    new_pair = rotated.json()
    out = await client.post(
        "/api/v1/auth/logout", json={"refresh_token": new_pair["refresh_token"]}
    )
    assert out.status_code == 204
    assert_problem(
        await client.get("/api/v1/users/me", headers=bearer(new_pair["access_token"])), 401
    )
    again = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": new_pair["refresh_token"]}
    )
    assert_problem(again, 401)


async def test_docs_authorize_points_at_the_token_endpoint(settings: Settings) -> None:
    app = create_app(settings)
    with live_server(app) as base_url:
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
            schema = (await client.get("/openapi.json")).json()
            docs = await client.get("/docs")
    schemes = schema["components"]["securitySchemes"]
    assert schemes["OAuth2PasswordBearer"]["flows"]["password"]["tokenUrl"] == "/api/v1/auth/token"
    assert schemes["HTTPBearer"]["scheme"] == "bearer"
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
    token_form = schema["paths"]["/api/v1/auth/token"]["post"]["requestBody"]["content"]
    assert "application/x-www-form-urlencoded" in token_form
