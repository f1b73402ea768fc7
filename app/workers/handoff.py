"""Idle workers and the requests waiting for one, counted exactly.

A returned worker is handed straight to the request that has waited longest, so a request
that has its worker is never still counted as waiting (``asyncio.Queue`` leaves the item in
the queue until the woken getter runs, and a caller that counts waiters itself counts one
too many in between: a full queue then refuses requests it has room for) and a new arrival
cannot take a worker promised to an older request.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from typing import Generic, TypeVar

T = TypeVar("T")


class HandOff(Generic[T]):
    """Idle items, and the tasks waiting for one, first come first served."""

    def __init__(self) -> None:
        self._idle: deque[T] = deque()
        self._waiters: deque[asyncio.Future[T]] = deque()

    def __len__(self) -> int:
        """How many items are idle."""
        return len(self._idle)

    @property
    def waiting(self) -> int:
        """How many tasks are waiting for an item and have not been handed one."""
        return len(self._waiters)

    def put(self, item: T) -> None:
        """Give ``item`` to the longest waiting task, or keep it idle when none waits."""
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(item)
                return
        self._idle.append(item)

    def remove(self, item: T) -> bool:
        """Take ``item`` out if it is idle; say whether it was."""
        try:
            self._idle.remove(item)
        except ValueError:
            return False
        return True

    async def take(self, timeout: float) -> T:
        """An idle item at once, else the next one put within ``timeout`` s (``TimeoutError``)."""
        if self._idle:
            return self._idle.popleft()
        waiter: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            async with asyncio.timeout(timeout):
                return await waiter
        except BaseException:
            if waiter.done() and not waiter.cancelled():
                # Handed an item in the same instant as the timeout or a cancellation: the
                # item must not be lost with this task, so it goes to the next in line.
                self.put(waiter.result())
            else:
                waiter.cancel()
                with contextlib.suppress(ValueError):
                    self._waiters.remove(waiter)
            raise
