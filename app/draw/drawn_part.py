"""The part of a graph a drawing reads: what the server sends a drawing process.

A drawing reads a node's id, kind and the words in its box, and an edge's ends and kind
(``render.py``, ``layout.py``, ``placed_svg.py``, ``words.py``). The rest of a graph (the
values, saved tensors and backward passes) is most of a large graph's JSON: a 10,000-op
chain's is 16 MB, of which a drawing needs 3 MB. Sending that part only spares the drawing
process most of its decoding (0.2 s of CPU for the chain) and the pipe most of its bytes;
the drawing is the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.collector import collector_paused
from app.drawn_fields import EDGE_FIELDS, NODE_FIELDS, part_json

__all__ = ["EDGE_FIELDS", "NODE_FIELDS", "drawn_part"]


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
        return part_json(
            [{key: node[key] for key in NODE_FIELDS if key in node} for node in nodes],
            [{key: edge[key] for key in EDGE_FIELDS if key in edge} for edge in edges],
        )
