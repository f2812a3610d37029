"""legacy_v1 answers like the legacy app: same requests, same status codes and bodies.

Only the token differs (each side signs its own, at its own second); timestamps are
compared by shape only when the two sides may have crossed a second boundary.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sqlalchemy import select

from cvlens.features.auth.models import User
from cvlens.features.legacy_v1.models import LegacyPassword
from tests.integration.legacy_v1.conftest import EMAILS, PASSWORD, Both, Reply

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$")
JOB = (
    "We are looking for a Python engineer with FastAPI, PostgreSQL and Docker experience. "
    "Kubernetes, Terraform and AWS are a plus; Python and PostgreSQL daily."
)


def without_timestamps(body: Any) -> Any:
    """The body with every legacy timestamp replaced by a marker (after checking its shape)."""
    if isinstance(body, dict):
        out = {}
        for key, value in body.items():
            if key in ("uploaded_at", "created_at"):
                assert isinstance(value, str) and TIMESTAMP.match(value), value
                out[key] = "<timestamp>"
            else:
                out[key] = without_timestamps(value)
        return out
    if isinstance(body, list):
        return [without_timestamps(item) for item in body]
    return body


def assert_same(pair: tuple[Reply, Reply]) -> Any:
    old, new = pair
    assert new.status == old.status, (old, new)
    assert without_timestamps(new.body) == without_timestamps(old.body)
    if isinstance(old.body, dict):
        assert list(new.body) == list(old.body), "keys in the same order"
    return new.body


async def login_both(both: Both, email: str = EMAILS[0]) -> tuple[str, str]:
    old, new = await both.call("POST", "/api/login", json={"email": email, "password": PASSWORD})
    assert old.status == new.status == 200, (old, new)
    assert new.body["user"] == old.body["user"]
    assert list(new.body) == ["token", "user"]
    return old.body["token"], new.body["token"]


async def test_full_session_matches_legacy(both: Both) -> None:
    old_token, new_token = await login_both(both)
    text = (FIXTURES / "resumes" / "jane_doe.txt").read_bytes()
    pdf = (FIXTURES / "resumes" / "jane_doe.pdf").read_bytes()
    first = assert_same(
        await both.call("POST", "/api/upload", token=old_token, file=("cv.txt", text))
    )
    assert first["id"] == 1 and first["text_length"] > 100
    second = assert_same(
        await both.call("POST", "/api/upload", token=old_token, file=("jane.pdf", pdf))
    )
    assert second["id"] == 2
    listed = assert_same(await both.call("GET", "/api/resumes", token=old_token))
    assert [r["id"] for r in listed["resumes"]] == [1, 2]
    for resume_id in (1, 2):
        result = assert_same(
            await both.call(
                "POST",
                "/api/optimize",
                token=old_token,
                json={"resume_id": resume_id, "job_description": JOB},
            )
        )
        assert 0 < result["score"] < 100 and result["missing_keywords"]
    detail = assert_same(await both.call("GET", "/api/resumes/2", token=old_token))
    assert [o["id"] for o in detail["optimizations"]] == [2]
    assert detail["extracted_text"]
    # A CVLens token works on legacy and the reverse: the gateway may send either anywhere.
    assert (await both.cvlens.get("/api/resumes", headers=bearer(old_token))).status_code == 200
    assert both.legacy.get("/api/resumes", headers=bearer(new_token)).status_code == 200
    assert_same(await both.call("GET", "/api/health"))


async def test_login_rehashes_legacy_password_to_argon2(both: Both, app: Any) -> None:
    async with app.state.sessionmaker() as session:
        before = await session.scalar(select(User.updated_at).where(User.email == EMAILS[0]))
    await login_both(both)
    async with app.state.sessionmaker() as session:
        user = await session.scalar(select(User).where(User.email == EMAILS[0]))
        kept = await session.scalar(
            select(LegacyPassword.password_hash).where(LegacyPassword.user_id == user.id)
        )
    assert user.password_hash is not None and user.password_hash.startswith("$argon2")
    assert kept is not None and kept.startswith("pbkdf2:"), "the copied hash stays as copied"
    assert user.updated_at == before, "a re-hash leaves the migrated row equal to legacy's"
    await login_both(both)  # now verified against argon2
    wrong = await both.call("POST", "/api/login", json={"email": EMAILS[0], "password": "nope"})
    assert_same(wrong)
    assert wrong[1].body == {"error": "invalid email or password"}
    # The re-hashed password also opens CVLens's own API.
    token = await both.cvlens.post(
        "/api/v1/auth/token", data={"username": EMAILS[0], "password": PASSWORD}
    )
    assert token.status_code == 200, token.text


async def test_errors_match_legacy(both: Both) -> None:
    token, _ = await login_both(both)
    other, _ = await login_both(both, EMAILS[1])
    cases: list[tuple[str, str, dict[str, Any]]] = [
        ("POST", "/api/login", {"content": b"not json", "content_type": "application/json"}),
        ("POST", "/api/login", {"json": ["a", "list"]}),
        ("POST", "/api/login", {"json": {"email": EMAILS[0]}}),
        ("POST", "/api/login", {"json": {"email": "nobody@example.com", "password": "x"}}),
        ("GET", "/api/resumes", {}),
        ("GET", "/api/resumes", {"token": "forged.token.value"}),
        ("POST", "/api/upload", {"token": token}),
        ("POST", "/api/upload", {"token": token, "file": ("cv.exe", b"MZ")}),
        ("POST", "/api/upload", {"token": token, "file": ("cv.txt", b"")}),
        ("POST", "/api/upload", {"token": token, "file": ("cv.pdf", b"%PDF-1.7 broken")}),
        ("POST", "/api/upload", {"token": token, "file": ("cv.txt", b"\xff\xfe\xfa")}),
        ("POST", "/api/optimize", {"token": token, "json": {"resume_id": "1"}}),
        ("POST", "/api/optimize", {"token": token, "json": {"resume_id": True}}),
        ("POST", "/api/optimize", {"token": token, "json": {"resume_id": 1}}),
        (
            "POST",
            "/api/optimize",
            {"token": token, "json": {"resume_id": 1, "job_description": " "}},
        ),
        (
            "POST",
            "/api/optimize",
            {"token": token, "json": {"resume_id": 1, "job_description": "x" * 20_001}},
        ),
        (
            "POST",
            "/api/optimize",
            {"token": token, "json": {"resume_id": 99, "job_description": "go"}},
        ),
        ("GET", "/api/resumes/99", {"token": token}),
    ]
    for method, path, kwargs in cases:
        old, new = await both.call(method, path, **kwargs)
        assert new.status == old.status and new.body == old.body, (method, path, old, new)
        assert old.status >= 400 and list(old.body) == ["error"]
    # Another user's résumé is "not found" on both sides.
    upload = await both.call("POST", "/api/upload", token=token, file=("a.md", b"# Ada\nPython"))
    assert_same(upload)
    assert_same(await both.call("GET", "/api/resumes/1", token=other))
    assert_same(
        await both.call(
            "POST", "/api/optimize", token=other, json={"resume_id": 1, "job_description": "go"}
        )
    )


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
