"""The wire between the server and a worker: JSON lines on the worker's own Unix socket.

- The worker first writes ``{"ready": true, ...}`` (``ready_line``).
- Then the server writes one request per line (``request_line``): the program and its limits,
  and whether it will draw the graph (``"early_drawing": true``).
- The worker answers each with two lines (``reply_lines``): the ``EvalRecord`` without its
  graph, then the graph. The graph travels on a line of its own so the server can put it
  into its answer as it came, after checking it parses, instead of encoding it again.
- Before them, asked to and for a graph of ``EARLY_DRAWING_ITEMS`` nodes and edges or more,
  the worker writes one line more, ``{"drawn": {"nodes": [...], "edges": [...]}}``
  (``early_line``): the part of the graph a drawing reads (``app/drawn_fields.py``), as soon
  as extraction knows it, so the server draws while the worker makes the graph's values.

JSON only, in both directions: the server never unpickles anything a worker sends, and
``read_reply`` accepts nothing but a record and a graph of the contract's fields,
``read_early`` nothing but a drawn part: lists of objects of the drawn fields, passed on to a
drawing process as it came (as the graph goes into the answer).
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import asdict, dataclass
from typing import Any

import orjson

from app.collector import collector_paused
from app.drawn_fields import EDGE_FIELDS, NODE_FIELDS
from app.graph_model import Edge, FunctionNode, Graph, TensorNode
from app.limits import Limits
from app.record import EvalRecord, GraphOutline
from app.walk.encode import drawn_json, graph_json
from app.workers.json_outline import Unreadable, graph_outline

# The graph's own fields: a reply's graph line may hold nothing else (the answer embeds it).
GRAPH_FIELDS = frozenset(
    {"nodes", "edges", "backward", "truncated", "variables", "omitted", "curve", "modules"}
)
# From this size on, a graph is decoded with the garbage collector paused, off the event loop.
LARGE_REPLY_BYTES = 256 * 1024
# A graph of this many nodes and edges or more is drawn from an early line (a 10,000-op
# chain has 40,000): below it, drawing it takes tens of ms, and the line would cost more
# than the overlap saves.
EARLY_DRAWING_ITEMS = 4000
# How an early line starts: a record's head starts with ``{"ok"``.
EARLY_PREFIX = b'{"drawn": '
_NODE_FIELDS = frozenset(NODE_FIELDS)
_EDGE_FIELDS = frozenset(EDGE_FIELDS)


class MalformedReply(ValueError):
    """What a worker sent is not a record and a graph."""


def ready_line(pid: int, missing_layers: list[str], rss_mb: float) -> bytes:
    """The worker's first line: it is locked down and ready."""
    ready = {"ready": True, "pid": pid, "missing_layers": missing_layers, "rss_mb": rss_mb}
    return json.dumps(ready).encode("ascii") + b"\n"


def request_tail(limits: Limits) -> bytes:
    """What follows the program in every request line (the same for every request)."""
    return b', "limits": ' + json.dumps(asdict(limits)).encode() + b"}\n"


def request_line(code: str, tail: bytes, *, early_drawing: bool = False) -> bytes:
    """One request: the program, whether a large graph's drawn part is wanted early, then
    ``request_tail(limits)``."""
    early = b', "early_drawing": true' if early_drawing else b""
    return b'{"code": ' + json.dumps(code).encode() + early + tail


def read_request(line: bytes) -> tuple[str, Limits]:
    """The program and limits of one request line."""
    code, limits, _ = read_request_line(line)
    return code, limits


def read_request_line(line: bytes) -> tuple[str, Limits, bool]:
    """The program, limits and whether the drawn part is wanted early, of one request line."""
    request: dict[str, Any] = json.loads(line)
    return request["code"], Limits(**request.get("limits", {})), bool(request.get("early_drawing"))


def early_line(part: bytes) -> bytes:
    """The early line around a drawn part's JSON (``app/walk/encode.py``'s ``drawn_json``)."""
    return EARLY_PREFIX + part + b"}\n"


def early_reply(
    nodes: list[TensorNode | FunctionNode], edges: list[Edge], max_bytes: int
) -> bytes | None:
    """The early line of a graph of these nodes and edges, or None for a small graph, a part
    over ``max_bytes`` (the graph's byte limit: the line is read under the same limit as the
    graph's, and a graph over it is cut after its values are shed), or a part that cannot be
    encoded: the server then draws from the graph, as it did before."""
    if len(nodes) + len(edges) < EARLY_DRAWING_ITEMS:
        return None
    part = drawn_json(nodes, edges)
    return None if part is None or len(part) > max_bytes else early_line(part)


@dataclass(frozen=True)
class EarlyPart:
    """The drawn part of an early line as the worker sent it (it parses as one), and how many
    nodes and edges it has."""

    json: bytes
    nodes: int
    edges: int


