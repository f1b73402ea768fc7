"""static/js/graph-model.js, run in the browser on the server's real answers: the index, edges
in and out, lineage, gradients and backward steps agree with the JSON; fold is pure."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from app.examples import get_example

pytestmark = pytest.mark.browser

Api = Callable[[str], dict[str, Any]]

# Everything the model answers about every node and edge of `graph`, as plain data.
DUMP = """async (graph) => {
  const { createGraphModel } = await import("/static/js/graph-model.js");
  const model = createGraphModel(graph);
  const ids = (list) => list.map((item) => item.id);
  const sorted = (set) => [...set].sort();
  return {
    nodes: Object.fromEntries(graph.nodes.map((node) => [node.id, {
      same: model.node(node.id) === node,
      incoming: ids(model.incoming(node.id)),
      outgoing: ids(model.outgoing(node.id)),
      edgesAt: ids(model.edgesAt(node.id)),
      ancestors: sorted(model.ancestors(node.id)),
      descendants: sorted(model.descendants(node.id)),
      lineage: sorted(model.lineage(node.id)),
      name: model.name(node.id),
      steps: model.stepsOf(node.id).map((s) => [s.passPos, s.stepIndex, s.pass === graph.backward[s.passPos]]),
    }])),
    edges: Object.fromEntries(graph.edges.map((edge) => [edge.id, {
      same: model.edge(edge.id) === edge,
      grads: graph.backward.map((pass) => model.gradOn(edge.id, pass.index)?.text ?? null),
    }])),
    unknown: [model.node("nope"), model.edge("nope"), model.hasNode("nope"), model.incoming("nope").length],
    empty: (() => {
      const none = createGraphModel(null);
      return [none.nodes.length, none.edges.length, none.backward.length, none.svg, none.source];
    })(),
  };
}"""

FOLD = """async ({ graph, members, id, label }) => {
  const { createGraphModel, fold } = await import("/static/js/graph-model.js");
  const model = createGraphModel(graph);
  const before = JSON.stringify([model.nodes, model.edges, model.backward]);
  const folded = fold(model, members, { id, label });
  return {
    unchanged: JSON.stringify([model.nodes, model.edges, model.backward]) === before,
    nodes: folded.nodes.map((node) => node.id),
    group: folded.node(id),
    edges: folded.edges.map((edge) => [edge.id, edge.source, edge.target, edge.kind, edge.grads.length]),
    descendants: [...folded.descendants("n4")].sort(),
    ancestors: [...folded.ancestors("n0")].sort(),
    steps: folded.backward.map((pass) => pass.steps.map((step) => [step.node, step.edges])),
    roots: folded.backward.map((pass) => pass.roots),
    groupSteps: folded.stepsOf(id).map((s) => s.stepIndex),
    svg: folded.svg,
    sameSource: folded.source === model.source,
    nothing: fold(model, ["nope"]) === model,
  };
}"""


def reach(start: str, step: dict[str, list[str]]) -> set[str]:
    found = {start}
    todo = [start]
    while todo:
        for other in step.get(todo.pop(), []):
            if other not in found:
                found.add(other)
                todo.append(other)
    return found


@pytest.fixture
def module_page(page: Page, server: str) -> Page:
    """A page of the app's origin (the embed page with no program), to import modules from."""
    page.goto(f"{server}/embed")
    expect(page.locator("body")).to_have_attribute("data-ready", "empty")
    return page


def program(example_id: str) -> str:
    example = get_example(example_id)
    assert example is not None
    return example.code


@pytest.mark.parametrize("example_id", ["scalar_chain", "grad_accumulation", "mlp_module"])
def test_model_answers_what_the_json_says(module_page: Page, api: Api, example_id: str) -> None:
    graph = api(program(example_id))
    dump = module_page.evaluate(DUMP, graph)
    edges = graph["edges"]
    parents: dict[str, list[str]] = {}
    children: dict[str, list[str]] = {}
    for edge in edges:
        parents.setdefault(edge["target"], []).append(edge["source"])
        children.setdefault(edge["source"], []).append(edge["target"])
    for node in graph["nodes"]:
        got = dump["nodes"][node["id"]]
        assert got["same"]
        assert got["incoming"] == [e["id"] for e in edges if e["target"] == node["id"]]
        assert got["outgoing"] == [e["id"] for e in edges if e["source"] == node["id"]]
        assert got["edgesAt"] == [
            e["id"] for e in edges if node["id"] in (e["source"], e["target"])
        ]
        up, down = reach(node["id"], parents), reach(node["id"], children)
        assert got["ancestors"] == sorted(up)
        assert got["descendants"] == sorted(down)
        between = {
            e["id"]
            for e in edges
            if {e["source"], e["target"]} <= up or {e["source"], e["target"]} <= down
        }
        assert got["lineage"] == sorted(up | down | between)
        assert got["name"] == (node["op"] if node["kind"] == "function" else node["label"])
        assert got["steps"] == [
            [pos, index, True]
            for pos, backward_pass in enumerate(graph["backward"])
            for index, step in enumerate(backward_pass["steps"])
            if step["node"] == node["id"]
        ]
    for edge in edges:
        got = dump["edges"][edge["id"]]
        assert got["same"]
        by_pass = {grad["backward_pass"]: grad["value"]["text"] for grad in edge["grads"]}
        assert got["grads"] == [by_pass.get(p["index"]) for p in graph["backward"]]
    assert dump["unknown"] == [None, None, False, 0]
    assert dump["empty"] == [0, 0, 0, None, None]


