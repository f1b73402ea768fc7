"""The benchmark's keep-alive client (bench/client.py) against a server that closes a
connection once it has answered one request, as uvicorn closes idle kept-alive connections."""

from __future__ import annotations

import asyncio

import pytest

from bench.client import HttpConnection
from tests.event_loop import run as run_coroutine

ANSWER = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"


async def _serve(close_after: int, half: bool = False) -> tuple[asyncio.Server, list[bytes]]:
    """A server on 127.0.0.1 answering each connection's first `close_after` requests, then
    closing it silently (or, with `half`, after sending half an answer's head)."""
    seen: list[bytes] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        answered = 0
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = int(head.split(b"Content-Length: ")[1].split(b"\r\n")[0])
                seen.append(await reader.readexactly(length))
                if answered == close_after:
                    if half:
                        writer.write(ANSWER[:10])
                        await writer.drain()
                    break
                writer.write(ANSWER)
                await writer.drain()
                answered += 1
        except asyncio.IncompleteReadError:
            pass
        writer.close()

    return await asyncio.start_server(handle, "127.0.0.1", 0), seen


def test_a_request_on_a_connection_the_server_closed_is_sent_again_once() -> None:
    async def run() -> tuple[list[int], list[bytes]]:
        server, seen = await _serve(close_after=1)
        port = server.sockets[0].getsockname()[1]
        connection = HttpConnection(port, timeout_s=5, host="127.0.0.1")
        statuses = [(await connection.post_json("/", {"n": 1})).status]
        await asyncio.sleep(0.1)  # the server has closed the kept-alive connection by now
        statuses.append((await connection.post_json("/", {"n": 2})).status)
        await connection.close()
        server.close()
        return statuses, seen

    statuses, seen = run_coroutine(run())
    assert statuses == [200, 200]
    assert seen == [b'{"n": 1}', b'{"n": 2}', b'{"n": 2}']  # the second sent twice


def test_an_answer_cut_off_after_it_began_is_not_sent_again() -> None:
    async def run() -> list[bytes]:
        server, seen = await _serve(close_after=0, half=True)
        port = server.sockets[0].getsockname()[1]
        connection = HttpConnection(port, timeout_s=5, host="127.0.0.1")
        with pytest.raises(asyncio.IncompleteReadError):
            await connection.post_json("/", {"n": 1})
        await connection.close()
        server.close()
        return seen

    assert run_coroutine(run()) == [b'{"n": 1}']


def test_a_new_connection_that_answers_nothing_is_not_retried() -> None:
    async def run() -> list[bytes]:
        server, seen = await _serve(close_after=0)
        port = server.sockets[0].getsockname()[1]
        connection = HttpConnection(port, timeout_s=5, host="127.0.0.1")
        with pytest.raises(ConnectionError):
            await connection.post_json("/", {"n": 1})
        server.close()
        return seen

    assert run_coroutine(run()) == [b'{"n": 1}']
