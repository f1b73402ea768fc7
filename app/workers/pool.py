"""Pre-started worker processes that run programs, one evaluation at a time each.

The server process never runs user code. A zygote process imports and warms torch once and
forks the workers (``app/zygote.py``); each serves evaluations over a JSON-lines socket. The parent enforces the wall clock: a worker that
does not answer in time is killed with SIGKILL (a timeout inside the worker could be disabled
by the program) and replaced, as is one that crashes or has served its quota of evaluations.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

from app.background_tasks import BackgroundTasks
from app.config import Settings
from app.record import EvalRecord, failure
from app.workers import protocol
from app.workers.handoff import HandOff
from app.workers.lockdown import make_undumpable, plan_os_limits
from app.workers.spawner import WorkerProcess, Zygote

log = logging.getLogger(__name__)


# Handed a large graph's drawn part (``protocol.read_early``) while its worker goes on.
OnDrawnPart = Callable[[protocol.EarlyPart], None]


class PoolBusy(Exception):
    """Every worker stayed busy for longer than the queue wait."""


class PoolClosed(Exception):
    """The pool is not running (starting up or shutting down)."""


@dataclass(eq=False)
class _Worker:
    process: WorkerProcess
    quota: int
    start_rss_mb: float
    served: int = 0
    retiring: bool = False  # a replacement is on its way
    retired: bool = False  # the replacement is serving: stop after the current program


class WorkerPool:
    """A fixed number of warm workers; ``evaluate`` borrows one for one program."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._idle: HandOff[_Worker] = HandOff()
        self._all: set[_Worker] = set()
        self._respawns = BackgroundTasks()
        self._closed = True
        self.started_at: float | None = None
        self.restarts = 0
        self.missing_layers: list[str] = []
        os_limits = plan_os_limits(
            settings.worker_memory_mb,
            settings.eval_timeout_s,
            running_as_root=os.geteuid() == 0,
            seccomp=settings.seccomp,
        )
        self._zygote = Zygote(
            json.dumps(asdict(os_limits)),
            settings.worker_start_timeout_s,
            settings.limits.max_graph_bytes,
        )
        # Every request line ends the same way: the limits, encoded once.
        self._request_tail = protocol.request_tail(settings.limits)

    async def start(self) -> None:
        """Start every worker and wait until each is warm."""
        make_undumpable()
        self._closed = False
        workers = await asyncio.gather(*(self._spawn() for _ in range(self.settings.workers)))
        for worker in workers:
            self._idle.put(worker)
        self.started_at = time.monotonic()

    async def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        # A replacement being forked finishes (in milliseconds) and is then stopped with the rest.
        await self._respawns.finish(self.settings.worker_start_timeout_s)
        for worker in list(self._all):
            await self._kill(worker)
        await self._zygote.close()

    def state(self) -> dict[str, int]:
        """How many workers exist, how many are idle, and how often one was replaced."""
        return {
            "size": self.settings.workers,
            "alive": sum(1 for w in self._all if not w.process.exited),
            "idle": len(self._idle),
            "waiting": self._idle.waiting,
            "restarts": self.restarts,
        }

    async def evaluate(self, code: str, on_drawn: OnDrawnPart | None = None) -> EvalRecord:
        """Run ``code`` on an idle worker and return its record, with ``queue_ms`` (how long the
        request waited for an idle worker) filled in. With ``on_drawn``, the worker sends a
        large graph's drawn part early (checked as its record is), and ``on_drawn`` is handed
        it while the worker goes on."""
        if self._closed:
            raise PoolClosed("the worker pool is not running")
        if not self._idle and self._idle.waiting >= self.settings.max_waiting:
            raise PoolBusy(f"{self._idle.waiting} requests are already waiting for a worker")
        queued = time.perf_counter()
        deadline = time.monotonic() + self.settings.queue_wait_s
        while True:
            try:
                worker = await self._idle.take(max(0.0, deadline - time.monotonic()))
            except TimeoutError as exc:
                raise PoolBusy(f"all {self.settings.workers} workers are busy") from exc
            if not worker.process.exited:
                break
            self._replace(worker)  # died while idle (killed from outside): never use it
        queue_ms = (time.perf_counter() - queued) * 1000
        try:
            record = await self._ask(worker, code, on_drawn)
        except BaseException:
            self._replace(worker)
            raise
        worker.served += 1
        if record.timed_out or record.crashed:
            self._replace(worker)
        elif worker.retired:
            await self._kill(worker)
        else:
            worn = self._worn(worker, record.worker_rss_mb)
            if (worn or worker.served >= worker.quota) and not worker.retiring:
                self._retire(worker)
            self._idle.put(worker)
        record.queue_ms = queue_ms
        return record

    def _worn(self, worker: _Worker, rss_mb: float) -> bool:
        """Whether a worker's resident memory after a program (``rss_mb``) says to replace it:
        past the limit, or grown so much since the worker started that much of it would stay
        private once freed (pinned Python arenas, a fragmented heap): a fresh one holds 3 MiB."""
        grown = rss_mb - worker.start_rss_mb
        return (
            rss_mb > self.settings.worker_max_rss_mb or grown > self.settings.worker_max_growth_mb
        )

    async def _ask(
        self, worker: _Worker, code: str, on_drawn: OnDrawnPart | None = None
    ) -> EvalRecord:
        process = worker.process
        started = time.perf_counter()
        line = protocol.request_line(code, self._request_tail, early_drawing=on_drawn is not None)
        try:
            process.writer.write(line)
            await process.writer.drain()
            # asyncio.timeout, not wait_for: no task per request.
            async with asyncio.timeout(self.settings.eval_timeout_s):
                head, graph, drawn_early = await _read_reply(process, on_drawn)
        except protocol.MalformedReply:  # an early line that is not a drawn part
            return _malformed(started)
        except TimeoutError:
            return failure(
                "TimeLimitExceeded",
                f"program ran longer than {self.settings.eval_timeout_s:g} s and was stopped",
                _ms_since(started),
                timed_out=True,
            )
        except (ConnectionError, ValueError, asyncio.LimitOverrunError) as exc:
            return failure(
                "WorkerCrashed", f"the worker failed: {exc}", _ms_since(started), crashed=True
            )
        if not head.endswith(b"\n") or not graph.endswith(b"\n"):
            return failure(
                "WorkerCrashed",
                "the program's worker process died (usually: it ran out of memory)",
                _ms_since(started),
                crashed=True,
            )
        try:
            # A graph drawn from its early part is checked, then only its outline is kept.
            keep = not drawn_early
            if len(graph) < protocol.LARGE_REPLY_BYTES:
                return protocol.read_reply(head, graph, keep_graph=keep)
            # Megabytes of JSON take tens of ms to decode: not on the event loop.
            return await asyncio.to_thread(protocol.read_reply, head, graph, keep_graph=keep)
        except protocol.MalformedReply:  # a broken worker
            return _malformed(started)

    def _replace(self, worker: _Worker) -> None:
        """A broken worker: kill it now and start another."""
        self.restarts += 1
        self._respawns.start(self._respawn(worker))

    def _retire(self, worker: _Worker) -> None:
        """A healthy but worn worker keeps serving until its replacement is warm."""
        self.restarts += 1
        worker.retiring = True
        self._respawns.start(self._succeed(worker))

    async def _succeed(self, worker: _Worker) -> None:
        await self._respawn(None)  # the replacement is warm and in the idle queue
        worker.retired = True
        if self._idle.remove(worker):
            await self._kill(worker)
        # If it was busy, evaluate() stops it when its program ends.

    async def _respawn(self, worker: _Worker | None) -> None:
        if worker is not None:
            await self._kill(worker)
        while not self._closed:
            try:
                fresh = await self._spawn()
            except Exception:  # keep trying: the pool must heal itself
                log.exception("worker failed to start; retrying")
                await asyncio.sleep(1.0)
                continue
            if self._closed:
                await self._kill(fresh)
            else:
                self._idle.put(fresh)
            return

    async def _spawn(self) -> _Worker:
        process = await self._zygote.spawn()
        # Quotas spread out, so the workers are not all replaced at the same moment.
        quota = max(1, round(self.settings.worker_recycle_after * random.uniform(0.75, 1.25)))
        start_rss_mb = float(process.hello.get("rss_mb", 0.0))
        worker = _Worker(process, quota=quota, start_rss_mb=start_rss_mb)
        self._all.add(worker)
        self.missing_layers = process.hello.get("missing_layers", [])
        if self.missing_layers:
            log.warning("worker %s runs without: %s", process.pid, self.missing_layers)
        return worker

    async def _kill(self, worker: _Worker) -> None:
        self._all.discard(worker)
        worker.process.kill()
        with contextlib.suppress(Exception):
            await worker.process.wait()


async def _read_reply(
    process: WorkerProcess, on_drawn: OnDrawnPart | None = None
) -> tuple[bytes, bytes, bool]:
    """The two lines of a worker's answer: the record without its graph, then the graph;
    before them, when asked for, an early line whose drawn part goes to ``on_drawn`` (raises
    MalformedReply if it is not one); and whether there was one."""
    drawn_early = False
    head = await process.reader.readline()
    if on_drawn is not None and head.startswith(protocol.EARLY_PREFIX) and head.endswith(b"\n"):
        if len(head) < protocol.LARGE_REPLY_BYTES:
            part = protocol.read_early(head)
        else:
            part = await asyncio.to_thread(protocol.read_early, head)
        on_drawn(part)
        drawn_early = True
        head = await process.reader.readline()
    graph = await process.reader.readline() if head.endswith(b"\n") else b""
    return head, graph, drawn_early


def _malformed(started: float) -> EvalRecord:
    return failure(
        "WorkerCrashed", "the worker sent a malformed answer", _ms_since(started), crashed=True
    )


def _ms_since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)
