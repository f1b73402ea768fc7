"""The worker pool (app/workers/pool.py), with stand-in workers: what it does with each kind of
answer (a record, silence, nonsense, a death), and when it replaces a worker."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from dataclasses import replace
from typing import Any

import orjson
import pytest

from app.config import Settings
from app.limits import Limits
from app.record import EvalRecord, GraphOutline
from app.workers import pool as pool_module
from app.workers import protocol
from app.workers.pool import PoolBusy, PoolClosed, WorkerPool
from tests.event_loop import run

# A stand-in worker's resident memory when ready, as a real worker's ready line says.
START_RSS_MB = 230.0

# What a stand-in worker does with one request line: its reply bytes, None to stay silent,
# or b"" to die (end its stream); reply bytes that end with DIES: those, then die.
Behaviour = Callable[[bytes], bytes | None]
DIES = b"\0dies"


def answers(line: bytes) -> bytes:
    code, _ = protocol.read_request(line)
    return protocol.reply_lines(EvalRecord(ok=True, stdout=f"ran {code}\n"))


class FakeWorker:
    """What the pool uses of a ``WorkerProcess``: a stream each way, and kill and wait."""

    def __init__(self, pid: int, behaviour: Behaviour) -> None:
        self.pid = pid
        self.hello = {"ready": True, "pid": pid, "missing_layers": [], "rss_mb": START_RSS_MB}
        self.reader = asyncio.StreamReader()
        self.writer = self
        self.requests: list[bytes] = []
        self.behaviour = behaviour
        self.killed = False

    @property
    def exited(self) -> bool:
        return self.killed

    def kill(self) -> None:
        self.killed = True

    async def wait(self) -> None:
        return None

    # the writer's side
    def write(self, line: bytes) -> None:
        self.requests.append(line)
        reply = self.behaviour(line)
        if reply is not None and reply.endswith(DIES):  # says this much, then dies
            self.reader.feed_data(reply.removesuffix(DIES))
            reply = b""
        if reply == b"":
            self.reader.feed_eof()
        elif reply is not None:
            self.reader.feed_data(reply)

    async def drain(self) -> None:
        return None


class FakeZygote:
    """Hands out stand-in workers that behave as ``behaviours`` says, one after the other
    (the last one for every worker after)."""

    def __init__(self, *behaviours: Behaviour) -> None:
        self.behaviours = list(behaviours)
        self.spawned: list[FakeWorker] = []

    async def spawn(self) -> FakeWorker:
        behaviour = self.behaviours.pop(0) if len(self.behaviours) > 1 else self.behaviours[0]
        worker = FakeWorker(len(self.spawned) + 1, behaviour)
        self.spawned.append(worker)
        return worker

    async def close(self) -> None:
        return None


SETTINGS = Settings(
    workers=1,
    eval_timeout_s=0.2,
    queue_wait_s=0.1,
    worker_recycle_after=1000,
    seccomp=False,
    limits=Limits(max_loop_iterations=77),
)


def with_pool(
    zygote: FakeZygote,
    scenario: Callable[[WorkerPool], Coroutine[Any, Any, None]],
    settings: Settings = SETTINGS,
) -> None:
    async def main() -> None:
        pool = WorkerPool(settings)
        pool._zygote = zygote  # type: ignore[assignment]
        await pool.start()
        try:
            await scenario(pool)
        finally:
            await pool.close()

    run(main())


async def settled(pool: WorkerPool) -> None:
    """Wait for the pool's replacements in the background to finish."""
    for _ in range(100):
        if not pool._respawns:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("replacements still running")


@pytest.fixture(autouse=True)
def _stay_dumpable(monkeypatch: pytest.MonkeyPatch) -> None:
    """``start`` makes the server undumpable; the test process stays as it is."""
    monkeypatch.setattr(pool_module, "make_undumpable", lambda: True)


def test_a_workers_record_is_the_answer() -> None:
    zygote = FakeZygote(answers)

    async def scenario(pool: WorkerPool) -> None:
        record = await pool.evaluate("x = 1")
        assert (record.ok, record.stdout, record.error) == (True, "ran x = 1\n", None)
        assert record.queue_ms >= 0
        (request,) = zygote.spawned[0].requests
        assert protocol.read_request(request) == ("x = 1", SETTINGS.limits)
        assert pool.state() == {"size": 1, "alive": 1, "idle": 1, "waiting": 0, "restarts": 0}

    with_pool(zygote, scenario)


