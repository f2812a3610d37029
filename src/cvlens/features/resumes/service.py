"""Résumé files: store, list, fetch, delete — always scoped to their owner in SQL."""

from __future__ import annotations

import hashlib
import re
import unicodedata
import uuid
from dataclasses import dataclass

from sqlalchemy import String, Uuid, bindparam, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from cvlens.analysis.errors import AnalysisError, EmptyFileError
from cvlens.analysis.extract import sniff_format
from cvlens.features.analyses.models import Analysis
from cvlens.features.resumes.models import Resume
from cvlens.platform.errors import ProblemError
from cvlens.platform.jobs import Job
from cvlens.platform.ownership import Owner, get_owned_or_404, owned
from cvlens.platform.storage import BlobStore

WHAT = "résumé"
MEDIA_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "txt": "text/plain; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
}


def clean_filename(name: str | None) -> str:
    """A display name safe for headers and file systems: no path, no control chars."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if ch.isprintable())
    base = re.sub(r"\s+", " ", base).strip(" .")
    return base[:200] or "resume"


async def store_resume(
    session: AsyncSession, blobs: BlobStore, owner: Owner, filename: str | None, data: bytes
) -> tuple[Resume, bool]:
    """Keep an uploaded file; returns (résumé, created). Same bytes again → the same record."""
    name = clean_filename(filename)
    try:
        file_format = sniff_format(data, name)
    except EmptyFileError as exc:
        raise ProblemError(422, "empty-file", str(exc)) from exc
    except AnalysisError as exc:
        raise ProblemError(415, "unsupported-file-type", str(exc)) from exc
    digest = hashlib.sha256(data).hexdigest()
    existing = await _by_digest(session, owner, digest)
    if existing is not None:
        return existing, False
    resume_id = uuid.uuid4()
    blob_key = f"resumes/{owner.id}/{resume_id}"
    await blobs.put(blob_key, data)
    resume = Resume(
        id=resume_id,
        owner_id=owner.id,
        filename=name,
        format=file_format,
        media_type=MEDIA_TYPES[file_format],
        size_bytes=len(data),
        sha256=digest,
        blob_key=blob_key,
    )
    owner_id = owner.id
    session.add(resume)
    try:
        await session.flush()
    except IntegrityError:
        # The same bytes, uploaded by the same user at the same moment, won the race. The
        # transaction held nothing but reads, so rolling all of it back (rather than paying
        # a savepoint on every upload) loses nothing.
        await session.rollback()
        await blobs.delete(blob_key)
        concurrent = await _by_digest(session, _Owner(owner_id), digest)
        if concurrent is None:
            raise
        return concurrent, False
    return resume, True


@dataclass(frozen=True)
class _Owner:
    """The owner's id alone: a rollback expires the loaded user row."""

    id: uuid.UUID


# Built once: every upload asks it; scoped by owner like `owned()`.
_OWNED_BY_DIGEST = select(Resume).where(
    Resume.sha256 == bindparam("digest", type_=String()),
    Resume.owner_id == bindparam("owner_id", type_=Uuid()),
)


async def _by_digest(session: AsyncSession, owner: Owner, digest: str) -> Resume | None:
    params = {"digest": digest, "owner_id": owner.id}
    return (await session.execute(_OWNED_BY_DIGEST, params)).scalar_one_or_none()


async def list_resumes(
    session: AsyncSession, owner: Owner, *, limit: int, offset: int
) -> tuple[list[Resume], int]:
    total = await session.scalar(owned(select(func.count(Resume.id)), Resume, owner))
    stmt = owned(
        select(Resume).order_by(Resume.created_at.desc(), Resume.id).limit(limit).offset(offset),
        Resume,
        owner,
    )
    return list((await session.execute(stmt)).scalars()), int(total or 0)


async def get_resume(session: AsyncSession, owner: Owner, resume_id: uuid.UUID) -> Resume:
    return await get_owned_or_404(session, Resume, resume_id, owner, WHAT)


async def read_file(
    session: AsyncSession, blobs: BlobStore, owner: Owner, resume_id: uuid.UUID
) -> tuple[Resume, bytes]:
    resume = await get_resume(session, owner, resume_id)
    return resume, await blobs.get(resume.blob_key)


async def delete_resume(session: AsyncSession, owner: Owner, resume_id: uuid.UUID) -> str:
    """Delete the row, its analyses and their jobs; returns the blob key to remove after commit."""
    resume = await get_resume(session, owner, resume_id)
    job_ids = list(
        (
            await session.execute(select(Analysis.id).where(Analysis.resume_id == resume.id))
        ).scalars()
    )
    await session.execute(delete(Analysis).where(Analysis.resume_id == resume.id))
    await session.execute(delete(Job).where(Job.id.in_(job_ids)))
    await session.delete(resume)
    await session.flush()
    return resume.blob_key
