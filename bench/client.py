"""A minimal HTTP/1.1 keep-alive client over asyncio streams, for loopback load only.

httpx costs about as much CPU per request as the server's cached path does; on a 2-core
machine a heavy client would take the cores the server is being measured on. This client
writes a request and reads ``Content-Length`` (or chunked) bodies, nothing more.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass
from typing import Any

from tools.live_server import HOST

GRAPH = "/api/graph"


@dataclass
class HttpResponse:
    """Status, lower-cased headers, body, and the time from sending to the last byte."""

    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    def json(self) -> Any:
        """The body parsed as JSON."""
        return json.loads(self.body)

    def server_timing(self) -> dict[str, float]:
        """The durations (ms) in the answer's ``Server-Timing`` header, by metric name."""
        durations: dict[str, float] = {}
        for metric in self.headers.get("server-timing", "").split(","):
            name, _, params = metric.strip().partition(";")
            for param in params.split(";"):
                key, _, value = param.partition("=")
                if key.strip() == "dur":
                    durations[name] = float(value)
        return durations


class _Unanswered(ConnectionError):
    """The connection closed before a byte of the answer came."""


class HttpConnection:
    """One persistent connection to ``host:port`` (127.0.0.1 unless told); reconnects after the
    server closes it."""

    def __init__(self, port: int, timeout_s: float = 60.0, host: str = HOST) -> None:
        self.host = host
        self.port = port
        self.timeout_s = timeout_s
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def request(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> HttpResponse:
        """Send one request and read the whole answer (raises on time-out or a dropped link).

        A kept-alive connection the server closed while it was idle (uvicorn closes them after
        5 s, and a benchmark may think longer than that between two requests) answers nothing:
        the request is sent again once, on a new connection.
        """
        reused = self._writer is not None
        try:
            return await self._request_once(method, path, body, headers or {})
        except _Unanswered:
            if not reused:
                raise
        return await self._request_once(method, path, body, headers or {})

    async def _request_once(
        self, method: str, path: str, body: bytes, headers: dict[str, str]
    ) -> HttpResponse:
        try:
            exchange = self._exchange(method, path, body, headers)
            return await asyncio.wait_for(exchange, self.timeout_s)
        except BaseException:
            await self.close()
            raise

    async def post_json(
        self, path: str, payload: dict[str, Any], headers: dict[str, str] | None = None
    ) -> HttpResponse:
        """POST ``payload`` as JSON (with ``headers`` added to the usual ones)."""
        return await self.request("POST", path, json.dumps(payload).encode(), headers)

    async def close(self) -> None:
        """Close the connection (the next request opens a new one)."""
        writer, self._reader, self._writer = self._writer, None, None
        if writer is not None:
            writer.close()
            try:
                await writer.wait_closed()
            except (ConnectionError, OSError):
                pass

    async def _exchange(
        self, method: str, path: str, body: bytes, headers: dict[str, str]
    ) -> HttpResponse:
        if self._writer is None:
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        assert self._reader is not None and self._writer is not None
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            + "".join(f"{name}: {value}\r\n" for name, value in headers.items())
            + "\r\n"
        )
        started = time.perf_counter()
        try:
            self._writer.write(head.encode() + body)
            await self._writer.drain()
            head_bytes = await self._reader.readuntil(b"\r\n\r\n")
        except (ConnectionResetError, BrokenPipeError) as exc:
            raise _Unanswered from exc
        except asyncio.IncompleteReadError as exc:
            if exc.partial:
                raise
            raise _Unanswered from exc
        status, answer_headers = _parse_head(head_bytes)
        if answer_headers.get("transfer-encoding", "").lower() == "chunked":
            content = await _read_chunked(self._reader)
        else:
            length = int(answer_headers.get("content-length", "0"))
            content = await self._reader.readexactly(length)
        seconds = time.perf_counter() - started
        if answer_headers.get("connection", "").lower() == "close":
            await self.close()
        return HttpResponse(status, answer_headers, content, seconds)


def _parse_head(raw: bytes) -> tuple[int, dict[str, str]]:
    lines = raw.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    return status, headers


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    parts: list[bytes] = []
    while True:
        length = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
        if length == 0:
            await reader.readuntil(b"\r\n")
            return b"".join(parts)
        parts.append(await reader.readexactly(length))
        await reader.readexactly(2)
