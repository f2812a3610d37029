"""The legacy Flask app: token login, résumé upload, keyword optimization."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar, cast

from flask import Flask, Response, current_app, g, jsonify, request
from werkzeug.exceptions import HTTPException
from werkzeug.security import check_password_hash

from examples.legacy_flask import db
from examples.legacy_flask.auth import issue_token, user_id_from_token
from examples.legacy_flask.extract import ALLOWED_SUFFIXES, ExtractionError, extract_text, suffix_of
from examples.legacy_flask.optimizer import optimize

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_JOB_DESCRIPTION_CHARS = 20_000
DEV_SECRET = "legacy-dev-secret-change-me"

View = TypeVar("View", bound=Callable[..., Any])


def create_app(database: str | Path, secret_key: str | None = None) -> Flask:
    """The app bound to the SQLite file `database` (created when missing)."""
    app = Flask(__name__)
    app.config.update(
        DATABASE=str(database),
        SECRET_KEY=secret_key or os.environ.get("LEGACY_SECRET_KEY", DEV_SECRET),
        MAX_CONTENT_LENGTH=MAX_UPLOAD_BYTES,
    )
    app.json.sort_keys = False  # type: ignore[attr-defined]
    db.init_db(app.config["DATABASE"])
    app.teardown_appcontext(_close_db)
    app.register_error_handler(HTTPException, _http_error)
    _register_routes(app)
    return app


def error(message: str, status: int) -> tuple[Response, int]:
    return jsonify({"error": message}), status


def _http_error(exc: HTTPException) -> tuple[Response, int]:
    messages = {404: "not found", 405: "method not allowed", 413: "file too large"}
    status = exc.code or 500
    return error(messages.get(status, exc.name.lower()), status)


def get_db() -> sqlite3.Connection:
    if "db" not in g:
        g.db = db.connect(current_app.config["DATABASE"])
    return cast(sqlite3.Connection, g.db)


def _close_db(_: BaseException | None) -> None:
    conn = g.pop("db", None)
    if conn is not None:
        conn.close()


def login_required(view: View) -> View:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        uid = None
        if scheme.lower() == "bearer" and token:
            uid = user_id_from_token(current_app.config["SECRET_KEY"], token.strip())
        if (
            uid is None
            or get_db().execute("SELECT 1 FROM users WHERE id = ?", (uid,)).fetchone() is None
        ):
            return error("authentication required", 401)
        g.user_id = uid
        return view(*args, **kwargs)

    return cast(View, wrapper)


def _json_body() -> dict[str, Any] | None:
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else None


def _resume_summary(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "filename": row["filename"],
        "uploaded_at": row["uploaded_at"],
        "text_length": len(row["extracted_text"]),
    }


def _register_routes(app: Flask) -> None:
    @app.get("/api/health")
    def health() -> Any:
        get_db().execute("SELECT 1").fetchone()
        return jsonify({"status": "ok"})

    @app.post("/api/login")
    def login() -> Any:
        body = _json_body()
        if body is None:
            return error("expected a JSON object", 400)
        email, password = body.get("email"), body.get("password")
        if not isinstance(email, str) or not isinstance(password, str) or not email or not password:
            return error("email and password are required", 400)
        row = (
            get_db()
            .execute(
                "SELECT id, email, password_hash FROM users WHERE email = ?",
                (email.strip().lower(),),
            )
            .fetchone()
        )
        if row is None or not check_password_hash(row["password_hash"], password):
            return error("invalid email or password", 401)
        token = issue_token(current_app.config["SECRET_KEY"], row["id"])
        return jsonify({"token": token, "user": {"id": row["id"], "email": row["email"]}})

    @app.post("/api/upload")
    @login_required
    def upload() -> Any:
        file = request.files.get("file")
        if file is None or not file.filename:
            return error("a file is required (multipart field 'file')", 400)
        filename = Path(file.filename).name
        if suffix_of(filename) not in ALLOWED_SUFFIXES:
            return error("unsupported file type: use .txt, .md, .pdf or .docx", 415)
        content = file.read()
        if not content:
            return error("the file is empty", 400)
        try:
            text = extract_text(filename, content)
        except ExtractionError as exc:
            return error(str(exc), 422)
        uploaded_at = db.now_iso()
        conn = get_db()
        with conn:
            cursor = conn.execute(
                "INSERT INTO resumes (user_id, filename, content, extracted_text, uploaded_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (g.user_id, filename, content, text, uploaded_at),
            )
        resume = {
            "id": cursor.lastrowid,
            "filename": filename,
            "uploaded_at": uploaded_at,
            "text_length": len(text),
        }
        return jsonify(resume), 201

    @app.get("/api/resumes")
    @login_required
    def list_resumes() -> Any:
        rows = get_db().execute(
            "SELECT id, filename, extracted_text, uploaded_at FROM resumes"
            " WHERE user_id = ? ORDER BY id",
            (g.user_id,),
        )
        return jsonify({"resumes": [_resume_summary(row) for row in rows]})

    @app.get("/api/resumes/<int:resume_id>")
    @login_required
    def get_resume(resume_id: int) -> Any:
        conn = get_db()
        row = conn.execute(
            "SELECT id, filename, extracted_text, uploaded_at FROM resumes"
            " WHERE id = ? AND user_id = ?",
            (resume_id, g.user_id),
        ).fetchone()
        if row is None:
            return error("resume not found", 404)
        optimizations = [
            {
                "id": opt["id"],
                "job_description": opt["job_description"],
                "score": json.loads(opt["result"])["score"],
                "created_at": opt["created_at"],
            }
            for opt in conn.execute(
                "SELECT id, job_description, result, created_at FROM optimizations"
                " WHERE resume_id = ? ORDER BY id",
                (resume_id,),
            )
        ]
        return jsonify(
            {
                **_resume_summary(row),
                "extracted_text": row["extracted_text"],
                "optimizations": optimizations,
            }
        )

    @app.post("/api/optimize")
    @login_required
    def optimize_resume() -> Any:
        body = _json_body()
        if body is None:
            return error("expected a JSON object", 400)
        resume_id, job = body.get("resume_id"), body.get("job_description")
        if not isinstance(resume_id, int) or isinstance(resume_id, bool):
            return error("resume_id must be an integer", 400)
        if not isinstance(job, str) or not job.strip():
            return error("job_description is required", 400)
        if len(job) > MAX_JOB_DESCRIPTION_CHARS:
            return error(
                f"job_description is longer than {MAX_JOB_DESCRIPTION_CHARS} characters", 400
            )
        conn = get_db()
        row = conn.execute(
            "SELECT extracted_text FROM resumes WHERE id = ? AND user_id = ?",
            (resume_id, g.user_id),
        ).fetchone()
        if row is None:
            return error("resume not found", 404)
        result = optimize(row["extracted_text"], job)
        with conn:
            conn.execute(
                "INSERT INTO optimizations (resume_id, job_description, result, created_at)"
                " VALUES (?, ?, ?, ?)",
                (resume_id, job, json.dumps(result), db.now_iso()),
            )
        return jsonify(result)
