"""Analyses: create (queue a job), read with the job's status, list, and watch progress."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import Text, Uuid, bindparam, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from cvlens.features.analyses.models import Analysis
from cvlens.features.analyses.schemas import (
    AnalysisError,
    AnalysisLinks,
    AnalysisRead,
    AnalysisResult,
)
from cvlens.features.resumes.models import Resume
from cvlens.features.resumes.service import WHAT as RESUME
from cvlens.platform.db import UTCDateTime
from cvlens.platform.errors import NotFoundError
from cvlens.platform.events import EventBus
from cvlens.platform.jobs import INSERT_JOB, Job, JobStatus, JobStore, new_job_values
from cvlens.platform.ownership import Owner, owned
from cvlens.platform.worker import job_channel

ANALYSIS_JOB = "analysis"
API = "/api/v1"
TERMINAL = {JobStatus.SUCCEEDED, JobStatus.FAILED}


def links(analysis_id: uuid.UUID, resume_id: uuid.UUID) -> AnalysisLinks:
    return AnalysisLinks(
        self=f"{API}/analyses/{analysis_id}",
        events=f"{API}/analyses/{analysis_id}/events",
        resume=f"{API}/resumes/{resume_id}",
    )


# The analysis row is copied from the résumé row only when the caller owns it, so a
# résumé that is missing or someone else's inserts nothing (one statement, no read first).
_INSERT_FOR_OWNED_RESUME = insert(Analysis).from_select(
    ["id", "owner_id", "resume_id", "job_description", "created_at"],
    select(
        bindparam("analysis_id", type_=Uuid()),
        Resume.owner_id,
        Resume.id,
        bindparam("job_description", type_=Text()),
        bindparam("created_at", type_=UTCDateTime()),
    ).where(
        Resume.id == bindparam("resume_id", type_=Uuid()),
        Resume.owner_id == bindparam("owner_id", type_=Uuid()),
    ),
)


async def create_analysis(
    session: AsyncSession,
    owner: Owner,
    resume_id: uuid.UUID,
    job_description: str | None,
    *,
    max_attempts: int,
    published: bool = False,
) -> uuid.UUID:
    """Queue an analysis of one of `owner`'s résumés; returns its id (also its job's id).

    Two Core inserts in the caller's transaction: the job row, then the analysis row from
    the owned résumé row. When that résumé is missing or not the owner's, it raises a 404
    and the caller's rollback (the request session's) removes the job row again.
    """
    job = new_job_values(ANALYSIS_JOB, {}, max_attempts=max_attempts, published=published)
    params = {
        "analysis_id": job["id"],
        "job_description": (job_description or "").strip() or None,
        "created_at": job["created_at"],
        "resume_id": resume_id,
        "owner_id": owner.id,
    }

    def insert(sync_session: Session) -> int:
        conn = sync_session.connection()
        conn.execute(INSERT_JOB, job)
        return conn.execute(_INSERT_FOR_OWNED_RESUME, params).rowcount

    if await session.run_sync(insert) != 1:  # one call into SQLAlchemy's asyncio layer
        raise NotFoundError(RESUME)
    analysis_id: uuid.UUID = job["id"]
    return analysis_id


def to_read(analysis: Analysis, job: Job) -> AnalysisRead:
    result = None
    if job.status == JobStatus.SUCCEEDED and analysis.result is not None:
        result = AnalysisResult.model_validate(analysis.result)
    error = None
    if job.status == JobStatus.FAILED and job.error_type:
        error = AnalysisError(type=job.error_type, message=job.error_message or "")
    return AnalysisRead(
        id=analysis.id,
        resume_id=analysis.resume_id,
        status=JobStatus(job.status).value,
        progress=job.progress,
        stage=job.stage,
        attempts=job.attempts,
        has_job_description=analysis.job_description is not None,
        created_at=analysis.created_at,
        finished_at=job.finished_at,
        result=result,
        error=error,
        links=links(analysis.id, analysis.resume_id),
    )


# Built once (read on every poll and every event stream); scoped by owner like `owned()`.
_OWNED_ANALYSIS_WITH_JOB = (
    select(Analysis, Job)
    .join(Job, Job.id == Analysis.id)
    .where(
        Analysis.id == bindparam("analysis_id", type_=Uuid()),
        Analysis.owner_id == bindparam("owner_id", type_=Uuid()),
    )
)


_OWNED_ANALYSIS_ID = select(Analysis.id).where(
    Analysis.id == bindparam("analysis_id", type_=Uuid()),
    Analysis.owner_id == bindparam("owner_id", type_=Uuid()),
)


async def check_owned(session: AsyncSession, owner: Owner, analysis_id: uuid.UUID) -> None:
    """404 unless the analysis exists and is the owner's (its id alone is read)."""
    params = {"analysis_id": analysis_id, "owner_id": owner.id}

    def owned_id(sync_session: Session) -> object:
        return sync_session.connection().execute(_OWNED_ANALYSIS_ID, params).first()

    if await session.run_sync(owned_id) is None:
        raise NotFoundError("analysis")


async def get_analysis(
    session: AsyncSession, owner: Owner, analysis_id: uuid.UUID
) -> tuple[Analysis, Job]:
    params = {"analysis_id": analysis_id, "owner_id": owner.id}
    row = (await session.execute(_OWNED_ANALYSIS_WITH_JOB, params)).one_or_none()
    if row is None:
        raise NotFoundError("analysis")
    return row[0], row[1]


async def list_analyses(
    session: AsyncSession,
    owner: Owner,
    *,
    resume_id: uuid.UUID | None,
    limit: int,
    offset: int,
) -> tuple[list[tuple[Analysis, Job]], int]:
    base = owned(select(Analysis, Job).join(Job, Job.id == Analysis.id), Analysis, owner)
    count = owned(select(func.count(Analysis.id)), Analysis, owner)
    if resume_id is not None:
        base = base.where(Analysis.resume_id == resume_id)
        count = count.where(Analysis.resume_id == resume_id)
    stmt = base.order_by(Analysis.created_at.desc(), Analysis.id).limit(limit).offset(offset)
    rows = [(row[0], row[1]) for row in (await session.execute(stmt)).all()]
    return rows, int(await session.scalar(count) or 0)


async def watch(
    events: EventBus, jobs: JobStore, job_id: uuid.UUID, *, poll_seconds: float = 1.0
) -> AsyncIterator[dict[str, Any]]:
    """The job's current state first, then each change, until it succeeds or fails.

    Subscribes before reading the current state so no change falls in between; polls
    the row when the bus is quiet, so progress still flows when the job runs on a worker
    whose events cannot reach this process (no Redis configured).
    """
    async with events.subscribe(job_channel(job_id)) as subscription:
        snapshot = await jobs.get(job_id)
        if snapshot is None:
            return
        last = snapshot.as_event()
        yield last
        while last["status"] not in TERMINAL:
            event = await subscription.get(wait_seconds=poll_seconds)
            if event is None:
                current = await jobs.get(job_id)
                if current is None:
                    return
                event = current.as_event()
            if event != last:
                last = event
                yield event
