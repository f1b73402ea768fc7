"""Gzip with the compressor chosen by the body's size: zlib's level 6 on ordinary answers, ISA-L
(Intel's deflate, through ``isal``) on the large ones.

A 10,000-op chain's answer with its DOT and SVG is 33 MB: zlib's level 6 takes 0.29 s over it
and gives 2.6 MB, its level 1 0.1 s and 3.0 MB, ISA-L's level 2 0.02 s and 3.0 MB (same
machine, one thread). Large bodies are where the time is, and the answer waits for it: from
``large_size`` the body (or a stream's first part) is deflated by ISA-L at ``large_level``.
Smaller ones keep zlib at ``compresslevel`` (6), whose output is 5-8% smaller than ISA-L's on
a 40 KB answer, for a fraction of a millisecond. Bodies from ``thread_minimum_size`` on are
compressed in a thread (Starlette's own rule), off the event loop. A whole body from
``PIECES_FROM`` on is compressed in pieces of ``PIECE_BYTES`` on threads at once, as pigz does
(ISA-L lets go of the GIL): one gzip stream whose deflate blocks of each piece start afresh.
"""

from __future__ import annotations

import struct
from typing import Any

import anyio
import anyio.to_thread
from isal import isal_zlib
from starlette.datastructures import Headers
from starlette.middleware.gzip import GZipMiddleware, GZipResponder
from starlette.types import ASGIApp, Receive, Scope, Send


class GZipBySize(GZipMiddleware):
    """Starlette's gzip, by ISA-L at its ``large_level`` (0 to 3) for a body (or a stream's
    first part) of ``large_size`` bytes or more."""

    def __init__(
        self,
        app: ASGIApp,
        minimum_size: int = 500,
        compresslevel: int = 9,
        *,
        large_size: int,
        large_level: int = 2,
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
    large_level = 2
    _chosen = False
    _large = False
    _large_compressor: Any = None

    @property
    def compressor(self) -> Any:
        """A large body's gzip stream from ISA-L (its flush modes are zlib's numbers), any
        other's from zlib (Starlette's)."""
        if not self._large:
            return super().compressor
        if self._large_compressor is None:
            self._large_compressor = isal_zlib.compressobj(
                self.large_level, isal_zlib.DEFLATED, 16 + isal_zlib.MAX_WBITS
            )
        return self._large_compressor

    async def apply_compression(self, body: bytes, *, more_body: bool) -> bytes:
        if not self._chosen:  # the first part decides, before the compressor is made
            self._chosen = True
            self._large = len(body) >= self.large_size
            if self._large and not more_body and len(body) >= PIECES_FROM:
                return await gzip_in_pieces(body, self.large_level)
        return await super().apply_compression(body, more_body=more_body)


# A whole body of this many bytes or more is compressed in pieces of PIECE_BYTES at once.
PIECES_FROM = 8 * 2**20
PIECE_BYTES = 4 * 2**20
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00"  # deflate, no name, no time


async def gzip_in_pieces(body: bytes, level: int) -> bytes:
    """``body`` as one gzip stream, its pieces deflated by ISA-L at ``level`` (0 to 3) on
    threads at once."""
    view = memoryview(body)
    pieces = [view[start : start + PIECE_BYTES] for start in range(0, len(body), PIECE_BYTES)]
    deflated: list[bytes] = [b""] * len(pieces)
    checksum = [0]

    async def deflate(index: int) -> None:
        last = index == len(pieces) - 1
        deflated[index] = await anyio.to_thread.run_sync(_deflate, pieces[index], level, last)

    async def crc() -> None:
        checksum[0] = await anyio.to_thread.run_sync(isal_zlib.crc32, view)

    async with anyio.create_task_group() as group:
        for index in range(len(pieces)):
            group.start_soon(deflate, index)
        group.start_soon(crc)
    # XFL as ISA-L's own gzip header has it (4 for level 0, else 0); OS 3 (Unix)
    header = _GZIP_HEADER + bytes((4 if level == 0 else 0, 3))
    trailer = struct.pack("<II", checksum[0], len(body) & 0xFFFFFFFF)
    return b"".join((header, *deflated, trailer))


def _deflate(piece: memoryview, level: int, last: bool) -> bytes:
    """A raw deflate of ``piece`` that the next piece's can follow: ended on a byte boundary
    (a sync flush), or, for the last, the final block."""
    compressor = isal_zlib.compressobj(level, isal_zlib.DEFLATED, -isal_zlib.MAX_WBITS)
    ending = isal_zlib.Z_FINISH if last else isal_zlib.Z_SYNC_FLUSH
    return compressor.compress(piece) + compressor.flush(ending)
