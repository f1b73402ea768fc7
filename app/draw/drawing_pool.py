"""The server's drawing processes: a few long-lived ``app/draw/drawing_process.py`` processes
that write the DOT and lay out the SVG of a graph, one graph at a time each.

A drawing may cost seconds of C code (Graphviz) that no thread can stop; a process can be
killed. So every drawing runs in one of ``render_workers`` warm processes, under one deadline
(``render_timeout_s``) that counts from the request's arrival here: waiting for a free
process, sending the graph, the layout and the answer. Past it the process is killed
(SIGKILL, with any ``dot`` it started) and another started; the request gets the reason in
``render_error``. At most ``render_max_waiting`` drawings wait for a process; more are
answered at once that the drawing service is busy. A process whose resident memory grew past
``render_max_rss_mb`` is replaced after its answer (Graphviz keeps some memory per layout).
A graph drawn before (its JSON under 256 KiB) is answered from a byte-bounded cache here,
on the event loop, without a round trip.

Idle processes wait in the queue the caller passes (``app/workers/handoff.py``'s ``HandOff``,
the worker pool's own): it counts waiting requests exactly.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import os
import signal
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

from app.background_tasks import BackgroundTasks
from app.bounded_lru import BoundedLRU
from app.config import Settings
from app.draw import drawing_wire
from app.draw.drawing_wire import Drawing

log = logging.getLogger(__name__)

_PROJECT_ROOT = Path(__file__).resolve().parents[2]
# Graphs up to this size (their JSON) are looked up in the drawing cache: hashing is linear.
_REMEMBERED_GRAPH_BYTES = 256 * 1024
T = TypeVar("T")
# What makes a large graph's JSON to draw (off the event loop), called once it is admitted.
GraphJson = Callable[[], Awaitable[bytes]]


class IdleQueue(Protocol[T]):
    """Idle items and the tasks waiting for one, first come first served."""

    def __len__(self) -> int: ...

    @property
    def waiting(self) -> int: ...

    def put(self, item: T) -> None: ...

    async def take(self, timeout: float) -> T: ...


class DrawingStartError(RuntimeError):
    """A drawing process did not say it was ready."""


@dataclass(eq=False)
class DrawingProcess:
    """One drawing process and its two pipes."""

    process: asyncio.subprocess.Process
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter

    @property
    def exited(self) -> bool:
        """Whether the process has ended."""
        return self.process.returncode is not None

    async def stop(self) -> None:
        """SIGKILL the process and its group (a ``dot`` it started), then reap it. It is this
        server's child, so its pid is not reused before it has been waited for."""
        if self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(Exception):
            await self.process.wait()
        self.writer.close()

    async def ask(self, request: bytes) -> bytes:
        """Send one request frame; its answer frame's bytes."""
        self.writer.write(request)
        await self.writer.drain()
        return await drawing_wire.read_frame(self.reader)


def _missing(reason: str) -> Drawing:
    return Drawing(None, None, reason)


