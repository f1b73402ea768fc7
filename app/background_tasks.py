"""Tasks a pool starts and does not wait for (replacing a worker or a drawing process).

The event loop keeps only weak references to tasks: one nobody holds may vanish mid-run. Each
pool keeps its own here until the task is done, and at close waits a while, then cancels.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any


class BackgroundTasks:
    """The running background tasks of one pool."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()

    def __len__(self) -> int:
        """How many are still running."""
        return len(self._tasks)

    def start(self, job: Coroutine[Any, Any, None]) -> None:
        """Run ``job`` on the running loop, held until it is done."""
        task = asyncio.get_running_loop().create_task(job)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def finish(self, timeout_s: float) -> None:
        """Wait up to ``timeout_s`` for every task, then cancel those still running."""
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=timeout_s)
        for task in list(self._tasks):
            task.cancel()
