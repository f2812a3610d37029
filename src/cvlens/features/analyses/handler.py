"""The worker side of an analysis: read the file, run the engine, store the result."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from sqlalchemy import Uuid, bindparam, select, update
from sqlalchemy.engine import Connection, Row

from cvlens.analysis.errors import AnalysisError
from cvlens.features.analyses.engine import analyze_file
from cvlens.features.analyses.models import Analysis
from cvlens.features.resumes.models import Resume
from cvlens.platform.cpu import CpuTimeoutError
from cvlens.platform.db import run_sync
from cvlens.platform.jobs import ClaimedJob
from cvlens.platform.resources import Resources
from cvlens.platform.storage import BlobNotFoundError
from cvlens.platform.worker import JobHandler, PermanentJobError, Progress, ResultWriter

# Built once, run as Core statements (no ORM session): what the worker reads before the
# engine runs, and the result it writes in the transaction that finishes the job.
_INPUT = (
    select(Analysis.job_description, Resume.filename, Resume.blob_key)
    .join(Resume, Resume.id == Analysis.resume_id)
    .where(Analysis.id == bindparam("analysis_id", type_=Uuid()))
)
_SAVE_RESULT = (
    update(Analysis)
    .where(Analysis.id == bindparam("analysis_id", type_=Uuid()))
    .values(result=bindparam("result_", type_=Analysis.__table__.c.result.type))
)


def analysis_handler(resources: Resources) -> JobHandler:
    settings = resources.settings

    async def pause() -> None:
        if settings.analysis_stage_delay_seconds:
            await asyncio.sleep(settings.analysis_stage_delay_seconds)

    async def handle(job: ClaimedJob, progress: Progress) -> ResultWriter:

        def read(conn: Connection) -> Row[str | None, str, str] | None:
            return conn.execute(_INPUT, {"analysis_id": job.id}).one_or_none()

        row = await run_sync(resources.engine, read)
        if row is None:
            raise PermanentJobError("not_found", "the analysis or its résumé was deleted")
        job_description, filename, blob_key = row
        try:
            data = await resources.blobs.get(blob_key)
        except BlobNotFoundError as exc:
            raise PermanentJobError("file_missing", "the résumé file is no longer stored") from exc
        await pause()

        async def analyse() -> dict[str, Any]:
            await pause()
            try:
                return await resources.cpu.run(
                    settings.analysis_timeout_seconds,
                    analyze_file,
                    data,
                    filename,
                    job_description,
                    settings.max_pages,
                )
            except AnalysisError as exc:
                raise PermanentJobError(exc.code, exc.message) from exc
            except CpuTimeoutError as exc:
                raise PermanentJobError("timeout", str(exc)) from exc

        # Recording the stage is a database write: it runs while the engine works in the
        # CPU pool instead of before it. A lost lease still fails the attempt once the
        # engine returns. The write is never cancelled half-way; when the engine failed,
        # its outcome no longer matters.
        stage = asyncio.create_task(progress(30, "analysing"))
        try:
            result = await analyse()
        except BaseException:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await asyncio.shield(stage)
            raise
        await stage
        await pause()

        def write(conn: Connection) -> None:
            conn.execute(_SAVE_RESULT, {"analysis_id": job.id, "result_": result})

        return write

    return handle
