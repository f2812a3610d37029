"""The walk's pieces: seeded legacy database, CVLens schema, copy CLI, gateway config."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from werkzeug.security import generate_password_hash

from examples.legacy_flask import db as legacy_db
from examples.legacy_flask.seed import DEMO_PASSWORD, seed
from tests.conftest import Database, postgres_schema
from tests.services import POSTGRES_URL

REPO = Path(__file__).resolve().parents[3]
PLAN = REPO / "deploy" / "migration" / "legacy_plan.yaml"
ADMIN_TOKEN = "walk-admin-token"
SHARED_SECRET = "walk-shared-legacy-secret"
# Werkzeug pbkdf2 format with fewer iterations than seed's default: logins are part of the
# client load and the machine is shared.
HASH_METHOD = "pbkdf2:sha256:20000"


@dataclass(frozen=True)
class Migration:
    """Runs `cutover copy|verify` as a real process, as the runbook does.

    Each run reads a fresh snapshot of the live legacy file (SQLite's online backup): the
    plan copies several tables that reference each other, and a snapshot keeps a résumé
    written between two tables' passes from reaching a child table before its parent.
    """

    legacy_path: Path
    target_url: str
    env: dict[str, str]
    workdir: Path

    def snapshot(self) -> Path:
        path = self.workdir / "legacy-snapshot.sqlite3"
        path.unlink(missing_ok=True)
        live = sqlite3.connect(self.legacy_path)
        copy = sqlite3.connect(path)
        with copy:
            live.backup(copy)
        live.close()
        copy.close()
        return path

    def run(
        self, command: str, *extra: str, source: Path | None = None
    ) -> subprocess.CompletedProcess[str]:
        source = source or self.legacy_path
        args = [
            str(Path(sys.executable).parent / "cutover"),
            command,
            "--source",
            f"sqlite:///{source}",
            "--target",
            self.target_url,
            "--plan",
            str(PLAN),
            *extra,
        ]
        if command == "copy":
            args += ["--rejects", str(self.workdir / "rejects.jsonl")]
        env = {**self.env, "LEGACY_DATABASE": str(source)}
        return subprocess.run(
            args, cwd=REPO, env=env, capture_output=True, text=True, timeout=120, check=False
        )


@pytest.fixture
def legacy_path(tmp_path: Path) -> Path:
    path = tmp_path / "legacy.sqlite3"
    seed(path, users=6, resumes_per_user=2, optimizations_per_resume=1)
    conn = legacy_db.connect(path)
    with conn:
        conn.execute(
            "UPDATE users SET password_hash = ?",
            (generate_password_hash(DEMO_PASSWORD, method=HASH_METHOD),),
        )
    conn.close()
    return path


@pytest.fixture
def cvlens_database() -> Iterator[Database]:
    with postgres_schema("walk") as database:
        yield database


@pytest.fixture
def migration(legacy_path: Path, cvlens_database: Database, tmp_path: Path) -> Migration:
    base = POSTGRES_URL.replace("postgresql+asyncpg", "postgresql")
    env = {
        **os.environ,
        "CVLENS_STORAGE_URL": f"file://{tmp_path / 'blobs'}",
        "LEGACY_DATABASE": str(legacy_path),
        "PYTHONPATH": str(REPO),
    }
    target = f"{base}?options=-csearch_path%3D{cvlens_database.schema}"
    return Migration(legacy_path, target, env, tmp_path)


READ_ROUTES = ("health", "resume-list", "resume-get", "login")
WRITE_ROUTES = ("upload", "optimize")


def gateway_config(legacy_url: str, new_url: str) -> dict[str, Any]:
    ignore = {"json_paths": ["$.token", "$..uploaded_at", "$..created_at"]}
    return {
        "legacy": {"url": legacy_url, "timeouts": {"connect": 1, "read": 20}},
        "new": {"url": new_url, "timeouts": {"connect": 1, "read": 20}},
        "admin": {"token": ADMIN_TOKEN},
        "routes": [
            {"name": "health", "methods": ["GET"], "path": "/api/health", "mode": "shadow"},
            # Login only re-hashes a password: safe to mirror and to retry on legacy.
            {
                "name": "login",
                "methods": ["POST"],
                "path": "/api/login",
                "mode": "shadow",
                "mirror_writes": True,
                "fallback_writes": True,
                "ignore": ignore,
            },
            {
                "name": "resume-list",
                "methods": ["GET"],
                "path": "/api/resumes",
                "mode": "shadow",
                "ignore": ignore,
            },
            {
                "name": "resume-get",
                "methods": ["GET"],
                "path": "/api/resumes/{id}",
                "mode": "shadow",
                "ignore": ignore,
            },
            {"name": "upload", "methods": ["POST"], "path": "/api/upload", "mode": "shadow"},
            {"name": "optimize", "methods": ["POST"], "path": "/api/optimize", "mode": "shadow"},
        ],
        "default": {"name": "default", "mode": "legacy"},
        "stickiness": {"key": {"source": "header", "name": "Authorization"}},
        "shadow": {"queue_size": 10000, "workers": 4},
        # p99 is not what this walk tests (the machine is shared); error rate is.
        "guard": {
            "window_seconds": 60,
            "min_requests": 10,
            "max_error_rate": 0.2,
            "max_p99_ms": 60000,
        },
    }


def write_config(path: Path, config: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path
