"""Refresh-token rotation, reuse detection and logout."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from cvlens.features.auth.models import AuthSession, RefreshToken
from tests.integration.auth.helpers import assert_problem, bearer, login, signed_up


async def _refresh(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post("/api/v1/auth/refresh", json={"refresh_token": token})


async def test_refresh_rotates_and_tokens_are_stored_hashed(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    _, first = await signed_up(client)
    response = await _refresh(client, first["refresh_token"])
    assert response.status_code == 200, response.text
    second = response.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    me = await client.get("/api/v1/users/me", headers=bearer(second["access_token"]))
    assert me.status_code == 200
    async with app.state.sessionmaker() as session:
        rows = list(await session.scalars(select(RefreshToken)))
    assert len(rows) == 2
    stored = {row.token_hash for row in rows}
    assert first["refresh_token"] not in stored and second["refresh_token"] not in stored
    assert all(len(h) == 64 for h in stored)
    assert sum(row.rotated_at is not None for row in rows) == 1


async def test_reusing_a_rotated_refresh_token_revokes_the_family(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    _, first = await signed_up(client)
    second = (await _refresh(client, first["refresh_token"])).json()
    reuse = await _refresh(client, first["refresh_token"])
    body = assert_problem(reuse, 401)
    assert "already used" in body["detail"]
    # The whole family is dead: the newest refresh token and the access tokens too.
    assert_problem(await _refresh(client, second["refresh_token"]), 401)
    for pair in (first, second):
        me = await client.get("/api/v1/users/me", headers=bearer(pair["access_token"]))
        assert_problem(me, 401)
    async with app.state.sessionmaker() as session:
        sessions = list(await session.scalars(select(AuthSession)))
    assert [s.revoked_reason for s in sessions] == ["refresh-reuse"]


async def test_other_sessions_survive_a_reuse_in_one_family(client: httpx.AsyncClient) -> None:
    _, laptop = await signed_up(client)
    _, phone = await signed_up(client)
    await _refresh(client, laptop["refresh_token"])
    await _refresh(client, laptop["refresh_token"])
    me = await client.get("/api/v1/users/me", headers=bearer(phone["access_token"]))
    assert me.status_code == 200


async def test_logout_with_refresh_token_ends_the_session(client: httpx.AsyncClient) -> None:
    _, pair = await signed_up(client)
    response = await client.post(
        "/api/v1/auth/logout", json={"refresh_token": pair["refresh_token"]}
    )
    assert response.status_code == 204, response.text
    assert_problem(await _refresh(client, pair["refresh_token"]), 401)
    me = await client.get("/api/v1/users/me", headers=bearer(pair["access_token"]))
    assert_problem(me, 401)


async def test_logout_with_access_token_only_ends_that_session(client: httpx.AsyncClient) -> None:
    email, pair = await signed_up(client)
    other = await login(client, email)
    response = await client.post("/api/v1/auth/logout", headers=bearer(pair["access_token"]))
    assert response.status_code == 204, response.text
    assert_problem(await client.get("/api/v1/users/me", headers=bearer(pair["access_token"])), 401)
    still = await client.get("/api/v1/users/me", headers=bearer(other["access_token"]))
    assert still.status_code == 200


async def test_logout_without_any_token_is_401(client: httpx.AsyncClient) -> None:
    assert_problem(await client.post("/api/v1/auth/logout"), 401)


async def test_garbage_refresh_token_is_401(client: httpx.AsyncClient) -> None:
    assert_problem(await _refresh(client, "not-a-token"), 401)
    _, pair = await signed_up(client)
    # An access token is not a refresh token.
    assert_problem(await _refresh(client, pair["access_token"]), 401)