def test_lineage_of_x_in_the_scalar_chain(module_page: Page, api: Api) -> None:
    """x = 2; y = x ** 2 + 3; z = y ** 2: everything after x depends on it, nothing before it."""
    graph = api(program("scalar_chain"))
    names = {node["id"]: node["label"] for node in graph["nodes"]}
    lineage = module_page.evaluate(
        """async (graph) => {
          const { createGraphModel } = await import("/static/js/graph-model.js");
          const model = createGraphModel(graph);
          const x = graph.nodes.find((node) => node.label === "x").id;
          return [[...model.ancestors(x)], [...model.descendants(x)]];
        }""",
        graph,
    )
    ancestors, descendants = ([names[i] for i in ids] for ids in lineage)
    assert ancestors == ["x"]
    assert sorted(descendants) == sorted(
        ["x", "PowBackward0", "AddBackward0", "y", "PowBackward0", "z"]
    )


def test_fold_makes_a_new_model_with_one_group_node(module_page: Page, api: Api) -> None:
    """Fold y = x ** 2 + 3 (PowBackward0, AddBackward0, y) into one node of the scalar chain."""
    graph = api(program("scalar_chain"))
    by_label = {(n["label"], n.get("line")): n["id"] for n in graph["nodes"]}
    x, y, z = by_label[("x", 3)], by_label[("y", 4)], by_label[("z", 5)]
    pow_x, add = by_label[("PowBackward0", 4)], by_label[("AddBackward0", 4)]
    pow_y = by_label[("PowBackward0", 5)]
    assert (x, z) == ("n4", "n0")  # the ids FOLD's lineage checks use
    members = [add, pow_x, y]
    result = module_page.evaluate(
        FOLD, {"graph": graph, "members": members, "id": "g1", "label": "y = x ** 2 + 3"}
    )
    assert result["unchanged"]
    first = next(n["id"] for n in graph["nodes"] if n["id"] in members)
    expected_nodes = [n["id"] for n in graph["nodes"] if n["id"] not in members]
    expected_nodes.insert([n["id"] for n in graph["nodes"]].index(first), "g1")
    assert result["nodes"] == expected_nodes
    assert result["group"] == {
        "id": "g1",
        "kind": "group",
        "label": "y = x ** 2 + 3",
        "members": [n["id"] for n in graph["nodes"] if n["id"] in members],
    }
    # Inside edges go; crossing edges keep their id, kind and gradients and end at the group.
    expected_edges = []
    for e in graph["edges"]:
        source = "g1" if e["source"] in members else e["source"]
        target = "g1" if e["target"] in members else e["target"]
        if source == target == "g1":
            continue
        expected_edges.append([e["id"], source, target, e["kind"], len(e["grads"])])
    assert result["edges"] == expected_edges
    assert [edge[1:3] for edge in expected_edges] == [[pow_y, z], ["g1", pow_y], [x, "g1"]]
    assert result["descendants"] == sorted([x, "g1", pow_y, z])
    assert result["ancestors"] == sorted([x, "g1", pow_y, z])
    kept = {edge[0] for edge in expected_edges}
    assert result["steps"] == [
        [
            ["g1" if s["node"] in members else s["node"], [e for e in s["edges"] if e in kept]]
            for s in p["steps"]
        ]
        for p in graph["backward"]
    ]
    assert result["roots"] == [p["roots"] for p in graph["backward"]]
    assert result["groupSteps"] == [
        i for i, s in enumerate(graph["backward"][0]["steps"]) if s["node"] in members
    ]
    assert result["svg"] is None  # the server's drawing is of the unfolded graph
    assert result["sameSource"]
    assert result["nothing"]
