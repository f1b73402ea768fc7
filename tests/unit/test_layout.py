"""The layered layout of large graphs (every node placed, inputs above their consumers, no
overlapping boxes, deep chains straight) and the SVG drawn from it (app/draw/placed_svg.py):
Graphviz's structure and styles, tied to the JSON ids, hostile text kept as text."""

from __future__ import annotations

import itertools
import random
from typing import Any
from xml.etree import ElementTree

import pytest
import torch

from app.draw import layout
from app.draw.engine_choice import layered_because
from app.draw.layout import box_size, layered_layout, node_lines
from app.draw.palette import EDGE_COLOR, EDGE_STYLES, FUNCTION_STYLE, ROLE_STYLES
from app.draw.placed_svg import placed_svg
from app.draw.render import LAYERED_MIN_NODES, to_dot, to_layered_svg, to_svg
from app.evaluate import evaluate
from app.examples import load_examples
from app.limits import Limits
from bench.programs import manual_backprop
from tests.reference import run_reference

SVG = "{http://www.w3.org/2000/svg}"


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
    positions = layered_layout(graph).positions
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


def test_a_weight_used_at_every_step_is_laid_out() -> None:
    # Each step uses w three times: over 50,000 layers skipped in all, so the long edges link
    # their ends directly, and the rows they reach are wider than the row under w.
    graph = _graph(
        "w = torch.ones(3, requires_grad=True)\n"
        "x = torch.ones(3, requires_grad=True)\n"
        "h = x * w + x / w\n"
        "for i in range(250):\n"
        "    h = h * w + (h + w) + (h - w)\n"
        "h.sum().backward()\n"
    )
    w = torch.ones(3, requires_grad=True)
    x = torch.ones(3, requires_grad=True)
    h = x * w + x / w
    for _ in range(250):
        h = h * w + (h + w) + (h - w)
    uses = sum(1 for _ in _uses_of(h.grad_fn, w))
    leaf = next(n["id"] for n in graph["nodes"] if n["kind"] == "tensor" and n["label"] == "w")
    assert sum(1 for e in graph["edges"] if e["source"] == leaf) == uses == 752
    _check_layout(graph)


def _uses_of(root: Any, leaf: torch.Tensor) -> Any:
    """Each link from a node of ``root``'s graph to ``leaf``'s AccumulateGrad."""
    seen, stack = set(), [root]
    while stack:
        node = stack.pop()
        if node is None or node in seen:
            continue
        seen.add(node)
        for child, _ in node.next_functions:
            if child is not None and getattr(child, "variable", None) is leaf:
                yield child
            stack.append(child)


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
    assert set(layered_layout(graph).positions) == {"a", "b", "c"}


