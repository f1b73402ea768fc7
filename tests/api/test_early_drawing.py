"""A large graph's drawing starts on its worker's early line (app/api/early_drawing.py), while
the worker still makes the graph's values; the answer is the one the whole graph gives.

The order of events is checked, never a time: the drawing is asked for before the worker's
record is in. The DOT and SVG are compared with a drawing of the whole graph's drawn part, as
the route made before the early line existed.
"""

from __future__ import annotations

import asyncio
import functools
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import orjson
import pytest
from fastapi.testclient import TestClient

from app.api import early_drawing
from app.config import Settings
from app.draw import drawing_wire
from app.draw.drawing_pool import DrawingPool
from app.draw.drawing_process import draw
from app.draw.drawn_part import drawn_part
from app.evaluate import evaluate
from app.limits import Limits
from app.main import create_app
from app.record import EvalRecord, failure
from app.workers.protocol import EarlyPart, early_line, read_early
from bench.programs import chain
from tests.event_loop import run
from tests.security.hostile_programs import HOSTILE
from tests.unit.programs import EXAMPLES

OnDrawn = Callable[[EarlyPart], None]


@pytest.fixture(autouse=True)
def _two_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    """The machine these tests describe: two cores (whatever the suite runs on)."""
    monkeypatch.setattr(early_drawing, "CORES", 2)


@functools.cache
def _chain_graph() -> dict[str, Any]:
    """A 2,500-op chain's graph (5,001 nodes, 5,000 edges: an early line's worth)."""
    encoded = evaluate(chain(2500), Limits()).graph_json
    assert encoded is not None
    graph: dict[str, Any] = orjson.loads(encoded)
    return graph


def _drawn(graph: dict[str, Any]) -> tuple[str | None, str | None]:
    """The DOT and SVG of ``graph`` as the route drew it before: its drawn part, in a drawing
    process's own function."""
    part = drawn_part(graph)
    assert part is not None
    request = drawing_wire.request(part, dot=True, svg=True, timeout_s=60)
    answer = drawing_wire.read_answer(draw(request[4:])[4:])
    assert answer.error is None
    return answer.dot, answer.svg


class _EarlyWorker:
    """A worker pool whose worker sends ``part`` early (when asked), waits until the drawing
    of it has been asked for, then answers ``record``."""

    started_at = 0.0

    def __init__(
        self, part: EarlyPart, record: EvalRecord, events: list[str], others_busy: int = 0
    ) -> None:
        self.part, self.record, self.events = part, record, events
        self.others_busy = others_busy  # workers running other requests' programs

    async def evaluate(self, code: str, on_drawn: OnDrawn | None = None) -> EvalRecord:
        if on_drawn is not None:
            self.events.append("early part")
            on_drawn(self.part)
            async with asyncio.timeout(60):  # a guard against a hang, not a measurement
                while "drawing asked" not in self.events:
                    await asyncio.sleep(0.005)
        self.events.append("record")
        return self.record

    def state(self) -> dict[str, int]:
        alive = 1 + self.others_busy
        return {"size": alive, "alive": alive, "idle": 1, "waiting": 0, "restarts": 0}


def _record_of(graph: dict[str, Any] | None) -> EvalRecord:
    if graph is None:
        return failure("WorkerCrashed", "the program's worker process died", 1.0, crashed=True)
    encoded = json.dumps(graph).encode()
    record = EvalRecord(ok=True, graph_json=encoded)
    record.decoded_graph = json.loads(encoded)
    return record


@asynccontextmanager
async def _server(pool: _EarlyWorker) -> AsyncIterator[httpx.AsyncClient]:
    """An app with ``pool`` for workers and real drawing processes, whose drawings are noted
    in ``pool.events`` when asked for."""
    app = create_app(Settings(rate_limit_per_s=0, max_in_flight_per_client=100))
    app.state.pool = pool
    drawing: DrawingPool = app.state.drawing
    await drawing.start()
    asked = drawing.draw

    async def noted(graph_json: Any, **formats: Any) -> drawing_wire.Drawing:
        pool.events.append("drawing asked")
        return await asked(graph_json, **formats)

    drawing.draw = noted  # type: ignore[method-assign]
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client
    finally:
        await drawing.close()


def _answer(
    part: EarlyPart, final: dict[str, Any] | None, others_busy: int = 0
) -> tuple[dict[str, Any], list[str]]:
    """The answer to a program whose worker sends ``part`` early and then ``final`` (None: it
    dies), with ``others_busy`` workers running other programs, and the events in order."""
    events: list[str] = []

    async def scenario() -> dict[str, Any]:
        pool = _EarlyWorker(part, _record_of(final), events, others_busy)
        async with _server(pool) as client:
            answer = await client.post("/api/graph", json={"code": "x", "dot": True})
            assert answer.status_code == 200
            body: dict[str, Any] = answer.json()
            return body

    return run(scenario()), events


def _part(graph: dict[str, Any]) -> EarlyPart:
    """The early part a worker sends of ``graph``."""
    part = drawn_part(graph)
    assert part is not None
    return read_early(early_line(part))


