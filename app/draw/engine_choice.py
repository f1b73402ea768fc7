"""Which engine lays out a graph: Graphviz's ``dot``, or ``app/draw/layout.py``'s layered
layout, chosen by the graph's size and shape.

``dot`` draws most graphs best, but its time grows faster than the graph, and not only with
the node count: it routes every edge that spans several ranks through a chain of virtual
nodes and orders them all. A 710-node MLP whose backward pass is written by hand (its
weights feed every later step: 4,252 such points) took 9 s, where a 1,500-node MLP takes
0.2 s. The layered layout is linear in nodes, edges and those points, so any rule below that
a graph meets sends it there.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from app.draw.layout import long_edge_points

Measure = Callable[[Mapping[str, Any]], int]

# Each rule: what is counted, how, and from how many on the layered layout draws the graph.
# Cheapest first: the count of long-edge points walks the graph once.
LAYERED_FROM: tuple[tuple[str, Measure, int], ...] = (
    # dot: about 0.2 s for a 1,500-node MLP, 2 s at 5,000 nodes.
    ("nodes", lambda graph: len(graph["nodes"]), 2000),
    # dot: 8 s for 7 nodes joined by 300,000 parallel edges.
    ("edges", lambda graph: len(graph["edges"]), 4000),
    # dot: 0.15 s at 265 points (the LSTM example), 0.7 s at 1,412, 5 s at 2,656, 9 s at 4,252.
    ("long-edge points", long_edge_points, 1000),
)


def layered_because(graph: Mapping[str, Any]) -> str | None:
    """The first rule of ``LAYERED_FROM`` that ``graph`` (the JSON graph) meets, or None
    (Graphviz's ``dot`` then lays it out)."""
    for name, measure, threshold in LAYERED_FROM:
        if measure(graph) >= threshold:
            return name
    return None
