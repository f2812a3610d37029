"""Register, log in, /users/me and password changes, over SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from tests.integration.auth.helpers import (
    PASSWORD,
    assert_problem,
    bearer,
    login,
    register,
    signed_up,
    unique_email,
)


async def test_register_normalises_email_and_hides_the_hash(client: httpx.AsyncClient) -> None:
    email = unique_email("Mixed")
    body = await register(client, "  " + email.upper() + " ", name="Ada Lovelace")
    assert body["email"] == email.lower()
    assert body["name"] == "Ada Lovelace"
    assert body["role"] == "user"
    assert body["is_active"] is True
    assert body["created_at"].endswith(("Z", "+00:00"))
    assert "password" not in str(body) and "hash" not in str(body)


async def test_duplicate_email_is_409_whatever_the_case(client: httpx.AsyncClient) -> None:
    email = unique_email()
    await register(client, email)
    response = await client.post(
        "/api/v1/auth/register", json={"email": email.upper(), "password": PASSWORD}
    )
    body = assert_problem(response, 409)
    assert body["type"].endswith("/email-taken")


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short1!", "at least 10 characters"),
        ("qwertyuiop", "most common"),
        ("Password123", "most common"),
    ],
)
async def test_weak_or_common_password_is_422(
    client: httpx.AsyncClient, password: str, reason: str
) -> None:
    response = await client.post(
        "/api/v1/auth/register", json={"email": unique_email(), "password": password}
    )
    body = assert_problem(response, 422)
    assert body["errors"][0]["name"] == "password"
    assert reason in body["errors"][0]["reason"]


async def test_invalid_email_is_422_naming_the_field(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/auth/register", json={"email": "not-an-email", "password": PASSWORD}
    )
    body = assert_problem(response, 422)
    assert [e["name"] for e in body["errors"]] == ["email"]


async def test_login_then_me(client: httpx.AsyncClient) -> None:
    email, pair = await signed_up(client)
    assert pair["token_type"] == "bearer"
    assert pair["expires_in"] == 900
    me = await client.get("/api/v1/users/me", headers=bearer(pair["access_token"]))
    assert me.status_code == 200, me.text
    assert me.json()["email"] == email


@pytest.mark.parametrize("case", ["wrong-password", "unknown-email"])
async def test_bad_credentials_are_one_generic_401(client: httpx.AsyncClient, case: str) -> None:
    email = unique_email()
    await register(client, email)
    username = email if case == "wrong-password" else unique_email("nobody")
    response = await client.post(
        "/api/v1/auth/token", data={"username": username, "password": "wrong password!"}
    )
    body = assert_problem(response, 401)
    assert body["detail"] == "incorrect email or password"
    assert response.headers["www-authenticate"] == "Bearer"


async def test_me_without_token_is_401(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/users/me")
    assert_problem(response, 401)
    assert response.headers["www-authenticate"] == "Bearer"


async def test_patch_name(client: httpx.AsyncClient) -> None:
    _, pair = await signed_up(client)
    response = await client.patch(
        "/api/v1/users/me", json={"name": "Grace"}, headers=bearer(pair["access_token"])
    )
    assert response.status_code == 200, response.text
    assert response.json()["name"] == "Grace"
    me = await client.get("/api/v1/users/me", headers=bearer(pair["access_token"]))
    assert me.json()["name"] == "Grace"


async def test_password_change_requires_the_current_password(client: httpx.AsyncClient) -> None:
    email, pair = await signed_up(client)
    headers = bearer(pair["access_token"])
    new = "a much better passphrase 42"
    missing = await client.patch("/api/v1/users/me", json={"password": new}, headers=headers)
    assert assert_problem(missing, 422)["errors"][0]["name"] == "current_password"
    wrong = await client.patch(
        "/api/v1/users/me",
        json={"password": new, "current_password": "not my password"},
        headers=headers,
    )
    assert assert_problem(wrong, 422)["errors"][0]["name"] == "current_password"
    weak = await client.patch(
        "/api/v1/users/me",
        json={"password": "qwertyuiop", "current_password": PASSWORD},
        headers=headers,
    )
    assert assert_problem(weak, 422)["errors"][0]["name"] == "password"
    # The old password still works: nothing was half-changed by the refused attempts.
    other_session = await login(client, email)
    changed = await client.patch(
        "/api/v1/users/me", json={"password": new, "current_password": PASSWORD}, headers=headers
    )
    assert changed.status_code == 200, changed.text
    old = await client.post("/api/v1/auth/token", data={"username": email, "password": PASSWORD})
    assert_problem(old, 401)
    await login(client, email, new)
    # The session that changed the password lives on; every other one has ended.
    assert (await client.get("/api/v1/users/me", headers=headers)).status_code == 200
    ended = await client.get("/api/v1/users/me", headers=bearer(other_session["access_token"]))
    assert_problem(ended, 401)


async def test_unknown_fields_in_patch_are_422(client: httpx.AsyncClient) -> None:
    _, pair = await signed_up(client)
    response = await client.patch(
        "/api/v1/users/me", json={"role": "admin"}, headers=bearer(pair["access_token"])
    )
    assert_problem(response, 422)
    me = await client.get("/api/v1/users/me", headers=bearer(pair["access_token"]))
    assert me.json()["role"] == "user"


async def test_concurrent_registrations_of_one_email_give_201_and_409(
    client: httpx.AsyncClient,
) -> None:
    email = unique_email("race")
    payload = {"email": email, "password": PASSWORD}
    responses = await asyncio.gather(
        *(client.post("/api/v1/auth/register", json=payload) for _ in range(4))
    )
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201, 409, 409, 409], [r.text for r in responses]
    await login(client, email)
