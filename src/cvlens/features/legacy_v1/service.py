"""legacy_v1's reads and writes on CVLens's tables (users, resumes, jobs, analyses)."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from cvlens.features.analyses.models import Analysis
from cvlens.features.auth.models import User
from cvlens.features.auth.service import normalise_email
from cvlens.features.legacy_v1.ids import next_legacy_id, uuid_for
from cvlens.features.legacy_v1.models import LegacyPassword, LegacyResumeText
from cvlens.features.legacy_v1.optimizer import OptimizationResult
from cvlens.features.legacy_v1.passwords import check_pbkdf2_hash, is_pbkdf2_hash
from cvlens.features.resumes.models import Resume
from cvlens.features.resumes.service import MEDIA_TYPES
from cvlens.platform.jobs import Job, JobStatus
from cvlens.platform.ownership import owned
from cvlens.platform.security import PasswordHasher
from cvlens.platform.storage import BlobStore

LEGACY_OPTIMIZATION_JOB = "legacy-optimize"
ALLOCATION_ATTEMPTS = 8
T = TypeVar("T")


def legacy_timestamp(moment: datetime) -> str:
    """Legacy's timestamp text: ISO-8601 UTC, second precision (`…T23:40:12+00:00`)."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def now_seconds() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


async def _with_new_legacy_id(
    session: AsyncSession, column: Any, insert: Callable[[int], Awaitable[T]]
) -> T:
    """Run `insert(next id)` in a savepoint, retrying when a concurrent writer took the id."""
    for _ in range(ALLOCATION_ATTEMPTS - 1):
        legacy_id = await next_legacy_id(session, column)
        try:
            async with session.begin_nested():
                return await insert(legacy_id)
        except IntegrityError:
            continue
    async with session.begin_nested():
        return await insert(await next_legacy_id(session, column))


async def authenticate(
    session: AsyncSession, passwords: PasswordHasher, email: str, password: str
) -> User | None:
    """The active user with these credentials; a legacy pbkdf2 match is re-hashed to argon2."""
    user = await session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None or not user.is_active:
        await passwords.verify(password, None)  # same cost as a real attempt
        return None
    if user.password_hash is not None and not is_pbkdf2_hash(user.password_hash):
        matches, new_hash = await passwords.verify(password, user.password_hash)
        if not matches:
            return None
        if new_hash is not None:
            await _store_password_hash(session, user, new_hash)
    else:
        legacy_hash = user.password_hash or await session.scalar(
            select(LegacyPassword.password_hash).where(LegacyPassword.user_id == user.id)
        )
        if legacy_hash is None or not check_pbkdf2_hash(legacy_hash, password):
            return None
        await _store_password_hash(session, user, await passwords.hash(password))
    if user.legacy_id is None:  # a CVLens-native account using the legacy API

        async def assign(legacy_id: int) -> None:
            user.legacy_id = legacy_id
            await session.flush()

        await _with_new_legacy_id(session, User.legacy_id, assign)
    return user


async def _store_password_hash(session: AsyncSession, user: User, new_hash: str) -> None:
    """Re-hash in place without bumping `updated_at`: the account itself did not change, and
    the migrated `users` rows stay equal to the legacy ones for `cutover verify`."""
    await session.execute(
        update(User)
        .where(User.id == user.id)
        .values(password_hash=new_hash, updated_at=User.updated_at)
        .execution_options(synchronize_session=False)
    )
    await session.refresh(user)


