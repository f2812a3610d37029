"""legacy_v1 next to the real legacy Flask app: the same requests go to both."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash

from cvlens.features.auth.models import User
from cvlens.features.legacy_v1.ids import uuid_for
from cvlens.features.legacy_v1.models import LegacyPassword
from cvlens.features.legacy_v1.settings import LegacySettings, legacy_settings
from examples.legacy_flask import create_app as create_legacy_app
from examples.legacy_flask import db as legacy_db

SHARED_SECRET = "walk-shared-legacy-secret"
PASSWORD = "legacy-password"
HASH_METHOD = "pbkdf2:sha256:1000"  # Werkzeug pbkdf2 format, cheap iterations for tests
EMAILS = ("ada@example.com", "grace@example.com")


@dataclass
class Reply:
    status: int
    body: Any


@dataclass
class Both:
    """One legacy Flask test client and one CVLens client, same users on both sides."""

    legacy: FlaskClient
    cvlens: httpx.AsyncClient

    async def call(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        json: Any = None,
        content: bytes | None = None,
        content_type: str | None = None,
        file: tuple[str, bytes] | None = None,
    ) -> tuple[Reply, Reply]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if content_type:
            headers["Content-Type"] = content_type
        legacy_kwargs: dict[str, Any] = {"headers": headers}
        cvlens_kwargs: dict[str, Any] = {"headers": headers}
        if json is not None:
            legacy_kwargs["json"] = json
            cvlens_kwargs["json"] = json
        if content is not None:
            legacy_kwargs["data"] = content
            cvlens_kwargs["content"] = content
        if file is not None:
            legacy_kwargs["data"] = {"file": (io.BytesIO(file[1]), file[0])}
            cvlens_kwargs["files"] = {"file": file}
        old = self.legacy.open(path, method=method, **legacy_kwargs)
        new = await self.cvlens.request(method, path, **cvlens_kwargs)
        return Reply(old.status_code, old.get_json()), Reply(new.status_code, new.json())


@pytest.fixture
def legacy_client(tmp_path: Path) -> FlaskClient:
    path = tmp_path / "legacy.sqlite3"
    legacy_app = create_legacy_app(path, secret_key=SHARED_SECRET)
    conn = legacy_db.connect(path)
    with conn:
        for email in EMAILS:
            conn.execute(
                "INSERT INTO users (email, password_hash, created_at) VALUES (?, ?, ?)",
                (email, generate_password_hash(PASSWORD, method=HASH_METHOD), legacy_db.now_iso()),
            )
    conn.close()
    # No `with`: the client's context would be pushed in another task than the test's.
    return legacy_app.test_client()


@pytest.fixture
async def migrated_users(app: FastAPI) -> list[User]:
    """The legacy users as the copy plan lands them: legacy ids, pbkdf2 hash kept aside."""
    users = []
    async with app.state.sessionmaker() as session:
        for legacy_id, email in enumerate(EMAILS, start=1):
            user = User(id=uuid_for("users", legacy_id), email=email, legacy_id=legacy_id)
            session.add(user)
            await session.flush()
            session.add(
                LegacyPassword(
                    legacy_id=legacy_id,
                    user_id=user.id,
                    password_hash=generate_password_hash(PASSWORD, method=HASH_METHOD),
                )
            )
            users.append(user)
        await session.commit()
    return users


@pytest.fixture
async def both(
    app: FastAPI,
    client: httpx.AsyncClient,
    legacy_client: FlaskClient,
    migrated_users: list[User],
) -> AsyncIterator[Both]:
    app.dependency_overrides[legacy_settings] = lambda: LegacySettings(secret_key=SHARED_SECRET)
    yield Both(legacy_client, client)
    app.dependency_overrides.clear()
