from __future__ import annotations

import uuid
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, BackgroundTasks, File, Query, Response, UploadFile, status

from cvlens.features.auth.deps import CurrentUser
from cvlens.features.resumes import service
from cvlens.features.resumes.schemas import ResumePage, ResumeRead
from cvlens.platform.db import SessionDep
from cvlens.platform.errors import ProblemError
from cvlens.platform.resources import ResourcesDep

router = APIRouter(prefix="/api/v1/resumes", tags=["résumés"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses={200: {"model": ResumeRead, "description": "the same file was uploaded before"}},
)
async def upload_resume(
    file: Annotated[UploadFile, File(description="PDF, DOCX, TXT or Markdown")],
    user: CurrentUser,
    session: SessionDep,
    resources: ResourcesDep,
    response: Response,
) -> ResumeRead:
    """Upload a résumé. The type is read from the content, never from the name."""
    limit = resources.settings.max_upload_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise ProblemError(413, "payload-too-large", f"the file is larger than {limit} bytes")
    resume, created = await service.store_resume(
        session, resources.blobs, user, file.filename, data
    )
    response.status_code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
    response.headers["Location"] = f"{router.prefix}/{resume.id}"
    return ResumeRead.model_validate(resume)


@router.get("")
async def list_resumes(
    user: CurrentUser,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> ResumePage:
    items, total = await service.list_resumes(session, user, limit=limit, offset=offset)
    return ResumePage(
        items=[ResumeRead.model_validate(r) for r in items], total=total, limit=limit, offset=offset
    )


@router.get("/{resume_id}")
async def get_resume(resume_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> ResumeRead:
    return ResumeRead.model_validate(await service.get_resume(session, user, resume_id))


@router.get("/{resume_id}/file", response_class=Response)
async def download_resume(
    resume_id: uuid.UUID, user: CurrentUser, session: SessionDep, resources: ResourcesDep
) -> Response:
    """The uploaded bytes, as an attachment (never rendered inline)."""
    resume, data = await service.read_file(session, resources.blobs, user, resume_id)
    ascii_name = resume.filename.encode("ascii", "ignore").decode().replace('"', "") or "resume"
    disposition = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(resume.filename)}"
    )
    return Response(
        data,
        media_type=resume.media_type,
        headers={"Content-Disposition": disposition, "X-Content-Type-Options": "nosniff"},
    )


@router.delete("/{resume_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_resume(
    resume_id: uuid.UUID,
    user: CurrentUser,
    session: SessionDep,
    resources: ResourcesDep,
    background: BackgroundTasks,
) -> None:
    """Delete the résumé, its analyses and its stored file."""
    blob_key = await service.delete_resume(session, user, resume_id)
    background.add_task(resources.blobs.delete, blob_key)
