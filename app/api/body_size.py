"""Refuse request bodies over the size limit with 413 before reading them whole."""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.hints.refusal_text import chinese


class BodySizeLimit:
    """ASGI middleware: 413 when Content-Length, or the bytes actually sent, pass ``max_bytes``."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            await self._refuse(send)
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except BodyTooLarge:  # raised where no handler answers it
            if not started:
                await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps(
            {
                "error": {
                    "type": "RequestTooLarge",
                    "message": _too_large(self.max_bytes),
                    "message_zh": chinese("RequestTooLarge", _too_large(self.max_bytes)),
                    "line": None,
                    "col": None,
                }
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _too_large(max_bytes: int) -> str:
    return f"request body is over the limit of {max_bytes} bytes"


class BodyTooLarge(HTTPException):
    """The body grew past the limit as it came (FastAPI passes an ``HTTPException`` raised
    while it reads the body on to the handlers; ``errors.py`` answers it)."""

    def __init__(self, max_bytes: int) -> None:
        # Close: the rest of the body may still be on its way.
        super().__init__(413, _too_large(max_bytes), headers={"Connection": "close"})
