"""A deadline for a request's body: a client that sends it too slowly gets 408 and the
connection is closed, instead of holding the connection (and what reads the body) open.

The head (request line and headers) has its own deadline in the HTTP protocol
(``app/api/head_deadline.py``); this one runs from the moment the app sees the request to the
body's last byte.
"""

from __future__ import annotations

import asyncio

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyTooSlow(HTTPException):
    """The body did not arrive within the deadline (FastAPI passes an ``HTTPException`` raised
    while it reads the body on to the handlers; ``errors.py`` answers it)."""

    def __init__(self, timeout_s: float) -> None:
        super().__init__(
            408,
            f"the request body did not arrive within {timeout_s:g} s",
            headers={"Connection": "close"},  # the rest of a body may still be on its way
        )


class BodyDeadline:
    """ASGI middleware: the body's last byte must arrive ``timeout_s`` after the request."""

    def __init__(self, app: ASGIApp, timeout_s: float) -> None:
        self.app = app
        self.timeout_s = timeout_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        deadline = asyncio.get_running_loop().time() + self.timeout_s
        complete = False

        async def timed_receive() -> Message:
            nonlocal complete
            if complete:  # the body is in; what follows (a disconnect) may come at any time
                return await receive()
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                raise BodyTooSlow(self.timeout_s) from None
            complete = message["type"] != "http.request" or not message.get("more_body", False)
            return message

        await self.app(scope, timed_receive, send)
