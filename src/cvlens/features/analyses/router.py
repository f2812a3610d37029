from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Annotated

import orjson
from fastapi import (
    APIRouter,
    BackgroundTasks,
    Query,
    Request,
    Response,
    WebSocket,
    WebSocketDisconnect,
    status,
)
from fastapi.responses import StreamingResponse

from cvlens.features.analyses import service
from cvlens.features.analyses.schemas import (
    AnalysisAccepted,
    AnalysisCreate,
    AnalysisPage,
    AnalysisRead,
)
from cvlens.features.auth.deps import CurrentUser
from cvlens.features.auth.websocket import websocket_credentials, websocket_user
from cvlens.platform.db import SessionDep
from cvlens.platform.errors import ProblemError
from cvlens.platform.jobs import JobStatus
from cvlens.platform.resources import ResourcesDep
from cvlens.runtime import DispatcherDep, dispatch_after_commit, queued_on_commit

router = APIRouter(prefix="/api/v1/analyses", tags=["analyses"])


@router.post("", status_code=status.HTTP_202_ACCEPTED)
async def create_analysis(
    body: AnalysisCreate,
    user: CurrentUser,
    session: SessionDep,
    resources: ResourcesDep,
    dispatcher: DispatcherDep,
    response: Response,
    background: BackgroundTasks,
) -> AnalysisAccepted:
    """Queue an analysis of one of your résumés; watch it at `links.events` or poll `links.self`."""
    analysis_id = await service.create_analysis(
        session,
        user,
        body.resume_id,
        body.job_description,
        max_attempts=resources.settings.job_max_attempts,
        published=queued_on_commit(dispatcher),
    )
    dispatch_after_commit(session, dispatcher, resources.jobs, background, analysis_id)
    links = service.links(analysis_id, body.resume_id)
    response.headers["Location"] = links.self
    return AnalysisAccepted(id=analysis_id, status=JobStatus.QUEUED, links=links)


@router.get("")
async def list_analyses(
    user: CurrentUser,
    session: SessionDep,
    resume_id: uuid.UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> AnalysisPage:
    rows, total = await service.list_analyses(
        session, user, resume_id=resume_id, limit=limit, offset=offset
    )
    return AnalysisPage(
        items=[service.to_read(a, j) for a, j in rows], total=total, limit=limit, offset=offset
    )


@router.get("/{analysis_id}")
async def get_analysis(
    analysis_id: uuid.UUID, user: CurrentUser, session: SessionDep
) -> AnalysisRead:
    return service.to_read(*await service.get_analysis(session, user, analysis_id))


@router.get(
    "/{analysis_id}/events",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def analysis_events_sse(
    analysis_id: uuid.UUID,
    user: CurrentUser,
    session: SessionDep,
    resources: ResourcesDep,
    request: Request,
) -> StreamingResponse:
    """Server-Sent Events (send `Accept: text/event-stream`): the current state, then changes.

    The same path also answers WebSocket upgrades with the same events as JSON messages.
    """
    if "text/event-stream" not in request.headers.get("accept", ""):
        raise ProblemError(
            406,
            "not-acceptable",
            "ask for Server-Sent Events with 'Accept: text/event-stream', "
            "or open a WebSocket on this path",
        )
    await service.check_owned(session, user, analysis_id)

    async def stream() -> AsyncIterator[bytes]:
        async for event in service.watch(
            resources.events,
            resources.jobs,
            analysis_id,
            poll_seconds=resources.settings.events_poll_seconds,
        ):
            yield b"event: status\ndata: " + orjson.dumps(event) + b"\n\n"

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


@router.websocket("/{analysis_id}/events")
async def analysis_events_ws(websocket: WebSocket, analysis_id: uuid.UUID) -> None:
    """WebSocket: authenticate with `?access_token=…` or the `bearer, <token>` subprotocol.

    Messages are the same JSON events as the SSE stream; the server closes with 1000 after
    the final one, 4401 for a missing or bad token and 4404 for an analysis that is not yours.
    """
    credentials = websocket_credentials(websocket)
    await websocket.accept(subprotocol=credentials.subprotocol)
    user = await websocket_user(websocket, credentials.token)
    if user is None:
        return
    resources = websocket.app.state.resources
    async with resources.sessionmaker() as session:
        try:
            await service.check_owned(session, user, analysis_id)
        except ProblemError:
            await websocket.close(code=4404, reason="analysis not found")
            return
    try:
        async for event in service.watch(
            resources.events,
            resources.jobs,
            analysis_id,
            poll_seconds=resources.settings.events_poll_seconds,
        ):
            await websocket.send_json(event)
        await websocket.close(code=1000)
    except WebSocketDisconnect:
        return
