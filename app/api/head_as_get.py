"""``HEAD`` wherever ``GET`` is served: FastAPI routes answer only the methods they declare, so
a ``HEAD`` (what link checkers, caches and ``curl -I`` send) would be a 405. Here it is
answered as the ``GET`` would be, status and headers (``Content-Length`` included), no body."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGet:
    """Run a ``HEAD`` request as ``GET`` and send the answer without its body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, without_body)
