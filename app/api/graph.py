"""POST /api/graph: run a program in a worker and return its autograd graph."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from app.api.cache import ResponseCache
from app.api.deps import CacheDep, PoolDep, SettingsDep
from app.api.early_drawing import EarlyDrawing, busy_processes, spare_core
from app.api.errors import RequestRefused
from app.api.ratelimit import RateLimitDep
from app.api.server_timing import ServerTiming
from app.draw.drawing_pool import DrawingPool, GraphJson
from app.draw.drawn_part import drawn_part
from app.hints.refusal_text import chinese
from app.record import EvalRecord, GraphOutline
from app.schemas import ErrorResponse, GraphRequest, GraphResponse
from app.workers.pool import WorkerPool

router = APIRouter(prefix="/api", tags=["graph"])


async def get_drawing(request: Request) -> DrawingPool:
    """The app's drawing processes."""
    drawing: DrawingPool = request.app.state.drawing
    return drawing


DrawingDep = Annotated[DrawingPool, Depends(get_drawing)]

_ANSWER_HEADERS = {
    "X-Cache": {
        "description": "`hit`: answered from the response cache; `miss`: the program was run.",
        "schema": {"type": "string", "enum": ["hit", "miss"]},
    },
    "Server-Timing": {
        "description": (
            "Where the request's time went, in ms (W3C Server Timing; browsers show it in the"
            " network panel). A miss: `queue` (waiting for an idle worker), `worker` (the"
            " worker's whole round trip), `run` (within it: running the program and extracting"
            " the graph, the body's `elapsed_ms`), `render` (DOT and SVG; a large graph's"
            " begins during `worker`), `total` (the route's whole time). A hit: `cache` and"
            " `total`."
        ),
        "schema": {"type": "string"},
    },
}

_EMPTY_GRAPH: dict[str, Any] = {
    "nodes": [],
    "edges": [],
    "backward": [],
    "variables": {},
    "curve": [],
    "modules": [],
}


@router.post(
    "/graph",
    response_model=GraphResponse,
    responses={
        200: {"headers": _ANSWER_HEADERS},
        400: {
            "model": ErrorResponse,
            "description": "Refused before running: syntax error or a construct outside the allowlist.",
        },
        413: {"model": ErrorResponse, "description": "Program or request body too long."},
        429: {
            "model": ErrorResponse,
            "description": "All workers busy; retry after `Retry-After` seconds.",
        },
        503: {"model": ErrorResponse, "description": "Service starting or stopping."},
    },
)
async def create_graph(
    request: GraphRequest,
    pool: PoolDep,
    drawing: DrawingDep,
    cache: CacheDep,
    settings: SettingsDep,
    _: RateLimitDep,
) -> Response:
    """Run the program in a sandboxed worker and return its autograd graph, output and any error."""
    timing = ServerTiming()
    limit = settings.limits.max_code_chars
    if len(request.code) > limit:
        raise RequestRefused(
            413, "CodeTooLong", f"program is {len(request.code)} characters; the limit is {limit}"
        )
    key = cache.key(request.code, request.dot, request.svg, settings, request.lang)
    cached = cache.get(key)
    if cached is not None:
        timing.add("cache", desc="hit")
        headers = {"X-Cache": "hit", "Server-Timing": timing.header()}
        return Response(cached, media_type="application/json", headers=headers)
    drawn_early = None
    if request.dot or request.svg:
        drawn_early = EarlyDrawing(drawing, dot=request.dot, svg=request.svg, lang=request.lang)
    try:
        return await _answer_of(request, pool, drawing, cache, key, timing, drawn_early)
    finally:
        if drawn_early is not None:
            drawn_early.cancel()  # the request failed or was dropped: its drawing too


