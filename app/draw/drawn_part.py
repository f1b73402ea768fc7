"""The part of a graph a drawing reads: what the server sends a drawing process.

A drawing reads a node's id, kind and the words in its box, and an edge's ends and kind
(``render.py``, ``layout.py``, ``placed_svg.py``, ``words.py``). The rest of a graph (the
values, saved tensors and backward passes) is most of a large graph's JSON: a 10,000-op
chain's is 16 MB, of which a drawing needs 3 MB. Sending that part only spares the drawing
process most of its decoding (0.2 s of CPU for the chain) and the pipe most of its bytes;
the drawing is the same.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import orjson

from app.collector import collector_paused

# What the drawing code reads, by kind of item: a field it starts reading goes here too
# (tests/unit/test_drawn_part.py draws the gallery both ways and compares).
NODE_FIELDS = ("id", "kind", "label", "name", "names", "role", "shape", "op", "version")
EDGE_FIELDS = ("id", "source", "target", "kind")


def drawn_part(graph: Mapping[str, Any]) -> bytes | None:
    """The JSON of ``graph``'s nodes and edges with only ``NODE_FIELDS`` and ``EDGE_FIELDS``
    (a field a node lacks stays absent), or None where the graph is not lists of objects
    (the caller then sends it whole, and the drawing says what is wrong with it)."""
    nodes, edges = graph.get("nodes"), graph.get("edges")
    if not isinstance(nodes, list) or not isinstance(edges, list):
        return None
    if not all(type(node) is dict for node in nodes) or not all(
        type(edge) is dict for edge in edges
    ):
        return None
    with collector_paused():  # tens of thousands of small dicts, no cycles
        part = {
            "nodes": [{key: node[key] for key in NODE_FIELDS if key in node} for node in nodes],
            "edges": [{key: edge[key] for key in EDGE_FIELDS if key in edge} for edge in edges],
        }
        try:
            return orjson.dumps(part)
        except orjson.JSONEncodeError:  # a lone surrogate, or nesting deeper than orjson goes
            pass
        try:
            return json.dumps(part, ensure_ascii=True).encode("ascii")
        except (ValueError, TypeError, RecursionError):
            return None
