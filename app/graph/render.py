"""Draw a graph: ``to_dot`` writes Graphviz DOT, ``to_svg`` lays it out with Graphviz ``dot``.

Node and edge ids in the DOT (and so the ``id`` attributes of the SVG's ``<g>`` elements) are
the JSON ids, so a client can tie every shape in the picture to its node in the JSON.
"""

from __future__ import annotations

import functools
import subprocess
from typing import Any

import graphviz

from app.graph.model import Graph

# The visual language; the playground's legend mirrors it.
_TENSOR_STYLE: dict[str, dict[str, str]] = {
    "leaf": {"fillcolor": "#cfe8ff", "color": "#2b6cb0"},
    "parameter": {"fillcolor": "#d9f2d9", "color": "#2f855a"},
    "named": {"fillcolor": "#fff3c4", "color": "#b7791f"},
    "root": {"fillcolor": "#ffd8cc", "color": "#c05621", "penwidth": "2"},
    "constant": {"fillcolor": "#f2f2f2", "color": "#718096", "style": "filled,dashed"},
    "detached": {"fillcolor": "#f2f2f2", "color": "#718096", "style": "filled,dashed"},
    "no_grad": {"fillcolor": "#ede4ff", "color": "#6b46c1", "style": "filled,dashed"},
}
_EDGE_STYLE: dict[str, dict[str, str]] = {
    "data": {},
    "saved": {"style": "dashed", "color": "#718096", "arrowhead": "empty"},
    "detach": {"style": "dotted", "color": "#718096", "label": "detach"},
}


class RenderError(Exception):
    """Graphviz failed or took too long to lay out the graph."""


def to_dot(graph: Graph | dict[str, Any]) -> str:
    """The graph as Graphviz DOT, inputs at the top and the backward roots at the bottom."""
    data = graph.to_dict() if isinstance(graph, Graph) else graph
    dot = graphviz.Digraph(
        "autograd",
        graph_attr={
            "rankdir": "TB",
            "newrank": "true",
            "bgcolor": "transparent",
            "fontname": "Helvetica",
            "nodesep": "0.3",
            "ranksep": "0.35",
        },
        node_attr={"fontname": "Helvetica", "fontsize": "11", "height": "0.3"},
        edge_attr={
            "arrowsize": "0.7",
            "color": "#4a5568",
            "fontname": "Helvetica",
            "fontsize": "9",
        },
    )
    for node in data["nodes"]:
        if node["kind"] == "tensor":
            shape = str(node["shape"]) if node["shape"] else "scalar"
            style = {"style": "filled", **_TENSOR_STYLE[node["role"]]}
            dot.node(node["id"], f"{node['label']}\\n{shape}", id=node["id"], shape="box", **style)
        else:
            dot.node(
                node["id"],
                node["op"],
                id=node["id"],
                shape="box",
                style="rounded,filled",
                fillcolor="#ffffff",
                color="#4a5568",
            )
    for edge in data["edges"]:
        dot.edge(edge["source"], edge["target"], id=edge["id"], **_EDGE_STYLE[edge["kind"]])
    source: str = dot.source
    return source


def to_svg(dot_source: str, timeout_s: float = 10.0) -> str:
    """Lay out DOT with Graphviz and return the SVG (cached by content)."""
    return _render_svg(dot_source, timeout_s)


@functools.lru_cache(maxsize=256)
def _render_svg(dot_source: str, timeout_s: float) -> str:
    try:
        done = subprocess.run(
            ["dot", "-Tsvg"],
            input=dot_source.encode(),
            capture_output=True,
            timeout=timeout_s,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise RenderError(f"graph layout took longer than {timeout_s} s") from exc
    except OSError as exc:
        raise RenderError(f"Graphviz is not available: {exc}") from exc
    if done.returncode != 0:
        raise RenderError(f"Graphviz failed: {done.stderr.decode(errors='replace').strip()[:300]}")
    return done.stdout.decode()