def test_a_worker_that_does_not_answer_in_time_is_killed_and_replaced() -> None:
    zygote = FakeZygote(lambda line: None, answers)

    async def scenario(pool: WorkerPool) -> None:
        record = await pool.evaluate("while True: pass")
        assert record.timed_out and record.error is not None
        assert (record.error.type, record.error.message) == (
            "TimeLimitExceeded",
            "program ran longer than 0.2 s and was stopped",
        )
        await settled(pool)
        assert zygote.spawned[0].killed and len(zygote.spawned) == 2
        assert (await pool.evaluate("x = 2")).stdout == "ran x = 2\n"
        assert pool.state()["restarts"] == 1

    with_pool(zygote, scenario)


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (b"", "the program's worker process died (usually: it ran out of memory)"),
        (b'{"ok": true}\n{"nodes": [], "secret": 1}\n', "the worker sent a malformed answer"),
        (b"not json\nnull\n", "the worker sent a malformed answer"),
    ],
    ids=["died", "unknown-graph-field", "not-json"],
)
def test_a_worker_that_dies_or_talks_nonsense_is_replaced(reply: bytes, message: str) -> None:
    zygote = FakeZygote(lambda line: reply, answers)

    async def scenario(pool: WorkerPool) -> None:
        record = await pool.evaluate("x = 1")
        assert record.crashed and record.error is not None
        assert (record.error.type, record.error.message) == ("WorkerCrashed", message)
        await settled(pool)
        assert zygote.spawned[0].killed
        assert (await pool.evaluate("x = 2")).stdout == "ran x = 2\n"

    with_pool(zygote, scenario)


def test_a_worker_that_served_its_quota_is_replaced_once_its_successor_is_warm() -> None:
    zygote = FakeZygote(answers)

    async def scenario(pool: WorkerPool) -> None:
        first = await pool.evaluate("x = 1")
        assert first.ok  # the worn worker still answered
        await settled(pool)
        assert [w.killed for w in zygote.spawned] == [True, False]
        await pool.evaluate("x = 2")
        assert zygote.spawned[1].requests

    with_pool(zygote, scenario, replace(SETTINGS, worker_recycle_after=1))


def resident_after(rss_mb: float) -> Behaviour:
    """A worker whose resident memory after each program is ``rss_mb``, as its record says."""

    def behaviour(line: bytes) -> bytes:
        return protocol.reply_lines(EvalRecord(ok=True, worker_rss_mb=rss_mb))

    return behaviour


@pytest.mark.parametrize(
    ("grown_mb", "replaced"), [(64.0, False), (64.5, True)], ids=["at-the-limit", "past-it"]
)
def test_a_worker_grown_past_the_limit_since_its_start_is_replaced_once_its_successor_is_warm(
    grown_mb: float, replaced: bool
) -> None:
    zygote = FakeZygote(resident_after(START_RSS_MB + grown_mb), answers)

    async def scenario(pool: WorkerPool) -> None:
        assert (await pool.evaluate("x = 1")).ok  # the grown worker still answered
        await settled(pool)
        assert [w.killed for w in zygote.spawned] == ([True, False] if replaced else [False])
        assert pool.state()["restarts"] == int(replaced)
        assert (await pool.evaluate("x = 2")).ok

    settings = replace(SETTINGS, worker_max_growth_mb=64, worker_max_rss_mb=600)
    with_pool(zygote, scenario, settings)


def test_a_worker_found_dead_while_idle_is_never_used() -> None:
    zygote = FakeZygote(answers)

    async def scenario(pool: WorkerPool) -> None:
        zygote.spawned[0].kill()  # killed from outside while idle
        record = await asyncio.wait_for(pool.evaluate("x = 1"), 2)
        assert record.stdout == "ran x = 1\n"
        assert zygote.spawned[0].requests == [] and zygote.spawned[1].requests

    with_pool(zygote, scenario)


def test_a_request_waits_no_longer_than_the_queue_allows() -> None:
    zygote = FakeZygote(lambda line: None)

    async def scenario(pool: WorkerPool) -> None:
        busy = asyncio.create_task(pool.evaluate("while True: pass"))
        await asyncio.sleep(0)
        with pytest.raises(PoolBusy, match="all 1 workers are busy"):
            await pool.evaluate("x = 1")
        await busy

    with_pool(zygote, scenario)


def test_requests_over_the_waiting_limit_are_refused_at_once() -> None:
    zygote = FakeZygote(lambda line: None)

    async def scenario(pool: WorkerPool) -> None:
        busy = asyncio.create_task(pool.evaluate("while True: pass"))
        await asyncio.sleep(0)
        with pytest.raises(PoolBusy, match="0 requests are already waiting"):
            await pool.evaluate("x = 1")
        await busy

    with_pool(zygote, scenario, replace(SETTINGS, max_waiting=0))


def test_a_pool_not_started_refuses() -> None:
    async def scenario() -> None:
        with pytest.raises(PoolClosed):
            await WorkerPool(SETTINGS).evaluate("x = 1")

    run(scenario())


_PART = protocol.EarlyPart(
    orjson.dumps({"nodes": [{"id": "n0", "kind": "tensor", "label": "x"}], "edges": []}), 1, 0
)
_EARLY = protocol.early_line(_PART.json)


def answers_after(early: bytes) -> Behaviour:
    """A worker that sends ``early`` before its answer."""
    return lambda line: early + answers(line)


