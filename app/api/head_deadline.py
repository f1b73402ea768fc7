"""A deadline and a size limit for a request's head, and a pace for taking the answer:
uvicorn's HTTP protocol, closing a connection whose request line and headers do not arrive in
time or grow too large, or whose client does not take its answer.

uvicorn times out only idle keep-alive connections: a client that sends half a header and then
a byte now and then keeps its connection (a socket, a file descriptor) open for as long as it
likes, and a few hundred such clients hold every descriptor the server has. Here the clock
starts when the connection opens, and again with the first byte of each further request on
it; the head must be complete within ``timeout_s``. (The body has its own deadline:
``body_deadline.py``.)

uvicorn's httptools protocol also keeps every header byte it is sent, without a limit: one
client sent 200 MiB of headers in two seconds and the server's memory grew by as much, and
did not shrink. Here a head that has grown past ``MAX_HEAD_BYTES`` and is still incomplete
gets ``431`` and the connection is closed. Bytes are counted as they are read (a read is at
most 256 KiB): every read that starts and ends inside a head counts whole; the read a head
begins in does not, so no byte of a previous request's body is ever counted.

The answer, last, must be taken: a client that asks and never reads keeps the unsent part of
each answer in the server's memory (thirty such requests for a 7 MiB graph held 235 MiB for
as long as the client liked; the rate limit and the per-client share end when the route
returns, not when the answer is sent). While writing to a connection is paused (more is
waiting than the client has taken), the client must take at least ``MIN_TAKEN_BYTES`` in
each ``timeout_s``; otherwise the connection is dropped with what it had not taken.
"""

from __future__ import annotations

import asyncio

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

# nginx allows 32 KiB of headers by default, Node.js 16 KiB; browsers send a few KiB.
MAX_HEAD_BYTES = 64 * 1024
# What a client must take of an answer in each head_timeout_s while writing is paused
# (6.4 KB/s with the default 10 s: a slow mobile link takes ten times that).
MIN_TAKEN_BYTES = 64 * 1024

_TOO_LARGE = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
    b"content-type: text/plain; charset=utf-8\r\n"
    b"connection: close\r\n"
    b"content-length: %d\r\n\r\n%s"
)


class HeadDeadlineProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a deadline and a size limit for each request's head,
    and a least pace at which a client must take its answers."""

    head_timeout_s: float = 10.0

    _head_timer: asyncio.TimerHandle | None = None
    _cycle_at_arming: object = None
    _in_head = False  # the parser has begun a request and not yet finished its head
    _head_bytes = 0
    _send_timer: asyncio.TimerHandle | None = None
    _unsent_at_check = 0

    def connection_made(  # type: ignore[override]
        self, transport: asyncio.Transport
    ) -> None:
        super().connection_made(transport)
        self._arm_head_timer()

    def data_received(self, data: bytes) -> None:
        if self._head_timer is None and (self.cycle is None or self.cycle.response_complete):
            self._arm_head_timer()  # the first byte of a further request on this connection
        if self._in_head:
            self._head_bytes += len(data)  # reset if the head completes within this read
        super().data_received(data)
        if self._head_timer is not None and self.cycle is not self._cycle_at_arming:
            self._cancel_head_timer()  # the head is complete: a request cycle began
        if self._in_head and self._head_bytes > MAX_HEAD_BYTES:
            self._refuse_large_head()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._in_head = True
        self._head_bytes = 0

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._head_bytes = 0
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_head_timer()
        self._cancel_send_timer()
        super().connection_lost(exc)

    def pause_writing(self) -> None:
        super().pause_writing()
        self._watch_unsent()

    def resume_writing(self) -> None:
        self._cancel_send_timer()
        super().resume_writing()

    def _watch_unsent(self) -> None:
        self._cancel_send_timer()
        self._unsent_at_check = self.transport.get_write_buffer_size()
        self._send_timer = self.loop.call_later(self.head_timeout_s, self._check_taken)

    def _check_taken(self) -> None:
        self._send_timer = None
        taken = self._unsent_at_check - self.transport.get_write_buffer_size()
        if taken < MIN_TAKEN_BYTES:
            self.transport.abort()  # close() would wait to send what the client does not take
        else:
            self._watch_unsent()

    def _cancel_send_timer(self) -> None:
        if self._send_timer is not None:
            self._send_timer.cancel()
            self._send_timer = None

    def _arm_head_timer(self) -> None:
        self._cycle_at_arming = self.cycle
        self._head_timer = self.loop.call_later(self.head_timeout_s, self._head_too_slow)

    def _cancel_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_too_slow(self) -> None:
        self._head_timer = None
        if not self.transport.is_closing():
            self.transport.close()

    def _refuse_large_head(self) -> None:
        self._in_head = False
        self._cancel_head_timer()
        if not self.transport.is_closing():
            message = b"request head over %d bytes" % MAX_HEAD_BYTES
            self.transport.write(_TOO_LARGE % (len(message), message))
            self.transport.close()


def head_deadline_protocol(timeout_s: float) -> type[HeadDeadlineProtocol]:
    """The protocol class with ``timeout_s`` as its deadline (uvicorn builds one per
    connection from the class alone)."""
    return type("HeadDeadlineProtocol", (HeadDeadlineProtocol,), {"head_timeout_s": timeout_s})
