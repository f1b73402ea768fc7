"""Folding by module (module-fold.js, module-fold-control.js, module-fold-view.js): the pure
folding checked against the API's answer (modules, parameters, shapes), then the playground's
folded picture: opening folded, unfolding by click and Enter, the ×20 block, search and the
stepper on a folded graph."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from app.examples import get_example
from tests.browser.axe import blocking
from tests.browser.playground import Playground

pytestmark = pytest.mark.browser

Api = Callable[[str], dict[str, Any]]
FOLD_LIMIT = 60  # module-fold.js: larger graphs open folded, with at most this many nodes shown

RESIDUAL_STACK = """class Residual(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(6, 6)

    def forward(self, x):
        return x + torch.tanh(self.fc(x))


torch.manual_seed(0)
stem = nn.Linear(3, 6)
blocks = nn.Sequential(*[Residual() for _ in range(12)])
x = torch.randn(2, 3)
loss = blocks(stem(x)).pow(2).sum()
loss.backward()
"""

# The pure part, run in the page on an answer: the tree, the runs, what opens first, the
# folded model for that, and each folded node's numbers.
FOLD = """async ({graph, opened}) => {
  const { createGraphModel } = await import("/static/js/graph-model.js");
  const { moduleTree, firstOpened, foldedView, homes } = await import("/static/js/module-fold.js");
  const model = createGraphModel(graph);
  const tree = moduleTree(model);
  const first = firstOpened(tree, model.nodes.length);
  const open = opened === null ? first ?? new Set() : new Set(opened);
  const rows = new Map(graph.modules.map((row) => [row.path, row]));
  const view = foldedView(model, tree, open, rows);
  return {
    homes: Object.fromEntries(homes(model)),
    runs: [...tree.runs.values()].map((run) => ({ key: run.key, paths: run.paths, type: run.type })),
    first: first === null ? null : [...first].sort(),
    shown: view.nodes.map((node) => node.id),
    groups: view.nodes.filter((node) => node.kind === "group").map((node) => ({ id: node.id, members: node.members, ...node.fold })),
    edges: view.edges.map((edge) => [edge.source, edge.target]),
  };
}"""


def example(example_id: str) -> str:
    found = get_example(example_id)
    assert found is not None
    return found.code


@pytest.fixture
def module_page(page: Page, server: str) -> Page:
    """A page of the app's origin (the embed page with no program), to import modules from."""
    page.goto(f"{server}/embed")
    expect(page.locator("body")).to_have_attribute("data-ready", "empty")
    return page


def fold(page: Page, graph: dict[str, Any], opened: list[str] | None = None) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(FOLD, {"graph": graph, "opened": opened})
    return result


def under(path: str | None, module: str) -> bool:
    return path is not None and (path == module or path.startswith(module + "."))


# --- the pure folding, against the answer ------------------------------------------------------


def test_the_twenty_layer_mlp_folds_its_twenty_blocks_into_one_run(
    module_page: Page, api: Api
) -> None:
    graph = api(example("twenty_layer_mlp"))
    assert len(graph["nodes"]) > FOLD_LIMIT
    by_id = {node["id"]: node for node in graph["nodes"]}
    result = fold(module_page, graph)
    layers = [f"model.layers.{i}" for i in range(20)]
    assert result["runs"] == [
        {"key": "fold:run:model.layers.0", "paths": layers, "type": "Sequential"}
    ]
    # Opened breadth first while at most FOLD_LIMIT nodes show: the model and its layer list,
    # the run of 20 blocks stays one node.
    assert {"model", "model.layers"} <= set(result["first"])
    assert len(result["shown"]) <= FOLD_LIMIT
    (run,) = [g for g in result["groups"] if g["kind"] == "run"]
    assert run["count"] == 20 and run["type"] == "Sequential"
    # The run holds every function node the 20 blocks made and their parameters, nothing else.
    inside = {
        n["id"]
        for n in graph["nodes"]
        if under(n.get("module"), "model.layers")
        or (n.get("role") == "parameter" and n["label"].startswith("model.layers."))
    }
    # ... and the `x` the loop binds between two blocks (made in the run, and only used there).
    near: dict[str, set[str]] = {}
    made = {e["target"] for e in graph["edges"] if e["source"] in inside}
    for e in graph["edges"]:
        near.setdefault(e["source"], set()).add(e["target"])
        near.setdefault(e["target"], set()).add(e["source"])
    between = {i for i in made - inside if near[i] <= inside}
    assert {by_id[i]["label"] for i in between} == {f"x (MLP.forward) #{k}" for k in range(1, 20)}
    assert set(run["members"]) == inside | between
    # Its numbers are PyTorch's (the modules table is checked against PyTorch in
    # tests/unit/test_module_table.py): parameters and the gradient norm of all 20 blocks.
    rows = {row["path"]: row for row in graph["modules"]}
    assert run["parameters"] == sum(rows[p]["parameters"] for p in layers) == 20 * (8 * 8 + 8)
    assert run["gradNorm"] == pytest.approx(
        math.sqrt(sum(rows[p]["grad_norm"] ** 2 for p in layers)), rel=1e-9
    )
    # What goes in is the batch ([4, 8]), what comes out is the last block's output (its gradient's shape).
    assert run["inputs"] == [[4, 8]] and run["outputs"] == [[4, 8]]
    # The input stays outside every module; a parameter lives in the Linear that uses it.
    x = next(n["id"] for n in graph["nodes"] if n["label"] == "batch")
    weight = next(n["id"] for n in graph["nodes"] if n["label"] == "model.layers.7.0.weight")
    assert result["homes"][x] is None
    assert result["homes"][weight] == "model.layers.7.0"
    # Edges keep to what is shown, and none loops on a folded node.
    shown = set(result["shown"])
    assert all(s in shown and t in shown and s != t for s, t in result["edges"])
    assert {by_id[i]["kind"] for i in shown if i in by_id} <= {"tensor", "function"}


ISSUE_MLP = """class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(4, 4) for _ in range(20)])

    def forward(self, x):
        for layer in self.layers:
            x = torch.relu(layer(x))
        return x


torch.manual_seed(0)
model = MLP()
loss = model(torch.randn(2, 4)).sum()
loss.backward()
"""


def test_the_relus_forward_applies_between_the_blocks_fold_into_the_run(
    module_page: Page, api: Api
) -> None:
    """The issue's MLP: `torch.relu` runs in MLP.forward (module `model`), between the 20
    Linear blocks: the ReLUs join the run instead of looping in and out of it."""
    graph = api(ISSUE_MLP)
    result = fold(module_page, graph)
    (run,) = [g for g in result["groups"] if g["kind"] == "run"]
    assert run["type"] == "Linear" and run["count"] == 20
    relus = {n["id"] for n in graph["nodes"] if n.get("op") == "ReluBackward0"}
    assert len(relus) == 20 and all(
        n["module"] == "model" for n in graph["nodes"] if n["id"] in relus
    )
    # The last ReLU's output goes on to `sum`, outside the run: it is the run's output, but every
    # other ReLU only links two blocks.
    assert len(relus - set(run["members"])) <= 1
    assert len(result["shown"]) <= FOLD_LIMIT
    edges = {(s, t) for s, t in result["edges"]}
    assert not any((t, s) in edges for s, t in edges), "no node both feeds and reads the run"


def test_a_stack_of_identical_residual_blocks_is_one_run(module_page: Page, api: Api) -> None:
    graph = api(RESIDUAL_STACK)
    result = fold(module_page, graph)
    blocks = [f"blocks.{i}" for i in range(12)]
    assert [run["paths"] for run in result["runs"]] == [blocks]
    assert len(result["shown"]) <= FOLD_LIMIT
    (run,) = [g for g in result["groups"] if g["kind"] == "run"]
    assert run["type"] == "Residual" and run["count"] == 12
    assert run["parameters"] == 12 * (6 * 6 + 6)
    # The stem (another Linear, another shape) is not part of the run.
    assert all(not under(result["homes"][m], "stem") for m in run["members"])


def test_opening_the_run_shows_each_block_folded(module_page: Page, api: Api) -> None:
    graph = api(example("twenty_layer_mlp"))
    result = fold(module_page, graph, ["model", "model.layers", "fold:run:model.layers.0"])
    blocks = [
        g
        for g in result["groups"]
        if g["kind"] == "module" and g["path"].startswith("model.layers.")
    ]
    assert sorted(g["path"] for g in blocks) == sorted(f"model.layers.{i}" for i in range(20))
    assert all(g["type"] == "Sequential" and g["parameters"] == 72 for g in blocks)


def test_a_small_graph_is_never_folded(module_page: Page, api: Api) -> None:
    graph = api(example("mlp_module"))
    assert len(graph["nodes"]) <= FOLD_LIMIT
    assert fold(module_page, graph)["first"] is None


def test_a_graph_that_stays_large_folded_is_shown_whole(module_page: Page, api: Api) -> None:
    """A long chain outside every module: folding its one Linear leaves hundreds of nodes,
    which the views' own drawing of large graphs shows better than the folded layout."""
    code = (
        "lin = nn.Linear(2, 2)\nh = lin(torch.ones(1, 2))\nfor i in range(250):\n    h = h * 1.01\n"
    )
    graph = api(code)
    outside = [n for n in graph["nodes"] if not n.get("module")]
    assert len(outside) > 400  # FOLD_DRAW_MAX in module-fold.js
    assert fold(module_page, graph)["first"] is None


# --- the playground -------------------------------------------------------------------------------


def folded(app: Playground, name_part: str) -> Locator:
    """The folded module (or run) whose accessible name contains `name_part`."""
    return app.svg.locator("g.node[aria-expanded]").filter(has_text=name_part)


@pytest.fixture
def mlp(page: Page, server: str) -> Playground:
    app = Playground(page, server).open()
    app.choose_example("twenty_layer_mlp")
    return app


def test_the_mlp_opens_folded_with_its_run_marked_x20(mlp: Playground) -> None:
    expect(mlp.svg).to_have_attribute("data-folded", "true")
    assert mlp.nodes.count() <= FOLD_LIMIT
    run = folded(mlp, "×20")
    expect(run).to_have_count(1)
    expect(run).to_contain_text("model.layers.0…19")
    expect(run).to_contain_text("1440 params")
    name = run.get_attribute("aria-label") or ""
    assert name.startswith("Sequential ×20 model.layers.0…19") and "folded module" in name


def test_click_unfolds_the_run_and_fold_back_folds_it(mlp: Playground) -> None:
    before = mlp.nodes.count()
    folded(mlp, "×20").click()
    expect(folded(mlp, "×20")).to_have_count(0)
    expect(folded(mlp, "model.layers.7")).to_have_count(1)
    assert mlp.nodes.count() > before
    back = mlp.page.get_by_role("button", name="Fold back")
    back.focus()
    mlp.page.keyboard.press("Enter")
    expect(folded(mlp, "×20")).to_have_count(1)
    expect(mlp.nodes).to_have_count(before)


def test_enter_unfolds_a_folded_module(mlp: Playground) -> None:
    folded(mlp, "×20").click()
    layer = mlp.node_by_id("fold:model.layers.7")
    expect(layer).to_have_attribute("aria-expanded", "false")
    layer.focus()
    mlp.page.keyboard.press("Enter")
    expect(layer).to_have_count(0)
    expect(mlp.node_by_id("fold:model.layers.7.0")).to_have_count(1)  # its Linear, folded
    graph_ids = mlp.page.evaluate("() => [...document.querySelectorAll('g.node')].map((g) => g.id)")
    assert "fold:model.layers.6" in graph_ids and "fold:model.layers.7" not in graph_ids
    # The focus moved to a node the module showed, so the keyboard goes on from there.
    focused = mlp.page.evaluate("() => document.activeElement.closest('g.node')?.id ?? null")
    assert focused is not None and not focused.startswith("fold:")


def test_search_layers_7_unfolds_and_shows_that_layer(mlp: Playground, api: Api) -> None:
    graph = api(example("twenty_layer_mlp"))
    run = mlp.node_by_id("fold:run:model.layers.0")
    expect(run).to_have_count(1)  # layer 7 starts folded away in the ×20 block
    box = mlp.page.get_by_role("searchbox", name="Find node")
    box.fill("layers.7")
    expect(run).to_have_count(0)
    current = mlp.svg.locator("g.node.is-search-current")
    expect(current).to_have_count(1)
    node_id = current.get_attribute("id")
    node = next(n for n in graph["nodes"] if n["id"] == node_id)
    assert (node.get("module") or node["label"]).startswith("model.layers.7")
    viewport = mlp.page.get_by_test_id("graph-viewport").bounding_box()
    shown = current.bounding_box()
    assert viewport is not None and shown is not None
    assert viewport["x"] <= shown["x"] + shown["width"] / 2 <= viewport["x"] + viewport["width"]
    assert viewport["y"] <= shown["y"] + shown["height"] / 2 <= viewport["y"] + viewport["height"]


def test_a_node_the_inspector_goes_to_is_unfolded_and_focused(mlp: Playground, api: Api) -> None:
    """The tensor layers.19 hands the head links in the inspector to its grad_fn, layers.19's
    ReluBackward0, folded away in the ×20 block: following the link unfolds what hides it and
    focuses that node, as the search does."""
    graph = api(example("twenty_layer_mlp"))
    (relu,) = [
        n
        for n in graph["nodes"]
        if (n.get("module") or "").startswith("model.layers.19") and n["op"] == "ReluBackward0"
    ]
    kinds = {n["id"]: n["kind"] for n in graph["nodes"]}
    (into_head,) = [
        e["target"]
        for e in graph["edges"]
        if e["source"] == relu["id"] and kinds[e["target"]] == "tensor"
    ]
    expect(mlp.node_by_id(relu["id"])).to_have_count(0)  # folded away
    mlp.node_by_id(into_head).click()
    inspector = mlp.page.locator("#inspector")
    inspector.get_by_role("button", name="ReluBackward0").click()
    expect(mlp.node_by_id(relu["id"])).to_have_count(1)
    focused = mlp.page.evaluate("() => document.activeElement.closest('g.node')?.id ?? null")
    assert focused == relu["id"]


def test_stepping_lights_the_folded_module_running_and_follows_it(
    mlp: Playground, api: Api
) -> None:
    graph = api(example("twenty_layer_mlp"))
    steps = graph["backward"][0]["steps"]
    by_id = {node["id"]: node for node in graph["nodes"]}
    # The first backward step that runs a node of the 20 blocks (PyTorch's order).
    first_inside = next(
        i for i, s in enumerate(steps) if under(by_id[s["node"]].get("module"), "model.layers")
    )
    forward = mlp.page.get_by_role("button", name="Step forward")
    for _ in range(first_inside + 1):
        forward.click()
    running = mlp.svg.locator("g.node.is-running")
    expect(running).to_have_count(1)
    expect(running).to_have_attribute("id", "fold:run:model.layers.0")
    viewport = mlp.page.get_by_test_id("graph-viewport").bounding_box()
    shown = running.bounding_box()
    assert viewport is not None and shown is not None
    assert (
        viewport["y"] - 1 <= shown["y"]
        and shown["y"] + shown["height"] <= viewport["y"] + viewport["height"] + 1
    )


FOLD_ALL = """async ({graph, groups}) => {
  const { createGraphModel, foldAll } = await import("/static/js/graph-model.js");
  const folded = foldAll(createGraphModel(graph), groups);
  return {
    nodes: folded.nodes.map((node) => node.id),
    edges: folded.edges.map((edge) => [edge.id, edge.source, edge.target]),
    steps: folded.backward.map((pass) => pass.steps.map((step) => step.node)),
  };
}"""


def test_fold_all_folds_two_modules_in_one_pass(module_page: Page, api: Api) -> None:
    graph = api(example("mlp_module"))
    groups = {
        "g1": [n["id"] for n in graph["nodes"] if n.get("module") == "model.fc1"],
        "g2": [n["id"] for n in graph["nodes"] if n.get("module") == "model.fc2"],
    }
    assert groups["g1"] and groups["g2"]
    group_of = {member: g for g, members in groups.items() for member in members}
    result = module_page.evaluate(
        FOLD_ALL, {"graph": graph, "groups": [{"ids": m, "id": g} for g, m in groups.items()]}
    )
    expected_nodes = []
    for n in graph["nodes"]:
        shown = group_of.get(n["id"], n["id"])
        if shown not in expected_nodes:
            expected_nodes.append(shown)
    assert result["nodes"] == expected_nodes
    expected_edges = []
    for e in graph["edges"]:
        source, target = (
            group_of.get(e["source"], e["source"]),
            group_of.get(e["target"], e["target"]),
        )
        if not (source == target and e["source"] in group_of):
            expected_edges.append([e["id"], source, target])
    assert result["edges"] == expected_edges
    assert result["steps"] == [
        [group_of.get(s["node"], s["node"]) for s in p["steps"]] for p in graph["backward"]
    ]


# foldAll on a model whose node list counts the passes made over it.
FOLD_ALL_PASSES = """async ({graph, groups}) => {
  const { createGraphModel, foldAll } = await import("/static/js/graph-model.js");
  const model = createGraphModel(graph);
  let passes = 0;
  const whole = new Set([Symbol.iterator, "filter", "map", "forEach", "some", "every", "reduce"]);
  const nodes = new Proxy(model.nodes, {
    get(target, key, receiver) {
      if (whole.has(key)) passes += 1;
      return Reflect.get(target, key, receiver);
    },
  });
  const folded = foldAll({ ...model, nodes }, groups);
  return { passes, groups: folded.nodes.filter((node) => node.kind === "group").length };
}"""


def test_fold_all_passes_over_the_nodes_as_often_for_twenty_groups_as_for_two(
    module_page: Page, api: Api
) -> None:
    """Folding the 2,000 modules of a 5,000-node MLP had filtered every node once per group
    (10 million steps): the passes over the nodes must not grow with the groups."""
    graph = api(example("twenty_layer_mlp"))
    blocks = [
        [n["id"] for n in graph["nodes"] if under(n.get("module"), f"model.layers.{i}")]
        for i in range(20)
    ]
    assert all(blocks)
    groups = [{"ids": ids, "id": f"g{i}"} for i, ids in enumerate(blocks)]
    two = module_page.evaluate(FOLD_ALL_PASSES, {"graph": graph, "groups": groups[:2]})
    twenty = module_page.evaluate(FOLD_ALL_PASSES, {"graph": graph, "groups": groups})
    assert (two["groups"], twenty["groups"]) == (2, 20)
    assert twenty["passes"] == two["passes"]


# The folding control given a graph model whose edge lookups are counted.
CONTROL_READS = """async ({graph}) => {
  const { createGraphModel } = await import("/static/js/graph-model.js");
  const { createModuleFolding } = await import("/static/js/module-fold-control.js");
  const model = createGraphModel(graph);
  let reads = 0;
  const counted = (name) => (id) => {
    reads += 1;
    return model[name](id);
  };
  const watched = { ...model, incoming: counted("incoming"), outgoing: counted("outgoing"), edgesAt: counted("edgesAt") };
  const shown = createModuleFolding().view(watched);
  return { whole: shown === watched, reads };
}"""


def test_a_graph_no_module_made_is_shown_whole_without_a_look_at_its_edges(
    module_page: Page, api: Api
) -> None:
    """A 20,000-node chain paid about 100 ms for a module tree that folds nothing."""
    chain = "x = torch.tensor(1.0, requires_grad=True)\ny = x\nfor i in range(100):\n"
    graph = api(chain + "    y = y * 1.001\ny.backward()\n")
    assert len(graph["nodes"]) > FOLD_LIMIT
    assert not any(n.get("module") for n in graph["nodes"])
    assert module_page.evaluate(CONTROL_READS, {"graph": graph}) == {"whole": True, "reads": 0}
    # The same count on a graph that folds: the module tree reads its edges.
    mlp = module_page.evaluate(CONTROL_READS, {"graph": api(example("twenty_layer_mlp"))})
    assert mlp["whole"] is False and mlp["reads"] > 0


def test_the_folded_picture_has_no_serious_axe_violation_and_speaks_chinese(
    mlp: Playground,
) -> None:
    assert blocking(mlp.page) == []
    mlp.page.get_by_test_id("language").select_option("zh")
    run = mlp.node_by_id("fold:run:model.layers.0")
    expect(run).to_contain_text("1440 个参数")
    name = run.get_attribute("aria-label") or ""
    assert name.startswith("Sequential ×20") and name.endswith("已折叠的模块：按 Enter 展开")
    expect(mlp.page.get_by_role("button", name="全部展开")).to_be_visible()
    expect(mlp.page.get_by_role("button", name="折叠回去")).to_be_disabled()
    assert blocking(mlp.page) == []
