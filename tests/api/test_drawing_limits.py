"""Drawing never stalls the server (issue 13): every drawing runs in a drawing process under one
deadline, a bounded number at once, and whatever graph a worker sends, the answer is a 200
with the JSON graph and either the picture or ``render_error``.

The worker pool is replaced by one that answers a fixed record, so each test sends exactly the
graph it means to (a graph a compromised worker could send, too); the drawing processes are
the real ones.
"""

from __future__ import annotations

import asyncio
import functools
import json
import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
import torch
from fastapi.testclient import TestClient

from app.config import Settings
from app.draw.drawing_pool import DrawingPool
from app.main import create_app
from app.record import EvalRecord
from tests.event_loop import run


class _OneGraph:
    """A worker pool whose every program makes ``graph``."""

    started_at = 0.0

    def __init__(self, graph: dict[str, Any]) -> None:
        self._json = json.dumps(graph).encode()  # ASCII: a lone surrogate travels escaped

    async def evaluate(self, code: str, on_drawn: Any = None) -> EvalRecord:
        record = EvalRecord(ok=True, graph_json=self._json)
        record.decoded_graph = json.loads(self._json)
        return record

    def state(self) -> dict[str, int]:
        return {"size": 1, "alive": 1, "idle": 1, "waiting": 0, "restarts": 0}


@asynccontextmanager
async def _server(
    graph: dict[str, Any], **settings: Any
) -> AsyncIterator[tuple[httpx.AsyncClient, DrawingPool]]:
    """An app whose workers make ``graph``, its drawing processes started; (client, drawing).

    One test client sends every request: neither the rate limit nor the per-client share of
    requests in flight applies."""
    app = create_app(Settings(rate_limit_per_s=0, max_in_flight_per_client=100, **settings))
    app.state.pool = _OneGraph(graph)
    drawing = app.state.drawing
    await drawing.start()
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client, drawing
    finally:
        await drawing.close()


def _cat_graph(copies: int, cats: int) -> dict[str, Any]:
    """``a = torch.cat([x] * copies)``, ``cats`` times, as plain PyTorch records it: a handful
    of nodes and ``copies * cats`` parallel edges (the review's 300,000-edge graph)."""
    x = torch.ones(1, requires_grad=True)
    nodes: list[dict[str, Any]] = [
        {"id": "x", "kind": "tensor", "label": "x", "shape": [1], "role": "leaf"}
    ]
    edges: list[dict[str, Any]] = []
    for i in range(cats):
        cat = torch.cat([x] * copies).grad_fn
        assert cat is not None
        nodes.append({"id": f"cat{i}", "kind": "function", "op": type(cat).__name__})
        edges += [
            {"id": f"e{i}.{j}", "source": "x", "target": f"cat{i}", "kind": "data"}
            for j in range(len(cat.next_functions))
        ]
    return {"nodes": nodes, "edges": edges, "backward": [], "variables": {}}


SMALL = _cat_graph(2, 1)


@functools.cache
def _heavy() -> dict[str, Any]:
    return _cat_graph(99999, 3)


async def _until(condition: Callable[[], bool]) -> None:
    while not condition():
        await asyncio.sleep(0.005)


def test_heavy_drawing_never_blocks_the_event_loop() -> None:
    """While the 300,000-edge graph is being drawn, the server answers /healthz (it used to
    be laid out on the event loop: /healthz waited 8 s)."""

    async def scenario() -> tuple[int, bool, dict[str, Any]]:
        async with _server(_heavy(), render_timeout_s=1.0, render_workers=1) as (client, drawing):
            posted = asyncio.ensure_future(client.post("/api/graph", json={"code": "x"}))
            await _until(lambda: drawing.state()["idle"] == 0)  # the drawing has begun
            health = await client.get("/healthz")
            still_drawing = not posted.done()
            return health.status_code, still_drawing, (await posted).json()

    status, still_drawing, body = run(scenario())
    assert status == 200 and still_drawing
    assert len(body["edges"]) == 299997  # the JSON graph is whole
    assert body["svg"] is None and body["render_error"]  # past the deadline (or too large)


