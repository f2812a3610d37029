"""A seeded legacy database per test, copied from one template (pbkdf2 hashing is slow)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from examples.legacy_flask import create_app
from examples.legacy_flask.seed import DEMO_PASSWORD, email_of, seed


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("legacy") / "template.sqlite3"
    seed(path, users=2, resumes_per_user=1, optimizations_per_resume=1)
    return path


@pytest.fixture
def db_path(template_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "legacy.sqlite3"
    shutil.copy(template_db, path)
    return path


@pytest.fixture
def app(db_path: Path) -> Flask:
    return create_app(db_path, secret_key="test-secret")


@pytest.fixture
def client(app: Flask) -> Iterator[FlaskClient]:
    with app.test_client() as client:
        yield client


def login(client: FlaskClient, index: int = 1) -> dict[str, str]:
    response = client.post("/api/login", json={"email": email_of(index), "password": DEMO_PASSWORD})
    assert response.status_code == 200, response.get_json()
    return {"Authorization": f"Bearer {response.get_json()['token']}"}


@pytest.fixture
def auth(client: FlaskClient) -> dict[str, str]:
    return login(client, 1)
