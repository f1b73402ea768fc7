"""The wire between the server and a drawing process: length-prefixed frames on the process's
stdin and stdout.

A frame is its length (4 bytes, big-endian), then that many bytes: a JSON header line, then
raw bytes the header gives the length of.

- The process first sends ``{"ready": true}``.
- A request: ``{"dot": bool, "svg": bool, "timeout_s": float}``, then the graph's JSON: the
  part a drawing reads (``app/draw/drawn_part.py``), or the graph as the worker sent it.
- An answer: ``{"error": str | null, "rss_mb": float, "dot_bytes": int, "svg_bytes": int}``,
  then the DOT's and the SVG's UTF-8 text. Text never goes through JSON: a 30 MB SVG is
  mostly quotes, which JSON would escape.
"""

from __future__ import annotations

import asyncio
import json
import struct
from dataclasses import dataclass
from typing import Any, BinaryIO

_LENGTH = struct.Struct(">I")
# An answer's DOT and SVG together; a larger drawing is answered with an error instead.
MAX_DRAWING_BYTES = 64 * 2**20
# Past this, what a drawing process sent is not an answer (its header is a few hundred bytes).
_MAX_FRAME_BYTES = MAX_DRAWING_BYTES + 64 * 1024


class MalformedFrame(ValueError):
    """What a drawing process sent is not a frame of this protocol."""


@dataclass(frozen=True)
class Drawing:
    """What a drawing request gives: the DOT and SVG asked for, or why they are missing."""

    dot: str | None
    svg: str | None
    error: str | None
    rss_mb: float = 0.0


def frame(header: dict[str, Any], *payload: bytes) -> bytes:
    """One frame: ``header`` as a JSON line, then the payload."""
    head = json.dumps(header).encode() + b"\n"
    size = len(head) + sum(len(part) for part in payload)
    return b"".join((_LENGTH.pack(size), head, *payload))


def split(body: bytes) -> tuple[dict[str, Any], bytes]:
    """A frame's header and the bytes after it."""
    head, _, rest = body.partition(b"\n")
    header = json.loads(head)
    if not isinstance(header, dict):
        raise MalformedFrame("a frame's header is not a JSON object")
    return header, rest


def request(
    graph_json: bytes, *, dot: bool, svg: bool, timeout_s: float, lang: str = "en"
) -> bytes:
    """A request to draw the graph whose JSON is ``graph_json``, its words in ``lang``."""
    return frame({"dot": dot, "svg": svg, "timeout_s": timeout_s, "lang": lang}, graph_json)


def answer(dot: bytes | None, svg: bytes | None, error: str | None, rss_mb: float) -> bytes:
    """An answer frame: the DOT's and the SVG's UTF-8 (None: not drawn)."""
    header = {
        "error": error,
        "rss_mb": rss_mb,
        "dot_bytes": None if dot is None else len(dot),
        "svg_bytes": None if svg is None else len(svg),
    }
    return frame(header, dot or b"", svg or b"")


def read_answer(body: bytes) -> Drawing:
    """The drawing in an answer frame's bytes (raises MalformedFrame)."""
    try:
        header, rest = split(body)
        dot_size, svg_size = header["dot_bytes"], header["svg_bytes"]
        dot = rest[:dot_size].decode() if dot_size is not None else None
        start = dot_size or 0
        svg = rest[start : start + svg_size].decode() if svg_size is not None else None
        error = header["error"]
        rss_mb = float(header["rss_mb"])
    except (ValueError, KeyError, TypeError) as exc:
        raise MalformedFrame(str(exc)) from exc
    if error is not None and not isinstance(error, str):
        raise MalformedFrame("an answer's error is not text")
    return Drawing(dot, svg, error, rss_mb)


async def read_frame(reader: asyncio.StreamReader) -> bytes:
    """The next frame's bytes (raises ``asyncio.IncompleteReadError`` at the end of the stream,
    MalformedFrame if it announces more than an answer may hold)."""
    (size,) = _LENGTH.unpack(await reader.readexactly(_LENGTH.size))
    if size > _MAX_FRAME_BYTES:
        raise MalformedFrame(f"a frame of {size} bytes")
    return await reader.readexactly(size)


def read_frame_from(stream: BinaryIO) -> bytes | None:
    """The next frame's bytes from a blocking stream; None at its end."""
    prefix = _read_exactly(stream, _LENGTH.size)
    if prefix is None:
        return None
    (size,) = _LENGTH.unpack(prefix)
    return _read_exactly(stream, size)


def _read_exactly(stream: BinaryIO, size: int) -> bytes | None:
    parts = []
    left = size
    while left:
        part = stream.read(left)
        if not part:
            return None
        parts.append(part)
        left -= len(part)
    return b"".join(parts)