def test_drawing_past_the_deadline_is_killed_and_replaced() -> None:
    """One deadline for every drawing path: past it the drawing process is killed, the answer
    is a 200 with ``render_error``, and the next drawing is made by a fresh process."""

    async def scenario() -> tuple[dict[str, Any], int, bool, dict[str, int]]:
        async with _server(_heavy(), render_timeout_s=0.5, render_workers=1) as (client, drawing):
            (first,) = list(drawing._all)
            pid = first.process.pid
            body = (await client.post("/api/graph", json={"code": "x"})).json()
            await _until(lambda: drawing.state()["idle"] == 1)
            (second,) = list(drawing._all)
            gone = not os.path.exists(f"/proc/{pid}")
            return body, second.process.pid != pid, gone, drawing.state()

    body, fresh, gone, state = run(scenario())
    assert body["svg"] is None and body["dot"] is None
    assert body["render_error"] == "drawing the graph took longer than 0.5 s and was stopped"
    assert fresh and gone and state["restarts"] == 1 and state["alive"] == 1


def test_drawings_beyond_the_waiting_bound_are_answered_busy_at_once() -> None:
    """At most ``render_workers`` drawings run and ``render_max_waiting`` wait: the next one
    is answered at once (``render_error``, never a pile-up of processes)."""

    async def scenario() -> tuple[list[str | None], int]:
        settings = {"render_timeout_s": 2.0, "render_workers": 1, "render_max_waiting": 1}
        async with _server(_heavy(), **settings) as (client, drawing):
            first = asyncio.ensure_future(client.post("/api/graph", json={"code": "1"}))
            await _until(lambda: drawing.state()["idle"] == 0)
            second = asyncio.ensure_future(client.post("/api/graph", json={"code": "2"}))
            await _until(lambda: drawing.state()["waiting"] == 1)
            third = await client.post("/api/graph", json={"code": "3"})
            processes = len(drawing._all)
            answers = [third, await first, await second]
            return [answer.json()["render_error"] for answer in answers], processes

    errors, processes = run(scenario())
    assert processes == 1
    assert errors[0] is not None and errors[0].startswith("the drawing service is busy")
    assert all(error is not None for error in errors[1:])  # past the deadline, or busy


def test_small_graph_is_drawn_by_a_warm_drawing_process() -> None:
    """The tiny-graph path: DOT and SVG come back from the drawing process (no process start)."""

    async def scenario() -> tuple[dict[str, Any], dict[str, int]]:
        async with _server(SMALL) as (client, drawing):
            pids = {d.process.pid for d in drawing._all}
            body = (await client.post("/api/graph", json={"code": "x"})).json()
            assert {d.process.pid for d in drawing._all} == pids
            return body, drawing.state()

    body, state = run(scenario())
    assert body["render_error"] is None and state["restarts"] == 0
    assert body["dot"].startswith("digraph") and body["svg"].rstrip().endswith("</svg>")
    assert body["svg"].count('class="edge"') == 2


@pytest.mark.parametrize("name", [chr(0xD800), "w" + chr(0xDFFF), chr(0xD83D) + "x"])
def test_lone_surrogate_in_a_label_is_drawn_as_replacement_character(name: str) -> None:
    """A module named chr(0xD800) used to end in a 500 when the DOT was encoded."""
    graph = {
        "nodes": [
            {"id": "a", "kind": "tensor", "label": name, "shape": [2], "role": "leaf"},
            {"id": "b", "kind": "function", "op": "MulBackward0"},
        ],
        "edges": [{"id": "e", "source": "a", "target": "b", "kind": "data"}],
        "backward": [],
        "variables": {},
    }

    async def scenario() -> httpx.Response:
        async with _server(graph) as (client, _):
            return await client.post("/api/graph", json={"code": "x"})

    response = run(scenario())
    assert response.status_code == 200
    body = response.json()
    shown = "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in name)
    assert body["render_error"] is None
    assert f'label="{shown}\\n[2]"' in body["dot"]
    assert f">{shown}<" in body["svg"]


