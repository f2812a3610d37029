"""Row hooks of legacy_plan.yaml: UUIDs from legacy ids, résumé bytes into CVLens storage.

Environment: `CVLENS_STORAGE_URL` (`file:///dir`, the target CVLens's `storage_url`) and
`LEGACY_DATABASE` (the legacy SQLite file, read-only: an optimization's owner is its
résumé's user, which the optimizations table does not carry).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Mapping
from functools import cache
from pathlib import Path, PurePath
from typing import Any

from cvlens.features.legacy_v1.ids import uuid_for
from cvlens.features.resumes.service import MEDIA_TYPES

FORMATS = {".pdf": "pdf", ".docx": "docx", ".txt": "txt", ".md": "md"}


def _env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"set {name} (see deploy/migration/legacy_plan.yaml)")
    return value


@cache
def _blob_directory() -> Path:
    url = _env("CVLENS_STORAGE_URL")
    if not url.startswith("file://"):
        raise RuntimeError("CVLENS_STORAGE_URL must be a file:// URL for this plan")
    directory = Path(url.removeprefix("file://")).resolve()
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@cache
def _legacy_connection() -> sqlite3.Connection:
    path = Path(_env("LEGACY_DATABASE")).resolve()
    return sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, check_same_thread=False)


def _owner_of_resume(resume_id: int) -> int:
    row = (
        _legacy_connection()
        .execute("SELECT user_id FROM resumes WHERE id = ?", (resume_id,))
        .fetchone()
    )
    if row is None:
        raise LookupError(f"resume {resume_id} not found in the legacy database")
    return int(row[0])


def _write_blob(key: str, data: bytes) -> None:
    """Same layout as obstore's LocalStore under CVLens's storage directory; atomic."""
    path = _blob_directory() / key
    if path.exists() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(data)
    partial.replace(path)


def user_row(source: Mapping[str, Any], target: dict[str, Any]) -> dict[str, Any]:
    return {**target, "id": str(uuid_for("users", int(source["id"])))}


def password_row(source: Mapping[str, Any], target: dict[str, Any]) -> dict[str, Any]:
    if not str(source["password_hash"]).startswith("pbkdf2:"):
        raise ValueError("password_hash is not a Werkzeug pbkdf2 hash")
    return {**target, "user_id": str(uuid_for("users", int(source["id"])))}


def resume_row(source: Mapping[str, Any], target: dict[str, Any]) -> dict[str, Any]:
    """The `resumes` row; writes the uploaded bytes to the blob store first (idempotent)."""
    content = source["content"]
    if not isinstance(content, bytes) or not content:
        raise ValueError("content is empty or not a blob")
    filename = PurePath(str(source["filename"])).name
    file_format = FORMATS.get(PurePath(filename).suffix.lower())
    if file_format is None:
        raise ValueError(f"unsupported file type: {filename!r}")
    resume_id = uuid_for("resumes", int(source["id"]))
    owner_id = uuid_for("users", int(source["user_id"]))
    blob_key = f"resumes/{owner_id}/{resume_id}"
    _write_blob(blob_key, content)
    return {
        **target,
        "id": str(resume_id),
        "owner_id": str(owner_id),
        "filename": filename[:255],
        "format": file_format,
        "media_type": MEDIA_TYPES[file_format],
        "size_bytes": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
        "blob_key": blob_key,
    }


def resume_text_row(source: Mapping[str, Any], target: dict[str, Any]) -> dict[str, Any]:
    return {**target, "resume_id": str(uuid_for("resumes", int(source["id"])))}


def job_row(source: Mapping[str, Any], target: dict[str, Any]) -> dict[str, Any]:
    return {
        **target,
        "id": str(uuid_for("optimizations", int(source["id"]))),
        "payload": {"legacy_resume_id": int(source["resume_id"])},
    }


def analysis_row(source: Mapping[str, Any], target: dict[str, Any]) -> dict[str, Any]:
    result = target["result"]
    if not isinstance(result, dict) or not isinstance(result.get("score"), int):
        raise ValueError("result has no integer score")
    resume_id = int(source["resume_id"])
    return {
        **target,
        "id": str(uuid_for("optimizations", int(source["id"]))),
        "resume_id": str(uuid_for("resumes", resume_id)),
        "owner_id": str(uuid_for("users", _owner_of_resume(resume_id))),
    }
