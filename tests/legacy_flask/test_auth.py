from __future__ import annotations

import sqlite3
from pathlib import Path

from flask.testing import FlaskClient
from werkzeug.security import check_password_hash

from examples.legacy_flask.seed import DEMO_PASSWORD, email_of
from tests.legacy_flask.conftest import login


def test_login_returns_token_and_user(client: FlaskClient) -> None:
    response = client.post("/api/login", json={"email": email_of(2), "password": DEMO_PASSWORD})
    assert response.status_code == 200
    body = response.get_json()
    assert list(body) == ["token", "user"]
    assert body["user"] == {"id": 2, "email": email_of(2)}
    assert isinstance(body["token"], str) and len(body["token"]) > 20


def test_passwords_are_werkzeug_pbkdf2_hashes(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    (stored,) = conn.execute("SELECT password_hash FROM users WHERE id = 1").fetchone()
    conn.close()
    assert stored.startswith("pbkdf2:sha256:")
    assert check_password_hash(stored, DEMO_PASSWORD)


def test_wrong_password_and_unknown_user_are_401(client: FlaskClient) -> None:
    for email, password in ((email_of(1), "nope"), ("ghost@example.com", DEMO_PASSWORD)):
        response = client.post("/api/login", json={"email": email, "password": password})
        assert response.status_code == 401
        assert response.get_json() == {"error": "invalid email or password"}


def test_malformed_login_is_400(client: FlaskClient) -> None:
    assert client.post("/api/login", data="not json").status_code == 400
    response = client.post("/api/login", json={"email": email_of(1)})
    assert response.status_code == 400
    assert response.get_json() == {"error": "email and password are required"}


def test_protected_routes_need_a_valid_token(client: FlaskClient) -> None:
    assert client.get("/api/resumes").get_json() == {"error": "authentication required"}
    for header in ("Bearer forged.token.value", "Basic abc", ""):
        response = client.get("/api/resumes", headers={"Authorization": header})
        assert response.status_code == 401


def test_token_of_one_app_is_rejected_by_another_secret(client: FlaskClient, db_path: Path) -> None:
    from examples.legacy_flask import create_app

    headers = login(client)
    other = create_app(db_path, secret_key="another-secret").test_client()
    assert other.get("/api/resumes", headers=headers).status_code == 401
    assert client.get("/api/resumes", headers=headers).status_code == 200
