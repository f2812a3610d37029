"""Small HTTP helpers shared by the auth tests."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from fastapi import FastAPI

from cvlens.features.auth.service import create_user

PROBLEM = "application/problem+json"
PASSWORD = "correct horse battery staple"


def unique_email(label: str = "user") -> str:
    return f"{label}-{uuid.uuid4().hex[:8]}@example.com"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def register(
    client: httpx.AsyncClient, email: str, password: str = PASSWORD, **extra: Any
) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/auth/register", json={"email": email, "password": password, **extra}
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def login(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/auth/token", data={"username": email, "password": password}
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def signed_up(client: httpx.AsyncClient, label: str = "user") -> tuple[str, dict[str, Any]]:
    """Register a fresh user and log in: (email, token pair)."""
    email = unique_email(label)
    await register(client, email)
    return email, await login(client, email)


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


async def create_admin(app: FastAPI, email: str, password: str = PASSWORD) -> None:
    """An admin, made the way `cvlens user create --admin` makes one."""
    async with app.state.sessionmaker() as session:
        await create_user(session, app.state.auth.passwords, email, password, role="admin")
        await session.commit()
