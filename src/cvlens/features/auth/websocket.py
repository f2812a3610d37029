"""WebSocket authentication: browsers cannot set an Authorization header on a WebSocket.

The access token (or a `cvl_` API token) comes either as `?access_token=…` or as the
subprotocol pair `Sec-WebSocket-Protocol: bearer, <token>`; the server then answers with
the `bearer` subprotocol. A missing or bad token closes the socket with code 4401.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import WebSocket

from cvlens.features.auth.deps import resolve_principal
from cvlens.features.auth.models import User
from cvlens.platform.errors import ProblemError

BEARER_SUBPROTOCOL = "bearer"
UNAUTHORIZED_CLOSE = 4401


@dataclass(frozen=True)
class WebSocketCredentials:
    token: str | None
    subprotocol: str | None


def websocket_credentials(websocket: WebSocket) -> WebSocketCredentials:
    offered = [p.strip() for p in websocket.scope.get("subprotocols", [])]
    if len(offered) >= 2 and offered[0].lower() == BEARER_SUBPROTOCOL:
        return WebSocketCredentials(offered[1], BEARER_SUBPROTOCOL)
    return WebSocketCredentials(websocket.query_params.get("access_token"), None)


async def websocket_user(websocket: WebSocket, token: str | None) -> User | None:
    """The user the token names, or None after closing the (accepted) socket with 4401."""
    if not token:
        await websocket.close(code=UNAUTHORIZED_CLOSE, reason="authentication required")
        return None
    async with websocket.app.state.sessionmaker() as session:
        try:
            principal = await resolve_principal(session, websocket.app.state.auth, token)
        except ProblemError as exc:
            await websocket.close(code=UNAUTHORIZED_CLOSE, reason=exc.detail[:120])
            return None
        await session.commit()
    return principal.user
