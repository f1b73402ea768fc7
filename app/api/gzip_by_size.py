"""Gzip with the level chosen by the body's size: most of level 6's saving on ordinary answers,
a third of its time on the large ones.

A 10,000-op chain's answer with its DOT and SVG is 33 MB: level 6 takes 0.27 s over it, level
1 0.1 s, and gives 3.2 MB (a graph's JSON compresses to about a sixteenth at either level).
Bodies from ``thread_minimum_size`` on are compressed in a thread (Starlette's own rule), so
neither level holds up the event loop; level 1 gives the answer back sooner.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.middleware.gzip import GZipMiddleware, GZipResponder
from starlette.types import ASGIApp, Receive, Scope, Send


class GZipBySize(GZipMiddleware):
    """Starlette's gzip, at ``large_level`` for a body (or a stream's first part) of
    ``large_size`` bytes or more."""

    def __init__(
        self,
        app: ASGIApp,
        minimum_size: int = 500,
        compresslevel: int = 9,
        *,
        large_size: int,
        large_level: int = 1,
    ) -> None:
        super().__init__(app, minimum_size, compresslevel)
        self.large_size = large_size
        self.large_level = large_level

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or "gzip" not in Headers(scope=scope).get("Accept-Encoding", ""):
            await super().__call__(scope, receive, send)
            return
        responder = _LevelBySize(
            self.app,
            self.minimum_size,
            compresslevel=self.compresslevel,
            thread_minimum_size=self.thread_minimum_size,
            exclude_content_types=self.exclude_content_types,
        )
        responder.large_size, responder.large_level = self.large_size, self.large_level
        await responder(scope, receive, send)


class _LevelBySize(GZipResponder):
    large_size = 0
    large_level = 1
    _chosen = False

    async def apply_compression(self, body: bytes, *, more_body: bool) -> bytes:
        if not self._chosen:  # the first part decides, before the compressor is made
            self._chosen = True
            if len(body) >= self.large_size:
                self.compresslevel = self.large_level
        return await super().apply_compression(body, more_body=more_body)
