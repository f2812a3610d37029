"""Roles and the admin endpoints: list users, disable (tokens stop at once), enable."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from tests.integration.auth.helpers import (
    assert_problem,
    bearer,
    create_admin,
    login,
    signed_up,
    unique_email,
)


async def _admin_headers(app: FastAPI, client: httpx.AsyncClient) -> tuple[dict[str, str], str]:
    email = unique_email("admin")
    await create_admin(app, email)
    pair = await login(client, email)
    me = (await client.get("/api/v1/users/me", headers=bearer(pair["access_token"]))).json()
    assert me["role"] == "admin"
    return bearer(pair["access_token"]), me["id"]


async def test_non_admin_is_403(client: httpx.AsyncClient) -> None:
    _, pair = await signed_up(client)
    response = await client.get("/api/v1/admin/users", headers=bearer(pair["access_token"]))
    assert_problem(response, 403)


async def test_list_users_paginates(app: FastAPI, client: httpx.AsyncClient) -> None:
    headers, _ = await _admin_headers(app, client)
    for _ in range(3):
        await signed_up(client)
    page = await client.get("/api/v1/admin/users", params={"limit": 2}, headers=headers)
    assert page.status_code == 200, page.text
    body = page.json()
    assert body["total"] == 4 and len(body["items"]) == 2
    rest = await client.get(
        "/api/v1/admin/users", params={"limit": 2, "offset": 2}, headers=headers
    )
    ids = {u["id"] for u in body["items"]} | {u["id"] for u in rest.json()["items"]}
    assert len(ids) == 4
    assert_problem(
        await client.get("/api/v1/admin/users", params={"limit": 1000}, headers=headers), 422
    )


async def test_disable_stops_every_token_at_once_and_enable_restores_login(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    headers, _ = await _admin_headers(app, client)
    email, pair = await signed_up(client)
    user_headers = bearer(pair["access_token"])
    user_id = (await client.get("/api/v1/users/me", headers=user_headers)).json()["id"]
    api_token = (
        await client.post("/api/v1/users/me/api-tokens", json={"name": "x"}, headers=user_headers)
    ).json()["token"]

    disabled = await client.post(f"/api/v1/admin/users/{user_id}/disable", headers=headers)
    assert disabled.status_code == 200, disabled.text
    assert disabled.json()["is_active"] is False
    assert_problem(await client.get("/api/v1/users/me", headers=user_headers), 401)
    assert_problem(await client.get("/api/v1/users/me", headers=bearer(api_token)), 401)
    refresh = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]}
    )
    assert_problem(refresh, 401)
    relogin = await client.post(
        "/api/v1/auth/token", data={"username": email, "password": "correct horse battery staple"}
    )
    assert_problem(relogin, 401)

    enabled = await client.post(f"/api/v1/admin/users/{user_id}/enable", headers=headers)
    assert enabled.json()["is_active"] is True
    # Sessions ended by the disable stay ended; a new log-in works.
    assert_problem(await client.get("/api/v1/users/me", headers=user_headers), 401)
    fresh = await login(client, email)
    me = await client.get("/api/v1/users/me", headers=bearer(fresh["access_token"]))
    assert me.status_code == 200


async def test_admin_cannot_disable_self_and_unknown_user_is_404(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    headers, admin_id = await _admin_headers(app, client)
    assert_problem(
        await client.post(f"/api/v1/admin/users/{admin_id}/disable", headers=headers), 409
    )
    unknown = "6f1c1b1e-0000-4000-8000-000000000000"
    assert_problem(
        await client.post(f"/api/v1/admin/users/{unknown}/disable", headers=headers), 404
    )
