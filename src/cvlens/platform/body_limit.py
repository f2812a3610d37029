"""Refuse request bodies over a cap while they stream in, not after they were buffered.

A declared `Content-Length` over the cap is refused before reading a byte; a body that
streams past the cap (chunked, or lying about its length) is cut off at the cap. Either
way the client gets a 413 problem+json and the app never holds more than the cap.
"""

from __future__ import annotations

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class _BodyTooLargeError(Exception):
    pass


def _problem(limit: int) -> bytes:
    return orjson.dumps(
        {
            "type": "https://cvlens.dev/problems/payload-too-large",
            "title": "Content Too Large",
            "status": 413,
            "detail": f"the request body is larger than the limit of {limit} bytes",
        }
    )


class BodySizeLimitMiddleware:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > self.max_bytes:
                await self._refuse(send)
                return
        received = 0
        exceeded = False
        refused = False

        async def limited_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    exceeded = True
                    raise _BodyTooLargeError
            return message

        async def guarded_send(message: Message) -> None:
            # A framework may swallow the error raised from receive() and answer something
            # else (e.g. 422 for a form it could not finish reading): answer 413 instead.
            nonlocal refused
            if exceeded:
                if not refused:
                    refused = True
                    await self._refuse(send)
                return
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except _BodyTooLargeError:
            if not refused:
                refused = True
                await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = _problem(self.max_bytes)
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/problem+json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
