"""A deadline for a request's head: uvicorn's HTTP protocol, closing a connection whose request
line and headers do not arrive in time.

uvicorn times out only idle keep-alive connections: a client that sends half a header and then
a byte now and then keeps its connection (a socket, a file descriptor) open for as long as it
likes, and a few hundred such clients hold every descriptor the server has. Here the clock
starts when the connection opens, and again with the first byte of each further request on
it; the head must be complete within ``timeout_s``. (The body has its own deadline:
``body_deadline.py``.)
"""

from __future__ import annotations

import asyncio

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


class HeadDeadlineProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a deadline for each request's head."""

    head_timeout_s: float = 10.0

    _head_timer: asyncio.TimerHandle | None = None
    _cycle_at_arming: object = None

    def connection_made(  # type: ignore[override]
        self, transport: asyncio.Transport
    ) -> None:
        super().connection_made(transport)
        self._arm_head_timer()

    def data_received(self, data: bytes) -> None:
        if self._head_timer is None and (self.cycle is None or self.cycle.response_complete):
            self._arm_head_timer()  # the first byte of a further request on this connection
        super().data_received(data)
        if self._head_timer is not None and self.cycle is not self._cycle_at_arming:
            self._cancel_head_timer()  # the head is complete: a request cycle began

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_head_timer()
        super().connection_lost(exc)

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


def head_deadline_protocol(timeout_s: float) -> type[HeadDeadlineProtocol]:
    """The protocol class with ``timeout_s`` as its deadline (uvicorn builds one per
    connection from the class alone)."""
    return type("HeadDeadlineProtocol", (HeadDeadlineProtocol,), {"head_timeout_s": timeout_s})