def _address_space_limit(pid: int) -> int:
    with open(f"/proc/{pid}/limits") as limits:
        line = next(line for line in limits if line.startswith("Max address space"))
    return int(line.split()[3])


def test_drawing_process_runs_under_its_memory_limits() -> None:
    """Each drawing process has ``render_memory_mb`` of address space, is its own process
    group (killed with whatever it starts), and is replaced once it holds more than
    ``render_max_rss_mb``."""

    async def scenario() -> tuple[list[int], list[bool], dict[str, int], dict[str, Any]]:
        settings = {"render_memory_mb": 700, "render_max_rss_mb": 1, "render_workers": 1}
        async with _server(SMALL, **settings) as (client, drawing):
            pids = [d.process.pid for d in drawing._all]
            limits = [_address_space_limit(pid) for pid in pids]
            leaders = [os.getpgid(pid) == pid for pid in pids]
            body = (await client.post("/api/graph", json={"code": "x"})).json()
            await _until(lambda: drawing.state()["idle"] == 1)
            return limits, leaders, drawing.state(), body

    limits, leaders, state, body = run(scenario())
    assert limits == [700 * 2**20] and leaders == [True]
    assert body["svg"] is not None  # answered first, then recycled: every process is over 1 MiB
    assert state["restarts"] == 1 and state["alive"] == 1


def test_drawing_out_of_memory_is_a_render_error_and_the_service_recovers() -> None:
    """A graph that needs more than the drawing process's address space: the process ends,
    the answer says why, and a fresh process draws the next graph."""

    async def scenario() -> tuple[dict[str, Any], dict[str, Any]]:
        settings = {"render_memory_mb": 160, "render_workers": 1, "render_timeout_s": 30.0}
        async with _server(_heavy(), **settings) as (client, drawing):
            body = (await client.post("/api/graph", json={"code": "x"})).json()
            await _until(lambda: drawing.state()["idle"] == 1)
            fresh = await drawing.draw(json.dumps(SMALL).encode(), dot=False, svg=True)
            return body, {"svg": fresh.svg, "error": fresh.error, **drawing.state()}

    body, after = run(scenario())
    assert body["svg"] is None and body["render_error"].startswith("the drawing process failed")
    assert after["error"] is None and after["svg"] is not None and after["restarts"] == 1


def test_a_graph_drawn_before_is_answered_from_memory() -> None:
    """The same graph again (a program run with a new comment) is answered without a drawing
    process: here there is none left running."""

    async def scenario() -> tuple[dict[str, Any], dict[str, Any]]:
        async with _server(SMALL) as (client, drawing):
            first = (await client.post("/api/graph", json={"code": "x"})).json()
            await drawing.close()
            again = (await client.post("/api/graph", json={"code": "x  # again"})).json()
            return first, again

    first, again = run(scenario())
    assert first["render_error"] is None and again["render_error"] is None
    assert (again["dot"], again["svg"]) == (first["dot"], first["svg"])


def test_the_reviews_program_is_answered_whole(client: TestClient) -> None:
    """The review's program through a real worker: 200, the JSON graph, and the picture or why
    it is missing (its 300,000 edges are drawn by the layered layout, or refused as too many
    or too large), never a 5xx."""
    code = "x = torch.ones(1, requires_grad=True)\n" + "a = torch.cat([x] * 99999)\n" * 3
    response = client.post("/api/graph", json={"code": code, "dot": False})
    assert response.status_code == 200
    body = response.json()
    assert {node.get("op") for node in body["nodes"]} >= {"CatBackward0"}
    assert (body["svg"] is None) == (body["render_error"] is not None)
