"""Users and files for the upload → analysis tests."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from cvlens.settings import Settings
from tests.conftest import Database, make_settings

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
RESUMES = FIXTURES / "resumes"
BAD = FIXTURES / "bad"
PASSWORD = "violet-harbor-lantern-42"
UPLOAD_LIMIT = 256 * 1024


@pytest.fixture
def settings(database: Database, tmp_path: Path) -> Settings:
    return make_settings(database, tmp_path, max_upload_bytes=UPLOAD_LIMIT)


async def sign_up(client: httpx.AsyncClient, email: str | None = None) -> dict[str, str]:
    """Register a fresh user and return its bearer header."""
    email = email or f"user-{uuid.uuid4().hex[:10]}@example.com"
    registered = await client.post(
        "/api/v1/auth/register", json={"email": email, "password": PASSWORD}
    )
    assert registered.status_code == 201, registered.text
    token = await client.post("/api/v1/auth/token", data={"username": email, "password": PASSWORD})
    assert token.status_code == 200, token.text
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


@pytest.fixture
async def alice(client: httpx.AsyncClient) -> dict[str, str]:
    return await sign_up(client)


@pytest.fixture
async def bob(client: httpx.AsyncClient) -> dict[str, str]:
    return await sign_up(client)


async def upload(
    client: httpx.AsyncClient, headers: dict[str, str], path: Path, name: str | None = None
) -> httpx.Response:
    files = {"file": (name or path.name, path.read_bytes(), "application/octet-stream")}
    return await client.post("/api/v1/resumes", files=files, headers=headers)


async def upload_bytes(
    client: httpx.AsyncClient, headers: dict[str, str], data: bytes, name: str
) -> httpx.Response:
    files = {"file": (name, data, "application/octet-stream")}
    return await client.post("/api/v1/resumes", files=files, headers=headers)


async def wait_for_analysis(
    client: httpx.AsyncClient, headers: dict[str, str], analysis_id: str, seconds: float = 60
) -> dict[str, Any]:
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        response = await client.get(f"/api/v1/analyses/{analysis_id}", headers=headers)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        if body["status"] in ("succeeded", "failed"):
            return body
        assert asyncio.get_running_loop().time() < deadline, f"analysis stuck: {body}"
        await asyncio.sleep(0.05)
