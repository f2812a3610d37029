"""Personal API tokens: shown once, listed by prefix, usable as Bearer, revocable, private."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from cvlens.features.auth.models import ApiToken
from tests.integration.auth.helpers import assert_problem, bearer, signed_up

TOKENS = "/api/v1/users/me/api-tokens"


async def test_create_list_use_revoke(app: FastAPI, client: httpx.AsyncClient) -> None:
    email, pair = await signed_up(client)
    headers = bearer(pair["access_token"])
    created = await client.post(TOKENS, json={"name": "ci script"}, headers=headers)
    assert created.status_code == 201, created.text
    body = created.json()
    token = body["token"]
    assert token.startswith("cvl_") and len(token) > 40
    assert body["prefix"] == token[:12]

    listed = await client.get(TOKENS, headers=headers)
    assert listed.status_code == 200
    assert listed.json() == [{k: body[k] for k in ("id", "name", "prefix", "created_at")}]
    assert token not in listed.text
    async with app.state.sessionmaker() as session:
        stored = (await session.scalars(select(ApiToken))).one()
    assert stored.token_hash != token and token not in stored.token_hash

    me = await client.get("/api/v1/users/me", headers=bearer(token))
    assert me.status_code == 200, me.text
    assert me.json()["email"] == email

    revoked = await client.delete(f"{TOKENS}/{body['id']}", headers=headers)
    assert revoked.status_code == 204
    assert_problem(await client.get("/api/v1/users/me", headers=bearer(token)), 401)
    assert (await client.get(TOKENS, headers=headers)).json() == []


async def test_another_users_token_is_404_and_survives(client: httpx.AsyncClient) -> None:
    _, alice = await signed_up(client, "alice")
    _, mallory = await signed_up(client, "mallory")
    created = (
        await client.post(TOKENS, json={"name": "alice's"}, headers=bearer(alice["access_token"]))
    ).json()
    stolen = await client.delete(
        f"{TOKENS}/{created['id']}", headers=bearer(mallory["access_token"])
    )
    body = assert_problem(stolen, 404)
    assert body["detail"] == "API token not found"
    assert (await client.get(TOKENS, headers=bearer(mallory["access_token"]))).json() == []
    still = await client.get("/api/v1/users/me", headers=bearer(created["token"]))
    assert still.status_code == 200


async def test_unknown_and_malformed_ids(client: httpx.AsyncClient) -> None:
    _, pair = await signed_up(client)
    headers = bearer(pair["access_token"])
    missing = await client.delete(f"{TOKENS}/6f1c1b1e-0000-4000-8000-000000000000", headers=headers)
    assert_problem(missing, 404)
    assert_problem(await client.delete(f"{TOKENS}/not-a-uuid", headers=headers), 422)
    assert_problem(await client.post(TOKENS, json={"name": ""}, headers=headers), 422)