def test_large_graph_svg_has_graphviz_structure_and_json_ids() -> None:
    graph = _graph(_mlp(LAYERED_MIN_NODES // 5 + 10))
    nodes = len(graph["nodes"])
    assert nodes >= LAYERED_MIN_NODES
    svg = to_svg(to_dot(graph), node_count=nodes, graph=graph)
    root = ElementTree.fromstring(svg)  # well-formed XML
    groups = root.findall(f"./{SVG}g/{SVG}g")
    by_class: dict[str, list[ElementTree.Element]] = {"node": [], "edge": []}
    for group in groups:
        by_class[group.get("class", "")].append(group)
    assert {g.get("id") for g in by_class["node"]} == {n["id"] for n in graph["nodes"]}
    assert {g.get("id") for g in by_class["edge"]} == {e["id"] for e in graph["edges"]}
    labels = {n["id"]: node_lines(n) for n in graph["nodes"]}
    for group in by_class["node"]:
        assert group.find(f"{SVG}title") is not None
        assert group.find(f"{SVG}polygon") is not None or group.find(f"{SVG}path") is not None
        assert [t.text for t in group.findall(f"{SVG}text")] == labels[group.get("id", "")]
    for group in by_class["edge"]:
        assert group.find(f"{SVG}path") is not None and group.find(f"{SVG}polygon") is not None
    # The picture is as narrow as the layout.
    assert float(root.get("width", "").removesuffix("pt")) < 600


def test_drawn_large_graph_keeps_the_styles_of_small_ones() -> None:
    code = (
        "x = torch.ones(2, requires_grad=True)\nc = torch.ones(2)\ny = (x * c).sum()\n"
        "z = y.detach()\nw = y * 2 + z\nw.backward()\n"
    )
    graph = _graph(code)
    small = to_svg(to_dot(graph), node_count=len(graph["nodes"]))
    big = to_layered_svg(graph)

    def fills(svg: str) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for group in ElementTree.fromstring(svg).iter(f"{SVG}g"):
            if group.get("class") in ("node", "edge"):
                shapes = [el for el in group if el.tag in (f"{SVG}polygon", f"{SVG}path")]
                found[group.get("id", "")] = {
                    f"{el.get('fill')} {el.get('stroke')} {bool(el.get('stroke-dasharray'))}"
                    for el in shapes
                }
        return found

    assert fills(big) == fills(small)
    assert "detach" in big  # the detach edge's label


def test_drawn_large_graph_texts_get_graphviz_fonts() -> None:
    """Node texts inherit their font from the graph's group (written once, not on each of
    20,000 texts); what each text gets, its own attributes or its ancestors', is what
    Graphviz writes on it for the same graph (an edge label's anchor aside)."""
    code = (
        "x = torch.ones(2, requires_grad=True)\nc = torch.ones(2)\ny = (x * c).sum()\n"
        "z = y.detach()\nw = y * 2 + z\nw.backward()\n"
    )
    graph = _graph(code)
    small = to_svg(to_dot(graph), node_count=len(graph["nodes"]))
    big = to_layered_svg(graph)
    fonts = ("font-family", "font-size", "text-anchor")

    def text_fonts(svg: str) -> dict[str, list[tuple[str | None, ...]]]:
        found: dict[str, list[tuple[str | None, ...]]] = {}

        def visit(element: ElementTree.Element, inherited: dict[str, str | None]) -> None:
            own = {name: element.get(name, inherited.get(name)) for name in fonts}
            if element.tag == f"{SVG}g" and element.get("class") in ("node", "edge"):
                found[element.get("id", "")] = [
                    tuple(text.get(name, own[name]) for name in fonts)
                    for text in element.iter(f"{SVG}text")
                ]
            for child in element:
                visit(child, own)

        visit(ElementTree.fromstring(svg), {})
        return found

    drawn, graphviz = text_fonts(big), text_fonts(small)
    # An edge's label starts beside its line here (Graphviz centres it on a point it routes).
    for edge in graph["edges"]:
        drawn[edge["id"]] = [texts[:2] for texts in drawn[edge["id"]]]
        graphviz[edge["id"]] = [texts[:2] for texts in graphviz[edge["id"]]]
    assert drawn == graphviz
    assert ("Helvetica,sans-Serif", "11.00", "middle") in drawn[graph["nodes"][0]["id"]]
    assert big.count("font-family") == 1


def test_the_layout_measures_each_box_once_for_the_drawing() -> None:
    """The layout hands the drawing each node's lines and box (measured once, not again per
    node by the SVG): the same texts and sizes as measured from the node itself, and the same
    picture as from a layout that carries none."""
    code = "x = torch.tensor(1.0, requires_grad=True)\ny = x\nfor i in range(30):\n    y = torch.sin(y)\n"
    graph = _graph(code + "z = x.detach()\nw = (y * 2 + z).sum()\nw.backward()\n")
    placed = layered_layout(graph, "zh")
    for node in graph["nodes"]:
        assert placed.lines[node["id"]] == node_lines(node, "zh")
        assert placed.sizes[node["id"]] == box_size(node_lines(node, "zh"))
    bare = layout.Layout(placed.positions, placed.bends)
    styles = (ROLE_STYLES, EDGE_STYLES, FUNCTION_STYLE, EDGE_COLOR, "zh")
    assert placed_svg(graph, placed, *styles) == placed_svg(graph, bare, *styles)


def test_drawn_labels_and_ids_from_a_hostile_graph_stay_text() -> None:
    evil = '"><script>alert(1)</script><g x="'
    graph = {
        "nodes": [
            {"id": evil, "kind": "tensor", "label": f"a{evil}", "shape": [], "role": "leaf"},
            {"id": "n1", "kind": "function", "op": f"Op{evil}&"},
        ],
        "edges": [{"id": f"e{evil}", "source": evil, "target": "n1", "kind": "data"}],
    }
    svg = to_layered_svg(graph)
    root = ElementTree.fromstring(svg)
    assert not list(root.iter(f"{SVG}script"))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert f"a{evil}" in texts and f"Op{evil}&" in texts
    assert {g.get("id") for g in root.iter(f"{SVG}g")} >= {evil, f"e{evil}", "n1"}


def test_edges_that_skip_layers_bend_around_the_boxes() -> None:
    """A weight shared by every layer: its edges to the deep layers run through their own
    lanes (the layout's bends), never through another node's box."""
    code = (
        "w = torch.ones(1, requires_grad=True)\ny = torch.ones(1)\n"
        "for i in range(6):\n    y = torch.tanh(y * w)\nloss = y.sum()\nloss.backward()\n"
    )
    graph = _graph(code)
    placed = layered_layout(graph)
    long_edges = {edge: points for edge, points in placed.bends.items() if points}
    assert len(long_edges) >= 4  # w feeds layers 2 to 6
    boxes = []
    for node in graph["nodes"]:
        x, y = placed.positions[node["id"]]
        width, height = box_size(node_lines(node))
        boxes.append((x - width / 2, x + width / 2, y - height / 2, y + height / 2))
    for points in long_edges.values():
        for x, y in points:
            assert not any(l <= x <= r and b <= y <= t for l, r, b, t in boxes), (x, y)
    svg = to_layered_svg(graph)
    for group in ElementTree.fromstring(svg).iter(f"{SVG}g"):
        if group.get("id") in long_edges:
            path = group.find(f"{SVG}path")
            assert path is not None
            d = path.get("d", "")
            assert d.count("L") == len(long_edges[group.get("id", "")]) + 1


@pytest.mark.timeout(60)  # the old writer looked each edge up among its siblings: minutes here
def test_300000_parallel_edges_are_placed_and_drawn() -> None:
    """``torch.cat([x] * 99999)`` three times: 299,997 edges between a handful of nodes. The
    layout and the SVG writer are linear in nodes plus edges, so this draws at all (it is
    measured in the benchmark, not timed here); every edge PyTorch records is drawn once."""
    x = torch.ones(1, requires_grad=True)
    cats = [torch.cat([x] * 99999).grad_fn for _ in range(3)]
    nodes: list[dict[str, Any]] = [
        {"id": "x", "kind": "tensor", "label": "x", "shape": [1], "role": "leaf"}
    ]
    edges: list[dict[str, Any]] = []
    for i, cat in enumerate(cats):
        assert cat is not None
        nodes.append({"id": f"cat{i}", "kind": "function", "op": type(cat).__name__})
        for j, _ in enumerate(cat.next_functions):
            edges.append({"id": f"e{i}.{j}", "source": "x", "target": f"cat{i}", "kind": "data"})
    graph = {"nodes": nodes, "edges": edges}
    assert len(edges) == 3 * 99999
    positions = layered_layout(graph).positions
    assert all(positions["x"][1] > positions[f"cat{i}"][1] for i in range(3))
    svg = to_svg(to_dot(graph), graph=graph)  # many edges: the layered path, not Graphviz
    assert svg.count('class="edge"') == len(edges)
    assert svg.count('class="node"') == 4 and ">CatBackward0<" in svg


def test_a_hand_written_backward_pass_takes_the_layered_layout() -> None:
    """Issue 15: a 709-node MLP whose backward pass is written by hand (its weights feed every
    later step: thousands of long-edge points, where Graphviz spent over 10 s) is drawn by the
    layered layout, every node in the SVG; its final loss and its leaves' gradients are plain
    PyTorch's."""
    code = manual_backprop(19)
    record = evaluate(code, Limits())
    graph = record.graph
    assert record.error is None and graph is not None and not record.truncated
    assert len(graph["nodes"]) < LAYERED_MIN_NODES  # not chosen by its size
    assert layered_because(graph) == "long-edge points"
    svg = to_svg(to_dot(graph), graph=graph)
    drawn = {g.get("id") for g in ElementTree.fromstring(svg).iter(f"{SVG}g")}
    assert {node["id"] for node in graph["nodes"]} <= drawn
    reference = run_reference(code)
    params = reference.namespace["params"]
    leaves = [n for n in graph["nodes"] if n["kind"] == "tensor" and n["grad"] is not None]
    assert len(leaves) == len(params)
    for node, param in zip(leaves, params, strict=True):
        assert torch.equal(torch.tensor(node["grad"]["data"]), param.grad)
    (loss,) = [n for n in graph["nodes"] if n["id"] == graph["variables"]["loss"]]
    assert loss["value"]["data"] == reference.namespace["loss"].item()


def test_the_gallery_keeps_graphviz() -> None:
    """Every gallery example (the LSTM's 118 nodes and 265 long-edge points too) is laid out
    by Graphviz: the rules send only large or long-edged graphs to the layered layout."""
    for example in load_examples():
        graph = _graph(example.code)
        assert layered_because(graph) is None, example.id
