"""The migration walk, end to end, with a client loop that must never see a failure.

legacy (seeded, live) → copy + verify → gateway `shadow` on every legacy route (diffs empty
after ignore rules) → delta copy → read routes `canary` 10 % → 50 % (cvlens stopped for a
while: fallback) → `new` → writes paused, final delta copy, verify clean → write routes
`new` → cvlens answers 500s: the guard rolls the routes back to legacy.

Writes stay on legacy until the final delta copy: CVLens allocates legacy-style ids for
rows it creates, so it must take writes only once legacy no longer does (see the README
runbook, "Migrating from the legacy optimizer").
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from pathlib import Path
from typing import Any

import httpx
import yaml
from fastapi import FastAPI

from cutover.app import Gateway
from cutover.config import parse_config
from cvlens.app import create_app
from cvlens.features.legacy_v1.settings import LegacySettings, legacy_settings
from examples.legacy_flask import create_app as create_legacy_app
from examples.legacy_flask.seed import DEMO_PASSWORD, email_of
from tests.conftest import Database, make_settings
from tests.e2e.walk.clients import ClientLoop
from tests.e2e.walk.conftest import (
    ADMIN_TOKEN,
    READ_ROUTES,
    SHARED_SECRET,
    WRITE_ROUTES,
    Migration,
    gateway_config,
)
from tests.e2e.walk.servers import FaultSwitch, LegacyServer, UvicornThread, free_port

READERS = [email_of(i) for i in range(1, 5)]
WRITERS = [email_of(i) for i in range(5, 7)]


def cvlens_app(database: Database, tmp_path: Path) -> FaultSwitch:
    settings = make_settings(
        database, tmp_path, storage_url=f"file://{tmp_path / 'blobs'}", password_hash_cost="low"
    )
    app: FastAPI = create_app(settings)
    app.dependency_overrides[legacy_settings] = lambda: LegacySettings(secret_key=SHARED_SECRET)
    return FaultSwitch(app)


def set_routes(admin: httpx.Client, routes: tuple[str, ...], mode: str, percent: int = 0) -> None:
    for route in routes:
        body: dict[str, Any] = {"mode": mode}
        if mode == "canary":
            body["percent"] = percent
        response = admin.put(f"/api/routes/{route}", json=body)
        assert response.status_code == 200, response.text


def modes(admin: httpx.Client) -> dict[str, str]:
    status = admin.get("/api/status").json()
    return {route["name"]: route["mode"] for route in status["routes"]}


def assert_copied_clean(migration: Migration, *, verify_live: bool = False) -> None:
    """Copy (delta after the first run) from a snapshot, then verify against it.

    With `verify_live` (writes paused) the live legacy file is verified as well.
    """
    snapshot = migration.snapshot()
    copied = migration.run("copy", source=snapshot)
    assert copied.returncode == 0, copied.stdout + copied.stderr
    for source in (snapshot, migration.legacy_path) if verify_live else (snapshot,):
        verified = migration.run("verify", "--json", source=source)
        assert verified.returncode == 0, verified.stdout + verified.stderr
    assert not (migration.workdir / "rejects.jsonl").exists()


def wait_shadow_compared(admin: httpx.Client, at_least: int) -> None:
    """Until the gateway has compared `at_least` mirrored requests (none dropped)."""
    deadline = time.monotonic() + 60
    while True:
        shadow = admin.get("/api/status").json()["shadow"]
        assert shadow["dropped"] == 0, shadow
        if shadow["compared"] >= at_least:
            return
        assert time.monotonic() < deadline, shadow
        time.sleep(0.5)


def assert_native_api_serves_legacy_files(cvlens_url: str, email: str, legacy: Path) -> None:
    with httpx.Client(base_url=cvlens_url, timeout=30) as http:
        token = http.post("/api/v1/auth/token", data={"username": email, "password": DEMO_PASSWORD})
        assert token.status_code == 200, token.text  # the re-hashed legacy password
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        page = http.get("/api/v1/resumes", params={"limit": 100}, headers=headers).json()
        served = {
            hashlib.sha256(
                http.get(f"/api/v1/resumes/{item['id']}/file", headers=headers).content
            ).hexdigest()
            for item in page["items"]
        }
    conn = sqlite3.connect(legacy)
    stored = {
        hashlib.sha256(row[0]).hexdigest()
        for row in conn.execute(
            "SELECT content FROM resumes JOIN users ON users.id = resumes.user_id"
            " WHERE users.email = ?",
            (email,),
        )
    }
    conn.close()
    assert stored and stored <= served, (len(stored), len(served))


def test_walk_legacy_to_cvlens_without_a_failed_request(
    legacy_path: Path, cvlens_database: Database, migration: Migration, tmp_path: Path
) -> None:
    legacy = LegacyServer(create_legacy_app(legacy_path, secret_key=SHARED_SECRET))
    assert_copied_clean(migration)

    faults = cvlens_app(cvlens_database, tmp_path)
    cvlens_port = free_port()
    cvlens = UvicornThread(faults, cvlens_port)
    config = parse_config(yaml.safe_dump(gateway_config(legacy.url, cvlens.url)))
    gateway = UvicornThread(Gateway(config), free_port())
    admin = httpx.Client(
        base_url=gateway.url + "/_cutover", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}
    )
    loop = ClientLoop(gateway.url, READERS, WRITERS, DEMO_PASSWORD)
    try:
        loop.start()
        # 1. shadow: legacy answers, cvlens is compared on every read and on logins.
        loop.phase = "shadow"
        loop.wait_rounds(3)
        wait_shadow_compared(admin, 40)
        diffs = admin.get("/api/diffs").json()
        compared = {route: report for route, report in diffs.items() if report.get("compared")}
        assert {"health", "login", "resume-list", "resume-get"} <= set(compared), diffs
        for route, report in diffs.items():
            assert report.get("paths", []) == [], (route, report)

        # 2. delta copy: the writers' uploads and optimizations so far reach cvlens.
        loop.phase = "delta"
        assert_copied_clean(migration)

        # 3. canary the read routes (and login); writes stay on legacy.
        for percent in (10, 50):
            set_routes(admin, READ_ROUTES, "canary", percent)
            set_routes(admin, WRITE_ROUTES, "legacy")
            loop.phase = f"canary-{percent}"
            loop.wait_rounds(3)
        assert any(o.backend == "new" for o in loop.in_phase("canary-50"))

        # cvlens down during canary: reads and logins fall back to legacy.
        cvlens.stop()
        loop.phase = "canary-50-cvlens-down"
        loop.wait_rounds(3)
        down = loop.in_phase("canary-50-cvlens-down")
        assert down and all(o.backend == "legacy" for o in down if o.action != "upload")
        cvlens = UvicornThread(faults, cvlens_port)

        # 4. reads on cvlens.
        set_routes(admin, READ_ROUTES, "new")
        loop.phase = "new-reads"
        loop.wait_rounds(3)
        reads = [o for o in loop.in_phase("new-reads") if o.action in ("list", "get", "login")]
        assert reads and all(o.backend == "new" for o in reads)

        # 5. writes: pause them, final delta copy, verify clean, flip, resume.
        loop.phase = "write-flip"
        loop.writes_allowed.clear()
        loop.wait_rounds(1)  # a round already writing has finished
        assert_copied_clean(migration, verify_live=True)
        set_routes(admin, WRITE_ROUTES, "new")
        loop.writes_allowed.set()
        loop.phase = "new"
        loop.wait_rounds(3)
        writes = [o for o in loop.in_phase("new") if o.action in ("upload", "optimize")]
        assert writes and all(o.backend == "new" for o in writes)
        current = modes(admin)
        assert all(current[r] == "new" for r in READ_ROUTES + WRITE_ROUTES), current

        # Every writer sees every upload it made, in either era, now served by cvlens.
        for email in WRITERS:
            token = httpx.post(
                gateway.url + "/api/login", json={"email": email, "password": DEMO_PASSWORD}
            ).json()["token"]
            listed = httpx.get(
                gateway.url + "/api/resumes", headers={"Authorization": f"Bearer {token}"}
            ).json()["resumes"]
            assert set(loop.uploads[email]) <= {r["id"] for r in listed}

        # The copied blobs are CVLens's own files: its native API serves legacy's bytes.
        assert_native_api_serves_legacy_files(cvlens.url, WRITERS[0], legacy_path)

        # 6. cvlens answers 500s: the guard rolls the read routes back; clients never notice.
        loop.writes_allowed.clear()
        loop.wait_rounds(1)
        loop.phase = "faults"
        faults.failing = True
        deadline = time.monotonic() + 60
        while any(modes(admin)[route] != "legacy" for route in ("resume-list", "health")):
            assert time.monotonic() < deadline, modes(admin)
            loop.wait_rounds(1)
        events = admin.get("/api/events").json()
        assert any(e["kind"] == "auto-rollback" for e in events)
    finally:
        loop.stop()
        admin.close()
        gateway.stop()
        cvlens.stop()
        legacy.stop()

    failures = loop.failures()
    assert failures == [], failures[:10]
    assert len(loop.outcomes) > 200
    assert {o.action for o in loop.outcomes} == {
        "login",
        "health",
        "list",
        "get",
        "upload",
        "optimize",
    }
