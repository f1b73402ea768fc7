"""The graph as the JSON a worker sends, cut to the answer's size limit if it is over.

Extraction bounds every part of a graph (nodes, edges, saved values, names, the text of the
values), but not their product: 20,000 edges each carrying a gradient from each of 20 backward
passes is still too much to send. What is shed, in turn, until the JSON fits: the values along
the edges of the older passes, then of every pass, then the numbers and long text of every
value, then the saved values, then nodes from the end (the newest are first). Each is counted
in the graph's ``omitted``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import orjson

from app.drawn_fields import EDGE_FIELDS, NODE_FIELDS, part_json
from app.graph_model import Edge, FunctionNode, Graph, TensorNode, TensorValue

_SHORT_TEXT = 200


def graph_json(graph: Graph | dict[str, Any] | None) -> bytes:
    """The graph as one line of JSON: orjson, straight from the model's dataclasses (UTF-8; a
    large graph 5x faster than the standard library), or the standard library's ASCII escapes
    for what orjson refuses (a lone surrogate in a name a program chose)."""
    try:
        return orjson.dumps(graph)
    except orjson.JSONEncodeError:
        plain = graph.to_dict() if isinstance(graph, Graph) else graph
        return json.dumps(plain, ensure_ascii=True).encode("ascii")


def drawn_json(nodes: list[TensorNode | FunctionNode], edges: list[Edge]) -> bytes | None:
    """The part of a graph a drawing reads (``app/drawn_fields.py``), from the model: the bytes
    the server would make from this graph's JSON (``app/draw/drawn_part.py``)."""
    return part_json(
        [{key: getattr(node, key) for key in _NODE_KEYS[type(node)]} for node in nodes],
        [{key: getattr(edge, key) for key in _EDGE_KEYS} for edge in edges],
    )


# The drawn fields each dataclass has, in NODE_FIELDS' order (a field it lacks stays absent,
# as it is absent from its JSON).
_NODE_KEYS = {
    kind: tuple(key for key in NODE_FIELDS if key in kind.__dataclass_fields__)
    for kind in (TensorNode, FunctionNode)
}
_EDGE_KEYS = tuple(key for key in EDGE_FIELDS if key in Edge.__dataclass_fields__)


def fitted(graph: Graph, max_bytes: int) -> bytes:
    """``graph_json(graph)``, the graph first cut (in place) until its JSON has at most
    ``max_bytes`` bytes."""
    encoded = _encoded(graph)
    for shed in _SHEDDING:
        if encoded is not None and len(encoded) <= max_bytes:
            return encoded
        shed(graph)
        graph.truncated = True
        encoded = _encoded(graph)
    while (encoded is None or len(encoded) > max_bytes) and graph.nodes:
        _keep_nodes(graph, len(graph.nodes) // 2)
        encoded = _encoded(graph)
    return encoded or b"null"


def _encoded(graph: Graph) -> bytes | None:
    """The JSON, or None where it cannot be made (nesting deeper than the encoders go)."""
    try:
        return graph_json(graph)
    except (ValueError, TypeError, RecursionError):
        return None


def _drop_older_values(graph: Graph) -> None:
    """The gradients of every pass but the latest (the one the view opens on)."""
    _drop_values(graph, keep=len(graph.backward) - 1)


def _drop_all_values(graph: Graph) -> None:
    _drop_values(graph, keep=len(graph.backward))


def _drop_values(graph: Graph, keep: int) -> None:
    """The gradients along edges and at leaves of the passes before pass ``keep``."""
    for edge in graph.edges:
        kept = [grad for grad in edge.grads if grad.backward_pass >= keep]
        graph.omitted.values += len(edge.grads) - len(kept)
        edge.grads = kept
    for recorded in graph.backward[:keep]:
        for step in recorded.steps:
            if step.grad is not None:
                graph.omitted.values += 1
                step.grad = None
            graph.omitted.values += len(step.incoming)
            step.incoming = []
            for term in step.chain:
                if term.local is not None:
                    graph.omitted.values += 1
                    term.local = None


def _shorten_values(graph: Graph) -> None:
    """Every value's numbers, and its text past a few lines."""
    for node in graph.nodes:
        if isinstance(node, TensorNode):
            node.value = _short(graph, node.value)
            node.grad = node.grad and _short(graph, node.grad)
        else:
            for saved in node.saved:
                saved.value = saved.value and _short(graph, saved.value)


def _short(graph: Graph, value: TensorValue) -> TensorValue:
    if value.data is None and len(value.text) <= _SHORT_TEXT:
        return value
    graph.omitted.values += 1
    text = value.text if len(value.text) <= _SHORT_TEXT else value.text[:_SHORT_TEXT] + " …"
    return TensorValue(text=text, data=None, shape=value.shape, dtype=value.dtype)


def _drop_saved(graph: Graph) -> None:
    for node in graph.nodes:
        if isinstance(node, FunctionNode):
            graph.omitted.saved += len(node.saved)
            node.saved = []


_SHEDDING: tuple[Callable[[Graph], None], ...] = (
    _drop_older_values,
    _drop_all_values,
    _shorten_values,
    _drop_saved,
)


def _keep_nodes(graph: Graph, count: int) -> None:
    """Only the first ``count`` nodes, and what refers to them only."""
    graph.omitted.nodes += len(graph.nodes) - count
    graph.nodes = graph.nodes[:count]
    kept = {node.id for node in graph.nodes}
    edges = [edge for edge in graph.edges if edge.source in kept and edge.target in kept]
    graph.omitted.edges += len(graph.edges) - len(edges)
    graph.edges = edges
    for node in graph.nodes:
        if isinstance(node, FunctionNode):
            for saved in node.saved:
                saved.tensor = saved.tensor if saved.tensor in kept else None
    edge_ids = {edge.id for edge in edges}
    for recorded in graph.backward:
        recorded.roots = [root for root in recorded.roots if root in kept]
        recorded.steps = [step for step in recorded.steps if step.node in kept]
        if recorded.error is not None and recorded.error.node not in kept:
            recorded.error.node = None
        for step in recorded.steps:
            step.edges = [edge for edge in step.edges if edge in edge_ids]
    variables = {name: node for name, node in graph.variables.items() if node in kept}
    graph.omitted.names += len(graph.variables) - len(variables)
    graph.variables = variables