async def store_upload(
    session: AsyncSession, blobs: BlobStore, user: User, filename: str, data: bytes, text: str
) -> tuple[Resume, str]:
    """A new legacy-visible résumé (blob, `resumes` row, extracted text) → (row, text).

    CVLens keeps one row per owner and content (unique sha256); uploading the same bytes
    again answers with that row, where legacy would have stored a duplicate.
    """
    digest = hashlib.sha256(data).hexdigest()
    existing = await session.scalar(
        owned(select(Resume).where(Resume.sha256 == digest), Resume, user)
    )
    if existing is not None and existing.legacy_id is not None:
        stored = await resume_text(session, existing)
        if stored is not None:
            return existing, stored
    file_format = filename.rsplit(".", 1)[-1].lower()

    async def insert(legacy_id: int) -> Resume:
        resume = existing or Resume(
            id=uuid_for("resumes", legacy_id),
            owner_id=user.id,
            filename=filename[:255],
            format=file_format,
            media_type=MEDIA_TYPES[file_format],
            size_bytes=len(data),
            sha256=digest,
            blob_key=f"resumes/{user.id}/{uuid_for('resumes', legacy_id)}",
            created_at=now_seconds(),
        )
        resume.legacy_id = legacy_id
        session.add(resume)
        await session.flush()
        session.add(LegacyResumeText(legacy_id=legacy_id, resume_id=resume.id, extracted_text=text))
        await session.flush()
        return resume

    resume = await _with_new_legacy_id(session, Resume.legacy_id, insert)
    if existing is None:
        await blobs.put(resume.blob_key, data)
    return resume, text


async def resume_text(session: AsyncSession, resume: Resume) -> str | None:
    return await session.scalar(
        select(LegacyResumeText.extracted_text).where(LegacyResumeText.resume_id == resume.id)
    )


async def list_resumes(session: AsyncSession, user: User) -> list[tuple[Resume, str]]:
    """The caller's résumés that have a legacy id, by legacy id (legacy's order)."""
    stmt = owned(
        select(Resume, LegacyResumeText.extracted_text)
        .join(LegacyResumeText, LegacyResumeText.resume_id == Resume.id)
        .where(Resume.legacy_id.is_not(None))
        .order_by(Resume.legacy_id),
        Resume,
        user,
    )
    return [(row[0], row[1]) for row in (await session.execute(stmt)).all()]


async def get_resume(
    session: AsyncSession, user: User, legacy_id: int
) -> tuple[Resume, str] | None:
    stmt = owned(
        select(Resume, LegacyResumeText.extracted_text)
        .join(LegacyResumeText, LegacyResumeText.resume_id == Resume.id)
        .where(Resume.legacy_id == legacy_id),
        Resume,
        user,
    )
    row = (await session.execute(stmt)).first()
    return None if row is None else (row[0], row[1])


async def list_optimizations(session: AsyncSession, resume: Resume) -> list[Analysis]:
    stmt = (
        select(Analysis)
        .where(Analysis.resume_id == resume.id, Analysis.legacy_id.is_not(None))
        .order_by(Analysis.legacy_id)
    )
    return list((await session.execute(stmt)).scalars())


async def record_optimization(
    session: AsyncSession,
    user: User,
    resume: Resume,
    job_description: str,
    result: OptimizationResult,
) -> Analysis:
    """A succeeded analysis (its `jobs` row + `analyses` row) holding legacy's result JSON."""
    created = now_seconds()

    async def insert(legacy_id: int) -> Analysis:
        analysis_id = uuid_for("optimizations", legacy_id)
        session.add(
            Job(
                id=analysis_id,
                kind=LEGACY_OPTIMIZATION_JOB,
                payload={"legacy_resume_id": resume.legacy_id},
                status=JobStatus.SUCCEEDED,
                progress=100,
                attempts=1,
                available_at=created,
                created_at=created,
                updated_at=created,
                finished_at=created,
                legacy_id=legacy_id,
            )
        )
        await session.flush()
        analysis = Analysis(
            id=analysis_id,
            owner_id=user.id,
            resume_id=resume.id,
            job_description=job_description,
            result=dict(result),
            created_at=created,
            legacy_id=legacy_id,
        )
        session.add(analysis)
        await session.flush()
        return analysis

    return await _with_new_legacy_id(session, Analysis.legacy_id, insert)
