"""SQLite storage of the legacy app (stdlib sqlite3, one connection per request)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS resumes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users(id),
    filename TEXT NOT NULL,
    content BLOB NOT NULL,
    extracted_text TEXT NOT NULL,
    uploaded_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS resumes_user_id ON resumes(user_id);
CREATE TABLE IF NOT EXISTS optimizations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    resume_id INTEGER NOT NULL REFERENCES resumes(id),
    job_description TEXT NOT NULL,
    result TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS optimizations_resume_id ON optimizations(resume_id);
"""


def connect(path: str | Path) -> sqlite3.Connection:
    """Open the database in WAL mode so a reader (e.g. `cutover copy`) never blocks writers."""
    conn = sqlite3.connect(str(path), timeout=10.0)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


def init_db(path: str | Path) -> None:
    """Create the tables when they do not exist yet."""
    with connect(path) as conn:
        conn.executescript(SCHEMA)
    conn.close()


def now_iso() -> str:
    """Timestamps are stored as ISO-8601 UTC text, second precision, like the old app did."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()
