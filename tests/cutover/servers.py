"""Real HTTP servers on loopback for the gateway tests: uvicorn in a background thread."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect


class ServerThread:
    """Runs an ASGI app with uvicorn on an ephemeral 127.0.0.1 port in its own thread."""

    def __init__(self, app: Any, http: Any = "auto", **options: Any) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port: int = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        settings: dict[str, Any] = {"http": http, "access_log": False, "proxy_headers": False}
        settings.update(options)
        config = uvicorn.Config(app, lifespan="on", log_level="warning", **settings)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        asyncio.run(self.server.serve(sockets=[self.sock]))

    def start(self) -> ServerThread:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("test server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()


class Backend:
    """A small configurable backend standing for legacy or new.

    `fail` makes every /api call answer 500; `payload` customises /api/items JSON;
    `stamp` adds a fresh timestamp per response (a field that is always noise).
    """

    def __init__(
        self,
        name: str,
        *,
        payload: Callable[[str], dict[str, Any]] | None = None,
        stamp: bool = False,
    ) -> None:
        self.name = name
        self.url = ""
        self.fail = False
        self.delay = 0.0
        self.stamp = stamp
        self.payload = payload or (lambda item: {"id": item, "name": f"item {item}"})
        self.requests: list[dict[str, Any]] = []
        self.ws_close_codes: list[int] = []
        self.app = Starlette(
            routes=[
                Route("/api/items/{item}", self.item, methods=["GET", "POST", "PUT"]),
                Route("/api/echo", self.echo, methods=["GET", "POST", "PUT", "DELETE"]),
                Route("/api/stream", self.stream, methods=["GET"]),
                Route("/api/{rest:path}", self.anything, methods=["GET", "POST"]),
                WebSocketRoute("/ws/echo", self.ws_echo),
            ]
        )

    def _note(self, request: Request, body: bytes = b"") -> None:
        self.requests.append(
            {
                "method": request.method,
                "path": request.url.path,
                "query": request.url.query,
                "headers": dict(request.headers),
                "body": body,
            }
        )

    async def item(self, request: Request) -> Response:
        self._note(request, await request.body())
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.fail:
            return JSONResponse({"error": "boom"}, status_code=500)
        data = self.payload(request.path_params["item"])
        if self.stamp:
            data["generated_at"] = time.time_ns()
        return JSONResponse(data, headers={"X-Served-By": self.name})

    async def echo(self, request: Request) -> Response:
        body = await request.body()
        self._note(request, body)
        if self.fail:
            return JSONResponse({"error": "boom"}, status_code=500)
        return Response(
            body,
            media_type=request.headers.get("content-type", "application/octet-stream"),
            headers={"X-Served-By": self.name, "Connection": "close, X-Private", "X-Private": "1"},
        )

    async def stream(self, request: Request) -> Response:
        self._note(request)

        async def chunks() -> Any:
            for index in range(5):
                yield f"chunk-{index};".encode()
                await asyncio.sleep(0)

        return StreamingResponse(chunks(), media_type="text/plain")

    async def anything(self, request: Request) -> Response:
        self._note(request, await request.body())
        if self.fail:
            return JSONResponse({"error": "boom"}, status_code=500)
        return JSONResponse({"backend": self.name, "path": request.url.path})

    async def ws_echo(self, websocket: WebSocket) -> None:
        protocols = websocket.scope.get("subprotocols") or []
        await websocket.accept(subprotocol=protocols[0] if protocols else None)
        try:
            while True:
                message = await websocket.receive()
                if message["type"] == "websocket.disconnect":
                    self.ws_close_codes.append(message.get("code", 1000))
                    return
                text = message.get("text")
                if text is not None and text.startswith("close:"):
                    await websocket.close(code=int(text.split(":")[1]))
                    return
                if text is not None:
                    await websocket.send_text(f"{self.name}:{text}")
                elif message.get("bytes") is not None:
                    await websocket.send_bytes(message["bytes"][::-1])
        except WebSocketDisconnect:
            return


def free_port() -> int:
    """A loopback port nothing listens on (for a backend that is down)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port