class DrawingPool:
    """``render_workers`` drawing processes; ``draw`` borrows one for one graph."""

    def __init__(self, settings: Settings, idle: IdleQueue[DrawingProcess]) -> None:
        self.settings = settings
        self._idle = idle
        self._all: set[DrawingProcess] = set()
        self._respawns = BackgroundTasks()
        self._closed = True
        self.restarts = 0
        # Answers by graph and formats: a program run again (a new comment defeats the response
        # cache, and so does one that drew seeded random numbers) is answered from memory on
        # the event loop, with no round trip. 32 MiB, an answer at most 2 MiB.
        self._drawn: BoundedLRU[bytes] = BoundedLRU(1024, 32 * 2**20, entry_share=16)

    async def start(self) -> None:
        """Start every drawing process and wait until each is ready."""
        self._closed = False
        started = await asyncio.gather(
            *(self._spawn() for _ in range(self.settings.render_workers))
        )
        for drawer in started:
            self._idle.put(drawer)

    async def close(self) -> None:
        """Stop every drawing process."""
        self._closed = True
        await self._respawns.finish(self.settings.worker_start_timeout_s)
        for drawer in list(self._all):
            self._all.discard(drawer)
            await drawer.stop()

    def state(self) -> dict[str, int]:
        """How many drawing processes exist, how many are idle, how many drawings wait, and
        how often a process was replaced."""
        return {
            "size": self.settings.render_workers,
            "alive": sum(1 for drawer in self._all if not drawer.exited),
            "idle": len(self._idle),
            "waiting": self._idle.waiting,
            "restarts": self.restarts,
        }

    async def draw(
        self, graph_json: bytes | GraphJson, *, dot: bool, svg: bool, lang: str = "en"
    ) -> Drawing:
        """The DOT and SVG asked for of the graph whose JSON is ``graph_json`` (or what it
        makes: a large graph's, once the drawing is not refused as busy; the words they add in
        ``lang``), or why not (``Drawing.error``): busy, past the deadline, or the process
        failed."""
        key = _cache_key(graph_json, dot, svg, lang) if isinstance(graph_json, bytes) else None
        remembered = self._drawn.get(key) if key is not None else None
        if remembered is not None:
            return drawing_wire.read_answer(remembered)
        timeout = self.settings.render_timeout_s
        if self._closed:
            return _missing("the drawing service is not running")
        if not self._idle and self._idle.waiting >= self.settings.render_max_waiting:
            return _missing(
                f"the drawing service is busy ({self._idle.waiting} drawings are waiting);"
                " the graph is complete without its picture, try again shortly"
            )
        if not isinstance(graph_json, bytes):
            graph_json = await graph_json()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        try:
            drawer = await self._take(deadline)
        except TimeoutError:
            return _missing(
                f"the drawing service is busy: no drawing process was free in {timeout:g} s"
            )
        request = drawing_wire.request(
            graph_json, dot=dot, svg=svg, timeout_s=max(0.1, deadline - loop.time()), lang=lang
        )
        try:
            async with asyncio.timeout_at(deadline):
                answer = await drawer.ask(request)
            drawing = drawing_wire.read_answer(answer)
        except TimeoutError:
            self._replace(drawer)
            return _missing(f"drawing the graph took longer than {timeout:g} s and was stopped")
        except (ConnectionError, EOFError, ValueError):  # it died, or sent what is not an answer
            self._replace(drawer)
            return _missing(
                "the drawing process failed (usually: the graph needed more memory than it may use)"
            )
        except BaseException:
            self._replace(drawer)
            raise
        if drawing.rss_mb > self.settings.render_max_rss_mb:
            self._replace(drawer)  # it grew: a fresh one takes its place
        else:
            self._idle.put(drawer)
        if key is not None and drawing.error is None:
            self._drawn.put(key, answer)
        return drawing

    async def _take(self, deadline: float) -> DrawingProcess:
        loop = asyncio.get_running_loop()
        while True:
            drawer = await self._idle.take(max(0.0, deadline - loop.time()))
            if not drawer.exited:
                return drawer
            self._replace(drawer)  # died while idle (killed from outside): never use it

    def _replace(self, drawer: DrawingProcess) -> None:
        """Stop ``drawer`` now and start another in the background."""
        self.restarts += 1
        self._respawns.start(self._respawn(drawer))

    async def _respawn(self, drawer: DrawingProcess) -> None:
        self._all.discard(drawer)
        await drawer.stop()
        while not self._closed:
            try:
                fresh = await self._spawn()
            except (OSError, ValueError, TimeoutError, EOFError, DrawingStartError):
                log.exception("drawing process failed to start; retrying")
                await asyncio.sleep(1.0)
                continue
            if self._closed:
                self._all.discard(fresh)
                await fresh.stop()
            else:
                self._idle.put(fresh)
            return

    async def _spawn(self) -> DrawingProcess:
        config = json.dumps(
            {"memory_mb": self.settings.render_memory_mb, "seccomp": self.settings.seccomp}
        )
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "app.draw.drawing_process",
            config,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
            start_new_session=True,  # its own process group: killed with what it starts
            cwd=_PROJECT_ROOT,
            env=_environment(),
        )
        assert process.stdin is not None and process.stdout is not None
        drawer = DrawingProcess(process, process.stdout, process.stdin)
        self._all.add(drawer)
        try:
            async with asyncio.timeout(self.settings.worker_start_timeout_s):
                hello, _ = drawing_wire.split(await drawing_wire.read_frame(drawer.reader))
            if not hello.get("ready"):
                raise DrawingStartError("the drawing process did not say it was ready")
            if self.settings.seccomp and not hello.get("filtered"):
                log.warning("drawing process %s runs without its seccomp filter", hello.get("pid"))
        except BaseException:
            self._all.discard(drawer)
            await drawer.stop()
            raise
        return drawer


def _cache_key(graph_json: bytes, dot: bool, svg: bool, lang: str) -> str | None:
    """The drawing cache's key, for a graph small enough to hash on the event loop."""
    if len(graph_json) > _REMEMBERED_GRAPH_BYTES:
        return None
    digest = hashlib.blake2b(graph_json, digest_size=16)
    digest.update(b"%d%d%s" % (dot, svg, lang.encode()))
    return digest.hexdigest()


def _environment() -> dict[str, str]:
    """The server's locale and paths, and this project importable; nothing else."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
    environment = {key: value for key, value in os.environ.items() if key in keep}
    environment["PYTHONPATH"] = str(_PROJECT_ROOT)
    return environment
