"""A large graph's drawing, started on its worker's early line while the worker still makes the
graph's values, then kept or dropped once the whole graph is in.

The worker sends the part of the graph a drawing reads as soon as extraction knows it
(``app/workers/protocol.py``: the pool checks it as it checks a record, and it goes to the
drawing process as it came), and the drawing process draws it meanwhile, on the other core.
The drawing is the answer's only if the graph the worker sends at the end has as many nodes
and edges as the part: a worker that shed nodes to fit the size limit, failed, or ran out of
time after its early line has its graph drawn as before, from the graph (or the empty one),
once it is in. An honest worker's part is the graph's own: shedding never changes the fields
a drawing reads but by dropping nodes.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time

from app.draw.drawing_pool import DrawingPool
from app.draw.drawing_wire import Drawing
from app.record import GraphOutline
from app.workers.protocol import EarlyPart

CORES = os.cpu_count() or 1


def spare_core(busy: int) -> bool:
    """Whether a drawing can overlap a worker's run without taking its CPU, given how many of
    this server's workers and drawing processes are ``busy`` as the request comes in.

    A large graph's own request keeps a worker and a drawing process busy; with any other one
    busy besides, on two cores, the overlap would slow the worker, whose wall clock is the
    request's limit (under a load of 6 on two cores it pushed programs near the limit past
    it), and the graph is drawn after it, as before. The count is the pools' own, at this
    moment: the machine's load average, read before, lags a minute behind (after a burst of
    requests it turned the overlap off for a lone large graph a minute later, costing it
    0.5 s). Load from outside this server is not counted: a drawing process runs below the
    workers' priority (``app/draw/drawing_process.py``), so it yields to them anyway.
    """
    return busy < CORES - 1


def busy_processes(*states: dict[str, int]) -> int:
    """How many processes of the pools whose ``state()`` these are run something now."""
    return sum(max(0, state["alive"] - state["idle"]) for state in states)


class EarlyDrawing:
    """One request's drawing of a worker's early part (``start`` is the pool's ``on_drawn``)."""

    def __init__(self, drawing: DrawingPool, *, dot: bool, svg: bool, lang: str) -> None:
        self._drawing = drawing
        self._dot, self._svg, self._lang = dot, svg, lang
        self._task: asyncio.Task[Drawing] | None = None
        self._sizes = (0, 0)
        self.started = 0.0  # time.perf_counter() when the drawing was asked for
        self.finished = 0.0  # and when it came back

    def start(self, part: EarlyPart) -> None:
        """Start drawing ``part`` (the first one a worker sends; the pool sends one at most)."""
        if self._task is not None:
            return
        self._sizes = (part.nodes, part.edges)
        self.started = time.perf_counter()
        self._task = asyncio.create_task(self._draw(part.json))

    async def _draw(self, part_json: bytes) -> Drawing:
        drawn = await self._drawing.draw(part_json, dot=self._dot, svg=self._svg, lang=self._lang)
        self.finished = time.perf_counter()
        return drawn

    async def drawing_of(self, outline: GraphOutline) -> Drawing | None:
        """The early drawing, if one was started and the whole graph the worker sent (its
        ``outline``) has its nodes and edges; else None, and a drawing under way is stopped."""
        task = self._task
        if task is None or (outline.nodes, outline.edges) != self._sizes:
            self.cancel()
            return None
        return await task

    def cancel(self) -> None:
        """Stop a drawing still under way (its process is replaced); nothing if it is done."""
        task = self._task
        if task is None:
            return
        if not task.done():
            task.cancel()
        elif not task.cancelled():
            with contextlib.suppress(Exception):
                task.exception()  # retrieved: never logged as lost