async def _answer_of(
    request: GraphRequest,
    pool: WorkerPool,
    drawing: DrawingPool,
    cache: ResponseCache,
    key: str,
    timing: ServerTiming,
    drawn_early: EarlyDrawing | None,
) -> Response:
    """Run the program (a large graph's drawing starts on the worker's early line), then the
    answer: the graph, the record's fields, its DOT and SVG."""
    asked = time.perf_counter()
    spare = spare_core(busy_processes(pool.state(), drawing.state()))
    on_drawn = None if drawn_early is None or not spare else drawn_early.start
    record = await pool.evaluate(request.code, on_drawn=on_drawn)
    timing.add("queue", record.queue_ms, "waiting for a worker")
    timing.add(
        "worker", (time.perf_counter() - asked) * 1000 - record.queue_ms, "worker round trip"
    )
    timing.add("run", record.elapsed_ms, "program + graph")
    refused = record.refused
    if refused is not None:
        raise RequestRefused(
            400, refused.type, refused.message, refused.line, refused.col, refused.hint
        )
    outline = _outline(record)
    error = record.error
    body: dict[str, Any] = {
        "stdout": record.stdout,
        "stdout_truncated": record.stdout_truncated,
        "notes": record.notes,
        "error": None
        if error is None
        else {
            "type": error.type,
            "message": error.message,
            "message_zh": chinese(error.type, error.message),
            "line": error.line,
            "col": error.col,
            "hint": error.hint,
        },
        "truncated": record.truncated,
        "timed_out": record.timed_out,
        "elapsed_ms": record.elapsed_ms,
        "dot": None,
        "svg": None,
        "render_error": None,
    }
    if drawn_early is not None:
        drawing_started = time.perf_counter()
        # Drawn in a drawing process under one deadline, never on this event loop; it gets
        # the part of the graph a drawing reads (a large graph's, early, from the worker).
        drawn = await drawn_early.drawing_of(outline)
        if drawn is not None:
            timing.add("render", (drawn_early.finished - drawn_early.started) * 1000, _EARLY)
        else:
            if record.decoded_graph is None:  # let go once checked: decoded again, off the loop
                await asyncio.to_thread(getattr, record, "graph")
            drawn = await drawing.draw(
                drawable_graph(record), dot=request.dot, svg=request.svg, lang=request.lang
            )
            timing.since("render", drawing_started, "DOT + SVG")
        body["dot"], body["svg"], body["render_error"] = drawn.dot, drawn.svg, drawn.error
    for field in outline.fields:  # the graph's own fields (its "truncated") are not repeated
        body.pop(field, None)
    graph_json = record.graph_json
    if graph_json is None:  # no graph came (or the record was made here, as a test's)
        graph_json = _graph_bytes(record.graph or _EMPTY_GRAPH)
    content = _answer(graph_json, body)
    reproducible = record.deterministic and not record.timed_out and not record.crashed
    if reproducible and body["render_error"] is None:
        cache.put(key, content)
    headers = {"X-Cache": "miss", "Server-Timing": timing.header()}
    return Response(content, media_type="application/json", headers=headers)


_EARLY = "DOT + SVG, begun during the worker run"


def _outline(record: EvalRecord) -> GraphOutline:
    """The fields and sizes of the record's graph (or the empty graph's), without decoding a
    graph the pool let go of."""
    if record.outline is not None:
        return record.outline
    return GraphOutline.of(record.graph or _EMPTY_GRAPH)


def drawable_graph(record: EvalRecord) -> bytes | GraphJson:
    """What a drawing process gets: the part of the graph a drawing reads (for a large graph,
    made in a thread once the drawing is admitted), else the graph as the worker sent it (or
    an empty one)."""
    graph = record.graph or _EMPTY_GRAPH
    items = sum(len(part) for key in ("nodes", "edges") if isinstance(part := graph.get(key), list))
    if items < _DRAWN_PART_IN_THREAD:
        return drawn_part(graph) or record.graph_json or _graph_bytes(graph)

    async def made_in_thread() -> bytes:
        part = await asyncio.to_thread(drawn_part, graph)
        return part or record.graph_json or _graph_bytes(graph)

    return made_in_thread


# From this many nodes and edges (some 5 ms of work) the drawn part is made off the event loop.
_DRAWN_PART_IN_THREAD = 4000


def _graph_bytes(graph: dict[str, Any]) -> bytes:
    """The graph's JSON when the worker sent none (ASCII: any text crosses)."""
    return json.dumps(graph, separators=(",", ":")).encode()


def _answer(graph_json: bytes, rest: dict[str, Any]) -> bytes:
    """The JSON answer: the graph's fields, then ``rest``.

    The graph goes in as the worker encoded it (the pool checked that it parses as an object),
    so a large graph is not encoded a second time.
    """
    try:
        tail = orjson.dumps(rest)  # the SVG is most of it: 10x faster than json.dumps
    except orjson.JSONEncodeError:  # text that cannot be UTF-8 (a lone surrogate)
        text = json.dumps(rest, ensure_ascii=False, separators=(",", ":"))
        tail = text.encode("utf-8", "replace")  # never fails, whatever text a program made
    inner = _inner(graph_json)
    # One copy into the answer (a 10,000-op chain's is 34 MB: each copy of that into fresh
    # memory costs some 20 ms).
    return b"".join((b"{", inner, b",", memoryview(tail)[1:])) if inner else tail


_SPACE = b" \t\n\r\x0b\x0c"  # what bytes.strip() strips


def _inner(text: bytes) -> memoryview:
    """What lies between the braces of a JSON object's text, the spaces around it left out
    (``text.strip()[1:-1].strip()``), without copying it."""
    start, end = _stripped(text, 0, len(text))
    start, end = _stripped(text, start + 1, max(start + 1, end - 1))  # inside the braces
    return memoryview(text)[start:end]


def _stripped(text: bytes, start: int, end: int) -> tuple[int, int]:
    """``start`` and ``end`` moved past the spaces at either end of ``text[start:end]``."""
    while start < end and text[start] in _SPACE:
        start += 1
    while end > start and text[end - 1] in _SPACE:
        end -= 1
    return start, end
