"""Résumé files: store, list, fetch, delete — always scoped to their owner in SQL."""

from __future__ import annotations

import hashlib
import re
import unicodedata
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import String, Uuid, bindparam, delete, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from cvlens.analysis.errors import AnalysisError, EmptyFileError
from cvlens.analysis.extract import sniff_format
from cvlens.features.analyses.models import Analysis
from cvlens.features.resumes.models import Resume
from cvlens.platform.db import utcnow
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


@dataclass(frozen=True)
class StoredResume:
    """What an upload answers with: the stored résumé's public fields."""

    id: uuid.UUID
    filename: str
    format: str
    media_type: str
    size_bytes: int
    sha256: str
    created_at: datetime


async def store_resume(
    session: AsyncSession, blobs: BlobStore, owner: Owner, filename: str | None, data: bytes
) -> tuple[StoredResume, bool]:
    """Keep an uploaded file; returns (résumé, created). Same bytes again → the same record.

    Core statements run through `session.run_sync` (one call into SQLAlchemy's asyncio
    layer each); the file is stored before the row is inserted, so a SQLite write lock is
    never held while the blob store works.
    """
    name = clean_filename(filename)
    try:
        file_format = sniff_format(data, name)
    except EmptyFileError as exc:
        raise ProblemError(422, "empty-file", str(exc)) from exc
    except AnalysisError as exc:
        raise ProblemError(415, "unsupported-file-type", str(exc)) from exc
    digest = hashlib.sha256(data).hexdigest()
    owner_id = owner.id
    existing = await _by_digest(session, owner_id, digest)
    if existing is not None:
        return existing, False
    resume_id = uuid.uuid4()
    blob_key = f"resumes/{owner_id}/{resume_id}"
    await blobs.put(blob_key, data)
    resume = StoredResume(
        id=resume_id,
        filename=name,
        format=file_format,
        media_type=MEDIA_TYPES[file_format],
        size_bytes=len(data),
        sha256=digest,
        created_at=utcnow(),
    )
    values = {**asdict(resume), "owner_id": owner_id, "blob_key": blob_key}
    try:
        # a savepoint: the request's transaction belongs to its session dependency
        async with session.begin_nested():
            await session.run_sync(lambda sync: sync.connection().execute(_INSERT, values))
    except IntegrityError:
        # the same bytes, uploaded by the same user at the same moment, won the race
        await blobs.delete(blob_key)
        concurrent = await _by_digest(session, owner_id, digest)
        if concurrent is None:
            raise
        return concurrent, False
    return resume, True


# Built once: every upload asks it; scoped by owner like `owned()`.
_OWNED_BY_DIGEST = select(
    Resume.id,
    Resume.filename,
    Resume.format,
    Resume.media_type,
    Resume.size_bytes,
    Resume.sha256,
    Resume.created_at,
).where(
    Resume.sha256 == bindparam("digest", type_=String()),
    Resume.owner_id == bindparam("owner_id", type_=Uuid()),
)
_INSERT = insert(Resume)


async def _by_digest(
    session: AsyncSession, owner_id: uuid.UUID, digest: str
) -> StoredResume | None:
    params = {"digest": digest, "owner_id": owner_id}

    def read(sync: Session) -> StoredResume | None:
        row = sync.connection().execute(_OWNED_BY_DIGEST, params).one_or_none()
        return StoredResume(*row) if row is not None else None

    return await session.run_sync(read)


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
