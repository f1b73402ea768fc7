"""The layered layout of large graphs: every node placed, inputs above their consumers, no
overlapping boxes, deep chains straight, and the SVG drawn from it tied to the JSON ids."""

from __future__ import annotations

import itertools
import random
import re
from typing import Any

import pytest
import torch

from app.evaluate import evaluate
from app.examples import load_examples
from app.graph import layout
from app.graph.layout import box_size, layered_positions, node_lines
from app.graph.render import LAYERED_MIN_NODES, to_dot, to_svg
from app.sandbox.limits import Limits


def _graph(code: str) -> dict[str, Any]:
    graph = evaluate(code, Limits()).graph
    assert graph is not None
    return graph


def _mlp(depth: int) -> str:
    return (
        "torch.manual_seed(0)\n"
        "layers = []\n"
        f"for i in range({depth}):\n"
        "    layers.append(nn.Linear(4, 4))\n"
        "    layers.append(nn.Tanh())\n"
        "model = nn.Sequential(*layers)\n"
        "loss = model(torch.randn(2, 4)).sum()\n"
        "loss.backward()\n"
    )


def _check_layout(graph: dict[str, Any]) -> dict[str, tuple[float, float]]:
    """Every node placed; each edge points down the page; boxes in one row do not overlap."""
    positions = layered_positions(graph)
    assert set(positions) == {node["id"] for node in graph["nodes"]}
    for edge in graph["edges"]:
        assert positions[edge["source"]][1] > positions[edge["target"]][1], edge
    rows: dict[float, list[tuple[float, float]]] = {}
    for node in graph["nodes"]:
        x, y = positions[node["id"]]
        width = box_size(node_lines(node))[0]
        rows.setdefault(y, []).append((x - width / 2, x + width / 2))
    for boxes in rows.values():
        boxes.sort()
        for (_, right), (left, _) in itertools.pairwise(boxes):
            assert left > right, boxes
    return positions


@pytest.mark.parametrize("example", load_examples(), ids=lambda e: e.id)
def test_gallery_graphs_are_laid_out_cleanly(example: Any) -> None:
    _check_layout(_graph(example.code))


def test_a_deep_mlp_stays_narrow_and_its_main_path_straight() -> None:
    depth = 200
    graph = _graph(_mlp(depth))
    positions = _check_layout(graph)
    xs = [x for x, _ in positions.values()]
    assert max(xs) - min(xs) < 600  # a few boxes wide, whatever the depth
    # The main path is the chain of AddmmBackward0 / TanhBackward0 nodes that plain PyTorch
    # records for the same model; it must be one vertical line in the picture.
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        *[m for _ in range(depth) for m in (torch.nn.Linear(4, 4), torch.nn.Tanh())]
    )
    node = model(torch.randn(2, 4)).sum().grad_fn.next_functions[0][0]
    expected = []
    while node is not None:
        expected.append(type(node).__name__)
        node = next(
            (
                f
                for f, _ in node.next_functions
                if f is not None
                and type(f).__name__ != "TBackward0"
                and type(f).__name__ != "AccumulateGrad"
            ),
            None,
        )
    main_path = [n for n in graph["nodes"] if n["kind"] == "function" and n["op"] in set(expected)]
    assert len(main_path) == len(expected) == 2 * depth
    assert len({positions[n["id"]][0] for n in main_path}) == 1


def test_a_long_chain_is_one_straight_column() -> None:
    graph = _graph(
        "y = torch.ones(1, requires_grad=True)\nfor i in range(1500):\n    y = y * 1.001\n"
    )
    assert len(graph["nodes"]) > 3000
    positions = _check_layout(graph)
    assert len({x for x, _ in positions.values()}) == 1


def test_crossings_are_counted_exactly() -> None:
    rng = random.Random(5)
    for _ in range(200):
        top = [f"t{i}" for i in range(rng.randint(1, 6))]
        bottom = [f"b{i}" for i in range(rng.randint(1, 6))]
        down = {node: [] for node in top + bottom}
        edges = {(a, b) for a in top for b in bottom if rng.random() < 0.4}
        for a, b in edges:
            down[a].append(b)
        index = {node: i for row in (top, bottom) for i, node in enumerate(row)}
        brute = sum(
            1
            for (a, b), (c, d) in itertools.combinations(sorted(edges), 2)
            if (index[a] - index[c]) * (index[b] - index[d]) < 0
        )
        assert layout._crossings([top, bottom], down, index) == brute


def test_ordering_removes_avoidable_crossings() -> None:
    """Two inputs wired crosswise to two operations come out uncrossed."""
    graph = {
        "nodes": [
            {"id": "a", "kind": "tensor", "label": "a", "shape": [], "role": "leaf"},
            {"id": "b", "kind": "tensor", "label": "b", "shape": [], "role": "leaf"},
            {"id": "f", "kind": "function", "op": "ExpBackward0"},
            {"id": "g", "kind": "function", "op": "NegBackward0"},
            {"id": "s", "kind": "function", "op": "AddBackward0"},
        ],
        "edges": [
            {"id": "e0", "source": "a", "target": "g", "kind": "data"},
            {"id": "e1", "source": "b", "target": "f", "kind": "data"},
            {"id": "e2", "source": "f", "target": "s", "kind": "data"},
            {"id": "e3", "source": "g", "target": "s", "kind": "data"},
        ],
    }
    positions = _check_layout(graph)
    a, b, f, g = (positions[k][0] for k in "abfg")
    assert (a < b) == (g < f)


def test_a_cycle_in_hostile_input_still_gets_positions() -> None:
    graph = {
        "nodes": [{"id": k, "kind": "function", "op": "MulBackward0"} for k in "abc"],
        "edges": [
            {"id": f"e{i}", "source": s, "target": t, "kind": "data"}
            for i, (s, t) in enumerate(("ab", "bc", "ca", "aa"))
        ],
    }
    assert set(layered_positions(graph)) == {"a", "b", "c"}


def test_large_graph_svg_is_drawn_at_the_layout_positions() -> None:
    graph = _graph(_mlp(LAYERED_MIN_NODES // 5 + 10))
    nodes = len(graph["nodes"])
    assert nodes >= LAYERED_MIN_NODES
    svg = to_svg(to_dot(graph), node_count=nodes, graph=graph)
    assert set(re.findall(r'<g id="([^"]+)" class="node"', svg)) == {
        n["id"] for n in graph["nodes"]
    }
    assert set(re.findall(r'<g id="([^"]+)" class="edge"', svg)) == {
        e["id"] for e in graph["edges"]
    }
    # The picture is as narrow as the layout: Graphviz kept our positions.
    width = float(re.search(r'<svg width="([0-9.]+)pt"', svg).group(1))  # type: ignore[union-attr]
    assert width < 600
