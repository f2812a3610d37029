"""`/api/*`: the legacy optimizer's routes, answers and errors, byte for byte in shape."""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.datastructures import UploadFile

from cvlens.features.auth.deps import RuntimeDep
from cvlens.features.legacy_v1 import service
from cvlens.features.legacy_v1.deps import LegacySettingsDep, LegacyUser
from cvlens.features.legacy_v1.errors import LegacyError
from cvlens.features.legacy_v1.extract import (
    ALLOWED_SUFFIXES,
    ExtractionError,
    extract_text,
    suffix_of,
)
from cvlens.features.legacy_v1.optimizer import optimize
from cvlens.features.legacy_v1.tokens import issue_token
from cvlens.features.resumes.models import Resume
from cvlens.platform.db import SessionDep
from cvlens.platform.resources import ResourcesDep

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_JOB_DESCRIPTION_CHARS = 20_000

router = APIRouter(prefix="/api", tags=["legacy v1"], include_in_schema=False)


async def _json_object(request: Request) -> dict[str, Any]:
    """The JSON object body, like Flask's `get_json(silent=True)` (JSON content type only)."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type == "application/json" or media_type.endswith("+json"):
        try:
            body = json.loads(await request.body())
        except ValueError:
            body = None
        if isinstance(body, dict):
            return body
    raise LegacyError(400, "expected a JSON object")


def _summary(resume: Resume, text: str) -> dict[str, Any]:
    return {
        "id": resume.legacy_id,
        "filename": resume.filename,
        "uploaded_at": service.legacy_timestamp(resume.created_at),
        "text_length": len(text),
    }


@router.get("/health")
async def health(session: SessionDep) -> JSONResponse:
    await session.connection()
    return JSONResponse({"status": "ok"})


@router.post("/login")
async def login(
    request: Request, session: SessionDep, runtime: RuntimeDep, settings: LegacySettingsDep
) -> JSONResponse:
    body = await _json_object(request)
    email, password = body.get("email"), body.get("password")
    if not isinstance(email, str) or not isinstance(password, str) or not email or not password:
        raise LegacyError(400, "email and password are required")
    user = await service.authenticate(session, runtime.passwords, email, password)
    if user is None or user.legacy_id is None:
        raise LegacyError(401, "invalid email or password")
    token = issue_token(settings.secret_key.get_secret_value(), user.legacy_id)
    return JSONResponse({"token": token, "user": {"id": user.legacy_id, "email": user.email}})


@router.post("/upload")
async def upload(
    request: Request, user: LegacyUser, session: SessionDep, resources: ResourcesDep
) -> JSONResponse:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_UPLOAD_BYTES:
        raise LegacyError(413, "file too large")
    try:
        form = await request.form()
    except Exception as exc:  # malformed multipart of any kind: legacy saw no file
        raise LegacyError(400, "a file is required (multipart field 'file')") from exc
    file = form.get("file")
    if not isinstance(file, UploadFile) or not file.filename:
        raise LegacyError(400, "a file is required (multipart field 'file')")
    filename = PurePath(file.filename.replace("\\", "/")).name
    if suffix_of(filename) not in ALLOWED_SUFFIXES:
        raise LegacyError(415, "unsupported file type: use .txt, .md, .pdf or .docx")
    content = await file.read()
    if len(content) > MAX_UPLOAD_BYTES:
        raise LegacyError(413, "file too large")
    if not content:
        raise LegacyError(400, "the file is empty")
    try:
        text = extract_text(filename, content)
    except ExtractionError as exc:
        raise LegacyError(422, str(exc)) from exc
    resume, stored_text = await service.store_upload(
        session, resources.blobs, user, filename, content, text
    )
    return JSONResponse(_summary(resume, stored_text), status_code=201)


@router.get("/resumes")
async def list_resumes(user: LegacyUser, session: SessionDep) -> JSONResponse:
    rows = await service.list_resumes(session, user)
    return JSONResponse({"resumes": [_summary(resume, text) for resume, text in rows]})


@router.get("/resumes/{resume_id}")
async def get_resume(resume_id: str, user: LegacyUser, session: SessionDep) -> JSONResponse:
    found = await service.get_resume(session, user, int(resume_id)) if resume_id.isdigit() else None
    if found is None:
        raise LegacyError(404, "resume not found" if resume_id.isdigit() else "not found")
    resume, text = found
    optimizations = [
        {
            "id": analysis.legacy_id,
            "job_description": analysis.job_description,
            "score": (analysis.result or {}).get("score"),
            "created_at": service.legacy_timestamp(analysis.created_at),
        }
        for analysis in await service.list_optimizations(session, resume)
    ]
    return JSONResponse(
        {**_summary(resume, text), "extracted_text": text, "optimizations": optimizations}
    )


@router.post("/optimize")
async def optimize_resume(request: Request, user: LegacyUser, session: SessionDep) -> JSONResponse:
    body = await _json_object(request)
    resume_id, job = body.get("resume_id"), body.get("job_description")
    if not isinstance(resume_id, int) or isinstance(resume_id, bool):
        raise LegacyError(400, "resume_id must be an integer")
    if not isinstance(job, str) or not job.strip():
        raise LegacyError(400, "job_description is required")
    if len(job) > MAX_JOB_DESCRIPTION_CHARS:
        raise LegacyError(
            400, f"job_description is longer than {MAX_JOB_DESCRIPTION_CHARS} characters"
        )
    found = await service.get_resume(session, user, resume_id)
    if found is None:
        raise LegacyError(404, "resume not found")
    resume, text = found
    result = optimize(text, job)
    await service.record_optimization(session, user, resume, job, result)
    return JSONResponse(dict(result))