def test_a_large_graphs_drawing_starts_before_its_worker_answers() -> None:
    graph = _chain_graph()
    body, events = _answer(_part(graph), graph)
    assert events == ["early part", "drawing asked", "record"]
    assert body["render_error"] is None
    assert (body["dot"], body["svg"]) == _drawn(graph)
    assert len(body["nodes"]) == 5001


def test_a_machine_without_a_spare_core_draws_the_graph_after_its_worker() -> None:
    """The overlap would take CPU from the worker, whose wall clock is the request's limit:
    on two cores, with another request's program running, the graph is drawn after."""
    graph = _chain_graph()
    body, events = _answer(_part(graph), graph, others_busy=1)
    assert events == ["record", "drawing asked"]
    assert (body["dot"], body["svg"]) == _drawn(graph)


@pytest.mark.parametrize(
    ("cores", "busy", "spare"),
    [(2, 0, True), (2, 1, False), (1, 0, False), (4, 2, True), (4, 3, False)],
)
def test_a_core_is_spare_while_the_pools_leave_one(
    monkeypatch: pytest.MonkeyPatch, cores: int, busy: int, spare: bool
) -> None:
    """The request's own worker and drawing process, and ``busy`` others, on ``cores``."""
    monkeypatch.setattr(early_drawing, "CORES", cores)
    assert early_drawing.spare_core(busy) is spare


def test_busy_processes_are_those_alive_and_not_idle() -> None:
    workers = {"size": 4, "alive": 3, "idle": 1, "waiting": 0, "restarts": 1}
    drawings = {"size": 2, "alive": 2, "idle": 2, "waiting": 0, "restarts": 0}
    assert early_drawing.busy_processes(workers, drawings) == 2
    assert early_drawing.busy_processes({"size": 1, "alive": 0, "idle": 1}) == 0  # respawning


def test_a_graph_cut_after_its_early_part_is_drawn_from_the_graph() -> None:
    whole = _chain_graph()
    kept = {node["id"] for node in whole["nodes"][:2500]}  # as the size limit's shedding cuts
    cut = {
        **whole,
        "nodes": whole["nodes"][:2500],
        "edges": [e for e in whole["edges"] if e["source"] in kept and e["target"] in kept],
        "backward": [],
    }
    body, events = _answer(_part(whole), cut)
    assert events == ["early part", "drawing asked", "record", "drawing asked"]
    assert body["render_error"] is None
    assert (body["dot"], body["svg"]) == _drawn(cut)


def test_a_worker_that_dies_after_its_early_part_is_answered_as_before() -> None:
    body, events = _answer(_part(_chain_graph()), None)
    assert events == ["early part", "drawing asked", "record", "drawing asked"]
    assert body["error"]["type"] == "WorkerCrashed" and body["nodes"] == []
    empty = {"nodes": [], "edges": []}
    assert (body["dot"], body["svg"], body["render_error"]) == (*_drawn(empty), None)


@pytest.fixture
def noted_events(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The real app's worker records and drawing requests, in their order."""
    events: list[str] = []
    pool, drawing = client.app.state.pool, client.app.state.drawing  # type: ignore[attr-defined]
    evaluated, asked = pool.evaluate, drawing.draw

    async def evaluate(code: str, **options: Any) -> EvalRecord:
        record = await evaluated(code, **options)
        events.append("record")
        return record

    async def noted(graph_json: Any, **formats: Any) -> drawing_wire.Drawing:
        events.append("drawing asked")
        return await asked(graph_json, **formats)

    monkeypatch.setattr(pool, "evaluate", evaluate)
    monkeypatch.setattr(drawing, "draw", noted)
    return events


def test_a_worker_sends_a_large_graphs_drawn_part_early(
    client: TestClient, noted_events: list[str]
) -> None:
    code = chain(2500) + "mark = torch.zeros(1, requires_grad=True)\n"  # a graph no cache holds
    answer = client.post("/api/graph", json={"code": code, "dot": True, "svg": True})
    body = answer.json()
    assert noted_events == ["drawing asked", "record"]
    assert body["error"] is None and body["render_error"] is None
    assert (body["dot"], body["svg"]) == _drawn(body)


def test_a_small_graph_is_drawn_once_its_worker_answers(
    client: TestClient, noted_events: list[str]
) -> None:
    code = EXAMPLES["twenty_layer_mlp"] + "\nmark_small = torch.zeros(1, requires_grad=True)\n"
    answer = client.post("/api/graph", json={"code": code, "dot": True, "svg": True})
    body = answer.json()
    assert noted_events == ["record", "drawing asked"]
    assert (body["dot"], body["svg"]) == _drawn(body)


def test_a_graph_its_worker_cuts_after_the_early_line_is_drawn_as_cut(
    client: TestClient, noted_events: list[str]
) -> None:
    (hostile,) = [h for h in HOSTILE if h.id == "graph-cut-after-its-early-line"]
    answer = client.post("/api/graph", json={"code": hostile.code, "dot": True, "svg": True})
    body = answer.json()
    assert body["error"] is None and body["truncated"]
    assert len(body["nodes"]) == 2500  # of 5,001: the early part had them all
    assert noted_events == ["drawing asked", "record", "drawing asked"]
    assert body["render_error"] is None
    assert (body["dot"], body["svg"]) == _drawn(body)
