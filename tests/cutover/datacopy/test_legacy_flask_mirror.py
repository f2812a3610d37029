"""The legacy Flask database, written to by the app, copied into PostgreSQL and verified."""

from __future__ import annotations

import io
from pathlib import Path

import psycopg
import pytest

from cutover.datacopy import CopyOptions, copy_data, load_plan, verify_data
from examples.legacy_flask import create_app
from examples.legacy_flask.seed import DEMO_PASSWORD, email_of, seed
from tests.cutover.datacopy.conftest import pg_query

pytestmark = pytest.mark.postgres
EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "legacy_flask"


def test_seeded_legacy_database_copies_and_verifies(pg_schema: str, tmp_path: Path) -> None:
    pg_url = f"postgresql://postgres@127.0.0.1:5432/test?options=-csearch_path%3D{pg_schema}"
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute((EXAMPLE / "mirror_schema.sql").read_text().encode())
    legacy = tmp_path / "legacy.sqlite3"
    seed(legacy, users=3, resumes_per_user=2, optimizations_per_resume=2)
    source_url = f"sqlite:///{legacy}"
    plan = load_plan(EXAMPLE / "mirror_plan.yaml")
    options = CopyOptions(rejects_path=tmp_path / "rejects.jsonl")

    stats = copy_data(plan, source_url, pg_url, options)
    assert [(s.name, s.written, s.rejected) for s in stats] == [
        ("users->legacy_users", 3, 0),
        ("resumes->legacy_resumes", 6, 0),
        ("optimizations->legacy_optimizations", 12, 0),
    ]
    assert all(r.ok for r in verify_data(plan, source_url, pg_url))

    # the legacy app keeps serving: one more upload and optimization, then a delta copy
    client = create_app(legacy, secret_key="s").test_client()
    token = client.post("/api/login", json={"email": email_of(2), "password": DEMO_PASSWORD})
    headers = {"Authorization": f"Bearer {token.get_json()['token']}"}
    upload = client.post(
        "/api/upload",
        headers=headers,
        data={"file": (io.BytesIO(b"Python and PostgreSQL"), "new.txt")},
        content_type="multipart/form-data",
    )
    resume_id = upload.get_json()["id"]
    optimized = client.post(
        "/api/optimize",
        headers=headers,
        json={"resume_id": resume_id, "job_description": "Python, Go"},
    )
    delta = copy_data(plan, source_url, pg_url, options)
    assert [(s.written, s.delta) for s in delta] == [(0, True), (1, True), (1, True)]
    assert all(r.ok for r in verify_data(plan, source_url, pg_url))
    assert pg_query(
        pg_url,
        "SELECT r.content, o.score FROM legacy_resumes r"
        " JOIN legacy_optimizations o ON o.resume_id = r.id WHERE r.id = %s",
        (resume_id,),
    ) == [(b"Python and PostgreSQL", optimized.get_json()["score"])]
