"""Durable jobs: the database row is the truth, a queue message only says "run job N".

A job is `queued` → `running` (a worker holds a lease it renews by heartbeat) →
`succeeded` | `failed`. Claiming is one conditional UPDATE, so two workers never run the
same attempt; completing is conditional on still holding the lease, so a job never
completes twice even when a worker that lost its lease wakes up. An expired lease makes
the job runnable again; attempts are capped, with exponential backoff between them.

Messages are delivered by a `Dispatcher`: an in-process asyncio queue (embedded default)
or a taskiq broker on RabbitMQ or Redis (scale-out, see `platform/broker.py`). Rows whose
message was never handed to a broker (`published_at` is NULL: the broker was down) and
rows whose lease expired are found again by `JobStore.due()` — every worker sweeps them on
start and periodically, which makes the jobs table its own outbox.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol

from sqlalchemy import (
    JSON,
    Index,
    Integer,
    String,
    Text,
    Uuid,
    and_,
    bindparam,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import Mapped, mapped_column

from cvlens.platform.db import Base, UTCDateTime, run_in_transaction, run_sync, utcnow


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class Job(Base):
    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_status_available_at", "status", "available_at"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    kind: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default=JobStatus.QUEUED)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    stage: Mapped[str | None] = mapped_column(String(32), default=None)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=3)
    lease_owner: Mapped[str | None] = mapped_column(String(64), default=None)
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    available_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    error_type: Mapped[str | None] = mapped_column(String(64), default=None)
    error_message: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # The legacy optimization's integer id (features/legacy_v1); NULL otherwise.
    legacy_id: Mapped[int | None] = mapped_column(Integer, unique=True)


@dataclass(frozen=True)
class JobSnapshot:
    """What progress events and API reads show of a job."""

    id: uuid.UUID
    status: str
    progress: int
    stage: str | None
    attempts: int
    error_type: str | None
    error_message: str | None

    @classmethod
    def of(cls, job: Job) -> JobSnapshot:
        return cls(
            job.id,
            job.status,
            job.progress,
            job.stage,
            job.attempts,
            job.error_type,
            job.error_message,
        )

    def as_event(self) -> dict[str, Any]:
        event: dict[str, Any] = {
            "id": str(self.id),
            "status": self.status,
            "progress": self.progress,
            "stage": self.stage,
        }
        if self.error_type:
            event["error"] = {"type": self.error_type, "message": self.error_message}
        return event


@dataclass(frozen=True)
class ClaimedJob:
    """What a worker holds of a job it claimed (the row as the claim left it)."""

    id: uuid.UUID
    kind: str
    payload: dict[str, Any]
    status: str
    progress: int
    stage: str | None
    attempts: int
    lease_owner: str | None

    def snapshot(self) -> JobSnapshot:
        return JobSnapshot(
            self.id, self.status, self.progress, self.stage, self.attempts, None, None
        )


class Dispatcher(Protocol):
    """Hands "run job N" to whoever runs jobs. Delivery may repeat; claiming dedupes."""

    async def publish(self, job_id: uuid.UUID) -> None: ...


def backoff(attempts: int, base_seconds: float = 2.0, cap_seconds: float = 300.0) -> timedelta:
    return timedelta(seconds=min(cap_seconds, base_seconds * 2 ** max(0, attempts - 1)))


def new_job_values(
    kind: str, payload: dict[str, Any], *, max_attempts: int, published: bool = False
) -> dict[str, Any]:
    """A queued job's column values; `published` when its message goes to an in-process
    dispatcher. Insert them with `INSERT_JOB` (Core) or build a `Job` from them."""
    now = utcnow()
    return {
        "id": uuid.uuid4(),
        "kind": kind,
        "payload": payload,
        "status": JobStatus.QUEUED,
        "progress": 0,
        "attempts": 0,
        "max_attempts": max_attempts,
        "available_at": now,
        "published_at": now if published else None,
        "created_at": now,
        "updated_at": now,
    }


def new_job(
    kind: str, payload: dict[str, Any], *, max_attempts: int, published: bool = False
) -> Job:
    """A queued job; `published` when its message goes to an in-process dispatcher."""
    return Job(**new_job_values(kind, payload, max_attempts=max_attempts, published=published))


INSERT_JOB = insert(Job)


# The hot state changes and reads, built once with bound parameters: building a statement
# and its cache key costs more Python than running it. They run as Core statements on a
# connection, not through the ORM session (which would re-evaluate each UPDATE's WHERE
# clause against the objects it holds). Parameter names differ from column names, which
# SQLAlchemy reserves in SET clauses.
_NOW = bindparam("now_", type_=UTCDateTime())
_LEASE_UNTIL = bindparam("lease_until", type_=UTCDateTime())
_HELD = (
    Job.id == bindparam("job_id", type_=Uuid()),
    Job.status == JobStatus.RUNNING,
    Job.lease_owner == bindparam("worker", type_=String()),
)
_CLAIM = (
    update(Job)
    .where(
        Job.id == bindparam("job_id", type_=Uuid()),
        or_(
            and_(Job.status == JobStatus.QUEUED, Job.available_at <= _NOW),
            and_(Job.status == JobStatus.RUNNING, Job.lease_expires_at < _NOW),
        ),
        Job.attempts < Job.max_attempts,
    )
    .values(
        status=JobStatus.RUNNING,
        lease_owner=bindparam("worker", type_=String()),
        lease_expires_at=_LEASE_UNTIL,
        attempts=Job.attempts + 1,
        progress=5,
        stage="starting",
        error_type=None,
        error_message=None,
        updated_at=_NOW,
    )
    .returning(
        Job.id,
        Job.kind,
        Job.payload,
        Job.status,
        Job.progress,
        Job.stage,
        Job.attempts,
        Job.lease_owner,
    )
)
_RENEW = update(Job).where(*_HELD).values(lease_expires_at=_LEASE_UNTIL, updated_at=_NOW)
_RENEW_WITH_PROGRESS = _RENEW.values(
    progress=func.coalesce(bindparam("progress_", type_=Integer()), Job.progress),
    stage=func.coalesce(bindparam("stage_", type_=String()), Job.stage),
)
_FINISH = (
    update(Job)
    .where(*_HELD)
    .values(
        status=JobStatus.SUCCEEDED,
        progress=100,
        stage="done",
        lease_owner=None,
        lease_expires_at=None,
        finished_at=_NOW,
        updated_at=_NOW,
    )
)
_SNAPSHOT = select(
    Job.id,
    Job.status,
    Job.progress,
    Job.stage,
    Job.attempts,
    Job.error_type,
    Job.error_message,
).where(Job.id == bindparam("job_id", type_=Uuid()))


def _bound_engine(sessionmaker: async_sessionmaker[AsyncSession]) -> AsyncEngine:
    bind = sessionmaker.kw.get("bind")
    if not isinstance(bind, AsyncEngine):
        raise TypeError("JobStore needs a sessionmaker bound to an AsyncEngine")
    return bind


class JobStore:
    """Every state change of a job, each one short transaction of its own."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], lease_seconds: int) -> None:
        self.sessionmaker = sessionmaker
        self.engine = _bound_engine(sessionmaker)
        self.lease = timedelta(seconds=lease_seconds)

    async def get(self, job_id: uuid.UUID) -> JobSnapshot | None:
        def read(conn: Connection) -> JobSnapshot | None:
            row = conn.execute(_SNAPSHOT, {"job_id": job_id}).one_or_none()
            return JobSnapshot(*row) if row is not None else None

        return await run_sync(self.engine, read)

    async def claim(self, job_id: uuid.UUID, worker: str) -> ClaimedJob | None:
        """Take the job if it is runnable: queued and due, or running with an expired lease."""
        now = utcnow()
        params = {"job_id": job_id, "worker": worker, "now_": now, "lease_until": now + self.lease}

        def take(conn: Connection) -> ClaimedJob | None:
            row = conn.execute(_CLAIM, params).one_or_none()
            return ClaimedJob(*row) if row is not None else None

        return await run_in_transaction(self.engine, take)

    async def heartbeat(
        self,
        job_id: uuid.UUID,
        worker: str,
        *,
        progress: int | None = None,
        stage: str | None = None,
    ) -> bool:
        """Renew the lease (and record progress); False when the lease was lost."""
        now = utcnow()
        params: dict[str, Any] = {
            "job_id": job_id,
            "worker": worker,
            "now_": now,
            "lease_until": now + self.lease,
        }
        statement = _RENEW
        if progress is not None or stage is not None:
            statement = _RENEW_WITH_PROGRESS
            params.update(progress_=progress, stage_=stage)
        return await run_in_transaction(
            self.engine, lambda conn: bool(conn.execute(statement, params).rowcount)
        )

    async def complete(
        self, job_id: uuid.UUID, worker: str, write: Callable[[Connection], object]
    ) -> bool:
        """Write the result and mark the job succeeded, in one transaction.

        `write` runs synchronous Core statements on the transaction's connection. Returns
        False, with nothing written, when the lease was lost.
        """

        def finish(conn: Connection) -> bool:
            write(conn)
            params = {"job_id": job_id, "worker": worker, "now_": utcnow()}
            if conn.execute(_FINISH, params).rowcount:
                return True
            conn.rollback()
            return False

        return await run_in_transaction(self.engine, finish)

    async def fail(
        self, job_id: uuid.UUID, worker: str, error_type: str, message: str, *, retry: bool
    ) -> JobSnapshot | None:
        """Record a failed attempt: back to `queued` after a backoff, or `failed` for good."""
        now = utcnow()
        async with self.sessionmaker() as session, session.begin():
            job = (
                await session.execute(
                    select(Job)
                    .where(
                        Job.id == job_id,
                        Job.status == JobStatus.RUNNING,
                        Job.lease_owner == worker,
                    )
                    .with_for_update()
                )
            ).scalar_one_or_none()
            if job is None:
                return None
            job.lease_owner = None
            job.lease_expires_at = None
            job.error_type = error_type
            job.error_message = message
            job.updated_at = now
            if retry and job.attempts < job.max_attempts:
                job.status = JobStatus.QUEUED
                job.available_at = now + backoff(job.attempts)
                job.published_at = None
            else:
                job.status = JobStatus.FAILED
                job.finished_at = now
            return JobSnapshot.of(job)

    async def due(self, *, republish_before: datetime, limit: int = 100) -> list[uuid.UUID]:
        """Jobs that need a message.

        Never published (broker was down), due again after a backoff, published before
        `republish_before` but still unclaimed (message lost), or running with an expired
        lease (worker died).
        """
        now = utcnow()
        needs_message = or_(
            and_(
                Job.status == JobStatus.QUEUED,
                Job.available_at <= now,
                or_(
                    Job.published_at.is_(None),
                    Job.published_at < Job.available_at,
                    Job.published_at < republish_before,
                ),
            ),
            and_(Job.status == JobStatus.RUNNING, Job.lease_expires_at < now),
        )
        async with self.sessionmaker() as session:
            rows = await session.execute(select(Job.id).where(needs_message).limit(limit))
            return list(rows.scalars())

    async def give_up_exhausted(self) -> list[JobSnapshot]:
        """Fail jobs whose lease expired on their last allowed attempt (worker kept dying)."""
        now = utcnow()
        async with self.sessionmaker() as session, session.begin():
            jobs = (
                await session.execute(
                    select(Job).where(
                        Job.status == JobStatus.RUNNING,
                        Job.lease_expires_at < now,
                        Job.attempts >= Job.max_attempts,
                    )
                )
            ).scalars()
            snapshots = []
            for job in jobs:
                job.status = JobStatus.FAILED
                job.error_type = "worker_lost"
                job.error_message = (
                    f"the worker running this job stopped {job.attempts} times; giving up"
                )
                job.lease_owner = None
                job.lease_expires_at = None
                job.finished_at = now
                snapshots.append(JobSnapshot.of(job))
            return snapshots

    async def mark_published(self, job_ids: Sequence[uuid.UUID]) -> None:
        if not job_ids:
            return
        async with self.sessionmaker() as session, session.begin():
            await session.execute(
                update(Job).where(Job.id.in_(job_ids)).values(published_at=utcnow())
            )