def test_the_early_part_is_handed_over_before_the_record() -> None:
    zygote = FakeZygote(answers_after(_EARLY))
    events: list[object] = []

    async def scenario(pool: WorkerPool) -> None:
        record = await pool.evaluate("x = 1", on_drawn=events.append)
        events.append(record.stdout)
        (request,) = zygote.spawned[0].requests
        assert protocol.read_request_line(request) == ("x = 1", SETTINGS.limits, True)

    with_pool(zygote, scenario)
    assert events == [_PART, "ran x = 1\n"]


def test_a_request_that_draws_nothing_asks_for_no_early_part() -> None:
    zygote = FakeZygote(answers)

    async def scenario(pool: WorkerPool) -> None:
        await pool.evaluate("x = 1")
        (request,) = zygote.spawned[0].requests
        assert protocol.read_request_line(request) == ("x = 1", SETTINGS.limits, False)

    with_pool(zygote, scenario)


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (_EARLY + DIES, "the program's worker process died (usually: it ran out of memory)"),
        (
            _EARLY + b'{"ok": true}\n{"nodes": [], "secret": 1}\n',
            "the worker sent a malformed answer",
        ),
        (_EARLY + _EARLY + b'{"ok": true}\nnull\n', "the worker sent a malformed answer"),
    ],
    ids=["died-after-it", "malformed-record-after-it", "two-early-lines"],
)
def test_a_worker_that_fails_after_its_early_part_is_replaced(reply: bytes, message: str) -> None:
    zygote = FakeZygote(lambda line: reply, answers)
    handed: list[object] = []

    async def scenario(pool: WorkerPool) -> None:
        record = await pool.evaluate("x = 1", on_drawn=handed.append)
        assert record.crashed and record.error is not None and record.graph is None
        assert (record.error.type, record.error.message) == ("WorkerCrashed", message)
        await settled(pool)
        assert zygote.spawned[0].killed
        assert (await pool.evaluate("x = 2")).stdout == "ran x = 2\n"

    with_pool(zygote, scenario)
    assert handed == [_PART]  # what the pool checked and handed over; the route drops it


@pytest.mark.parametrize(
    "early",
    [
        b'{"drawn": {"nodes": [{"id": "n0", "value": 1}], "edges": []}}\n',
        b'{"drawn": not json}\n',
    ],
    ids=["field-no-drawing-reads", "not-json"],
)
def test_a_malformed_early_part_is_never_handed_over(early: bytes) -> None:
    zygote = FakeZygote(answers_after(early), answers)
    handed: list[object] = []

    async def scenario(pool: WorkerPool) -> None:
        record = await pool.evaluate("x = 1", on_drawn=handed.append)
        assert record.crashed and record.error is not None
        assert record.error.message == "the worker sent a malformed answer"
        await settled(pool)
        assert zygote.spawned[0].killed

    with_pool(zygote, scenario)
    assert handed == []


def test_an_early_line_not_asked_for_is_a_malformed_answer() -> None:
    zygote = FakeZygote(answers_after(_EARLY), answers)

    async def scenario(pool: WorkerPool) -> None:
        record = await pool.evaluate("x = 1")
        assert record.crashed and record.error is not None
        assert record.error.message == "the worker sent a malformed answer"

    with_pool(zygote, scenario)


def test_an_early_line_over_the_line_limit_is_a_crash() -> None:
    # A stand-in worker's stream has asyncio's default limit of 64 KiB a line (a real one:
    # the graph's byte limit and the head's allowance): the early line counts against it.
    label = "x" * 70_000
    part = {"nodes": [{"id": "n0", "kind": "tensor", "label": label}], "edges": []}
    zygote = FakeZygote(answers_after(protocol.early_line(orjson.dumps(part))), answers)
    handed: list[object] = []

    async def scenario(pool: WorkerPool) -> None:
        record = await pool.evaluate("x = 1", on_drawn=handed.append)
        assert record.crashed and record.error is not None
        assert record.error.type == "WorkerCrashed"
        await settled(pool)
        assert zygote.spawned[0].killed

    with_pool(zygote, scenario)
    assert handed == []


def test_a_graph_drawn_from_its_early_part_is_checked_then_let_go() -> None:
    graph = {"nodes": [{"id": "n0", "kind": "tensor", "label": "x"}], "edges": []}
    graph_line = orjson.dumps(graph) + b"\n"

    def behaviour(line: bytes) -> bytes:  # the early line when asked for it
        early = _EARLY if protocol.read_request_line(line)[2] else b""
        return early + b'{"ok": true}\n' + graph_line

    zygote = FakeZygote(behaviour)

    async def scenario(pool: WorkerPool) -> None:
        drawn = await pool.evaluate("x = 1", on_drawn=lambda part: None)
        assert drawn.decoded_graph is None  # the route needs only its outline
        assert drawn.outline == GraphOutline(("nodes", "edges"), 1, 0)
        assert drawn.graph == graph
        plain = await pool.evaluate("x = 1")
        assert plain.decoded_graph == graph and plain.outline == drawn.outline

    with_pool(zygote, scenario)