def read_early(line: bytes) -> EarlyPart:
    """The drawn part of an early line: ``{"nodes": [...], "edges": [...]}``, each item an
    object of the drawn fields only; raises MalformedReply if it is anything else. Its text is
    what parsed, so a drawing process gets exactly what was checked."""
    if not line.startswith(EARLY_PREFIX) or not line.endswith(b"}\n"):
        raise MalformedReply("not an early line")
    text = line[len(EARLY_PREFIX) : -2]
    try:
        part = _decode(text)
    except (ValueError, TypeError, RecursionError) as exc:
        raise MalformedReply(str(exc)) from exc
    if not isinstance(part, dict) or set(part) != {"nodes", "edges"}:
        raise MalformedReply("not a drawn part")
    nodes, edges = part["nodes"], part["edges"]
    if not _items_of(nodes, _NODE_FIELDS) or not _items_of(edges, _EDGE_FIELDS):
        raise MalformedReply("not a drawn part")
    return EarlyPart(text, len(nodes), len(edges))


def _items_of(items: Any, allowed: frozenset[str]) -> bool:
    """Whether ``items`` is a list of objects with no field but ``allowed``."""
    return isinstance(items, list) and all(
        type(item) is dict and item.keys() <= allowed for item in items
    )


def reply_lines(record: EvalRecord) -> bytes:
    """The record's two lines: its head, then its graph (``null`` if none)."""
    # ASCII JSON: any text a program produced, even lone surrogates, crosses safely.
    head = json.dumps(record.head(), ensure_ascii=True).encode("ascii")
    graph = record.graph_json  # encoded by ``evaluate``, cut to the size limit
    return head + b"\n" + (graph or graph_line(record.graph_model)) + b"\n"


def graph_line(graph: Graph | dict[str, Any] | None) -> bytes:
    """The graph as one line of JSON (``app/walk/encode.py``)."""
    return graph_json(graph)


def read_reply(head: bytes, graph: bytes, *, keep_graph: bool = True) -> EvalRecord:
    """The record of a worker's two reply lines; raises MalformedReply if they are not one.

    Without ``keep_graph`` the decoded graph is let go once checked, before the collector
    resumes (it would walk its hundreds of thousands of objects: more than the decoding cost),
    and the record keeps its outline: a caller that needs the graph decodes ``graph_json``.
    """
    try:
        fields = json.loads(head)
        decoded, outline = _checked(graph, keep_graph=keep_graph)
        if not isinstance(fields, dict):
            raise MalformedReply("not a record")
        record = EvalRecord.from_head(fields)
    # not JSON (or nested past the JSON readers' depth), or not of the record's shape
    except (ValueError, TypeError, RecursionError) as exc:
        raise MalformedReply(str(exc)) from exc
    record.decoded_graph = decoded
    record.outline = outline
    # The graph's JSON text as the worker sent it (it parsed, so it is valid JSON).
    record.graph_json = graph.rstrip(b"\n") if outline is not None else None
    return record


def _checked(graph: bytes, *, keep_graph: bool) -> tuple[Any, GraphOutline | None]:
    """The graph line decoded (``keep_graph``), or only checked, and its outline (None for
    no graph); raises MalformedReply if it is not a graph."""
    if not keep_graph and len(graph) >= LARGE_REPLY_BYTES:
        try:
            is_graph, outline = graph_outline(graph, GRAPH_FIELDS)
        except Unreadable:
            pass  # decoded below, which accepts or refuses it
        else:
            if not is_graph:
                raise MalformedReply("not a graph")
            return None, outline
    with collector_paused() if len(graph) >= LARGE_REPLY_BYTES else contextlib.nullcontext():
        decoded = _json(graph)
        if not _is_graph(decoded):
            raise MalformedReply("not a graph")
        outline = None if decoded is None else GraphOutline.of(decoded)
        if not keep_graph:
            decoded = None  # freed here, its objects unseen by the collector
    return decoded, outline


def _is_graph(graph: Any) -> bool:
    """None, or an object with the graph's fields only (the answer embeds it as it came)."""
    return graph is None or (isinstance(graph, dict) and set(graph) <= GRAPH_FIELDS)


def _decode(line: bytes) -> Any:
    """A graph from a worker. A large one is decoded with the garbage collector paused: a 4 MB
    graph is some 250,000 new objects, and the collections they would trigger cost 5x the decode."""
    if len(line) < LARGE_REPLY_BYTES:
        return _json(line)
    with collector_paused():
        return _json(line)


def _json(line: bytes) -> Any:
    """orjson (1.5-2.5x faster), else the standard library, which also reads the ``NaN`` a
    worker's fallback encoder may write; raises ValueError if neither can read it."""
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError:
        return json.loads(line)
