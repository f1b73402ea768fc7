"""The extracted graph of every gallery program, checked against plain PyTorch running it."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest
import torch

from app.evaluate import evaluate
from app.examples import load_examples
from app.limits import DEFAULT_LIMITS, Limits
from app.record import EvalRecord
from app.workers.protocol import reply_lines
from bench.programs import polynomial_fit
from tests.reference import run_reference

EXAMPLES = {example.id: example.code for example in load_examples()}


def _graph(code: str) -> dict[str, Any]:
    record = evaluate(code)
    assert record.error is None and record.refused is None, record
    assert record.graph is not None
    return record.graph


def _functions(graph: dict[str, Any]) -> list[dict[str, Any]]:
    return [n for n in graph["nodes"] if n["kind"] == "function"]


def _tensor(graph: dict[str, Any], name: str) -> dict[str, Any]:
    matches = [n for n in graph["nodes"] if n["kind"] == "tensor" and name in n["names"]]
    assert matches, f"no tensor node named {name}"
    return matches[-1]


@pytest.mark.parametrize("example_id", sorted(EXAMPLES))
def test_function_nodes_match_pytorch(example_id: str) -> None:
    code = EXAMPLES[example_id]
    graph = _graph(code)
    reference = run_reference(code)
    assert Counter(n["op"] for n in _functions(graph)) == reference.ops


@pytest.mark.parametrize("example_id", sorted(EXAMPLES))
def test_edges_match_next_functions(example_id: str) -> None:
    code = EXAMPLES[example_id]
    graph = _graph(code)
    reference = run_reference(code)
    # One gradient-carrying edge into a function node per non-None next_functions entry.
    slot_edges = [e for e in graph["edges"] if e["kind"] == "data" and e["input_nr"] is not None]
    assert len(slot_edges) == reference.edge_count
    leaves = [
        n for n in graph["nodes"] if n["kind"] == "tensor" and n["is_leaf"] and n["requires_grad"]
    ]
    assert len(leaves) >= reference.accumulate_grad_count


@pytest.mark.parametrize("example_id", sorted(EXAMPLES))
def test_leaf_grads_match_pytorch(example_id: str) -> None:
    code = EXAMPLES[example_id]
    graph = _graph(code)
    reference = run_reference(code)
    for name, expected in reference.leaf_grads.items():
        node = _tensor(graph, name)
        assert node["is_leaf"] is True
        assert node["requires_grad"] is True
        if expected is None:
            assert node["grad"] is None
        else:
            assert node["grad"] is not None
            assert torch.allclose(torch.tensor(node["grad"]["data"]), expected.to(torch.float32))


@pytest.mark.parametrize("example_id", sorted(EXAMPLES))
def test_named_tensors_match_pytorch(example_id: str) -> None:
    code = EXAMPLES[example_id]
    graph = _graph(code)
    reference = run_reference(code)
    for name, value in reference.namespace.items():
        if not isinstance(value, torch.Tensor) or name.startswith("__"):
            continue
        node = _tensor(graph, name)
        assert node["shape"] == list(value.shape)
        assert node["dtype"] == str(value.dtype).removeprefix("torch.")
        assert node["is_leaf"] == value.is_leaf
        assert node["requires_grad"] == value.requires_grad
        assert node["retains_grad"] == value.retains_grad
        expected_fn = type(value.grad_fn).__name__ if value.grad_fn is not None else None
        assert node["grad_fn"] == expected_fn


@pytest.mark.parametrize("example_id", sorted(EXAMPLES))
def test_stdout_matches_pytorch(example_id: str) -> None:
    code = EXAMPLES[example_id]
    record = evaluate(code)
    assert record.deterministic, "gallery programs seed before drawing random numbers"
    assert record.stdout == run_reference(code).stdout


def test_scalar_chain_matches_issue_example() -> None:
    graph = _graph(EXAMPLES["scalar_chain"])
    assert [n["op"] for n in _functions(graph)] == ["PowBackward0", "AddBackward0", "PowBackward0"]
    x = _tensor(graph, "x")
    assert x["grad"]["data"] == 56.0
    assert x["role"] == "leaf"
    assert x["line"] == 3


def test_function_nodes_carry_the_line_that_made_them() -> None:
    graph = _graph(
        "x = torch.tensor(2.0, requires_grad=True)\ny = x ** 2 + 3\nz = y ** 2\nz.backward()"
    )
    lines = {(n["op"], n["line"]) for n in _functions(graph)}
    assert lines == {("PowBackward0", 2), ("AddBackward0", 2), ("PowBackward0", 3)}


def test_non_leaf_grad_stays_none_without_retain_grad() -> None:
    graph = _graph("x = torch.tensor(2.0, requires_grad=True)\ny = x * 3\nz = y * y\nz.backward()")
    y = _tensor(graph, "y")
    assert y["grad"] is None and y["retains_grad"] is False and y["is_leaf"] is False


def test_retain_grad_shows_non_leaf_grad() -> None:
    graph = _graph(
        "x = torch.tensor(2.0, requires_grad=True)\ny = x * 3\ny.retain_grad()\nz = y * y\nz.backward()"
    )
    y = _tensor(graph, "y")
    assert y["retains_grad"] is True
    assert y["grad"]["data"] == 12.0


def test_backward_pass_records_order_and_edge_grads() -> None:
    graph = _graph(EXAMPLES["scalar_chain"])
    (backward,) = graph["backward"]
    nodes = {n["id"]: n for n in graph["nodes"]}
    order = [nodes[s["node"]].get("op") or nodes[s["node"]]["label"] for s in backward["steps"]]
    assert order == ["PowBackward0", "AddBackward0", "PowBackward0", "x"]
    x = _tensor(graph, "x")
    (into_x_consumer,) = [e for e in graph["edges"] if e["source"] == x["id"]]
    assert into_x_consumer["grads"][0]["value"]["data"] == 56.0
    assert backward["steps"][-1]["grad"]["data"] == 56.0


def test_the_gradient_a_function_received_is_the_outputs_gradient() -> None:
    """The edge from a function to the tensor it made carries dL/d(tensor), pass by pass,
    as plain PyTorch's ``retain_grad`` reports it."""
    code = (
        "x = torch.tensor([1.0, 2.0], requires_grad=True)\n"
        "y = x * 3\n"
        "z = (y ** 2).sum()\n"
        "z.backward(retain_graph=True)\n"
        "w = (y * 5).sum()\n"
        "w.backward()\n"
    )
    plain_x = torch.tensor([1.0, 2.0], requires_grad=True)
    plain_y = plain_x * 3
    plain_y.retain_grad()
    (plain_y**2).sum().backward(retain_graph=True)
    first = plain_y.grad.tolist()
    plain_y.grad = None
    (plain_y * 5).sum().backward()
    second = plain_y.grad.tolist()

    graph = _graph(code)
    y = _tensor(graph, "y")
    (made_y,) = [e for e in graph["edges"] if e["target"] == y["id"] and e["kind"] != "detach"]
    received = {g["backward_pass"]: g["value"]["data"] for g in made_y["grads"]}
    assert received == {0: first, 1: second}


def test_gradient_accumulation_is_visible_per_pass() -> None:
    code = (
        "x = torch.tensor(1.0, requires_grad=True)\n"
        "for i in range(2):\n"
        "    y = 3 * x\n"
        "    y.backward()\n"
    )
    graph = _graph(code)
    assert len(graph["backward"]) == 2
    x = _tensor(graph, "x")
    leaf_steps = [s for p in graph["backward"] for s in p["steps"] if s["node"] == x["id"]]
    assert [s["grad"]["data"] for s in leaf_steps] == [3.0, 6.0]
    assert x["grad"]["data"] == 6.0


def test_recording_does_not_change_what_the_program_sees() -> None:
    code = (
        "x = torch.tensor([1.0, 2.0], requires_grad=True)\n"
        "y = x * 2\n"
        "z = (y * y).sum()\n"
        "z.backward(retain_graph=True)\n"
        "print(x.is_leaf, y.is_leaf, y.requires_grad, y.retains_grad, x.grad)\n"
        "z.backward()\n"
        "print(x.grad)\n"
    )
    assert evaluate(code).stdout == run_reference(code).stdout


def test_detached_tensor_is_a_dashed_input() -> None:
    graph = _graph(EXAMPLES["detach"])
    u = _tensor(graph, "u")
    assert u["role"] == "detached"
    kinds = {e["kind"] for e in graph["edges"] if u["id"] in (e["source"], e["target"])}
    assert kinds == {"saved", "detach"}


def test_no_grad_result_is_marked() -> None:
    graph = _graph("x = torch.ones(2, requires_grad=True)\nwith torch.no_grad():\n    y = x * 2\n")
    y = _tensor(graph, "y")
    assert y["role"] == "no_grad" and y["requires_grad"] is False and y["grad_fn"] is None


def test_long_chain_walks_without_recursion_error() -> None:
    code = "x = torch.tensor(1.0, requires_grad=True)\ny = x\nfor i in range(11000):\n    y = y * 1.0\n"
    record = evaluate(code)
    assert record.error is None
    assert record.graph is not None and record.truncated is True
    assert len(record.graph["nodes"]) == DEFAULT_LIMITS.max_graph_nodes


@pytest.mark.parametrize("step", ["y * 1.0001", "torch.sin(y)"])
def test_a_10000_op_chain_comes_back_whole(step: str) -> None:
    """Issue 15: 10,000 ops (20,001 nodes: x, then a function node and a tensor a step) are
    under the node limit: the whole graph, not truncated, its leaf's gradient PyTorch's."""
    code = (
        "x = torch.tensor(0.5, requires_grad=True)\ny = x\n"
        f"for i in range(10000):\n    y = {step}\ny.backward()\n"
    )
    record = evaluate(code)
    assert record.error is None and record.graph is not None
    assert record.truncated is False and record.graph["truncated"] is False
    reference = run_reference(code)
    functions = _functions(record.graph)
    assert Counter(n["op"] for n in functions) == reference.ops
    tensors = [n for n in record.graph["nodes"] if n["kind"] == "tensor"]
    assert len(tensors) == 10001  # x and every y
    x = _tensor(record.graph, "x")
    expected = reference.leaf_grads["x"]
    assert expected is not None and x["grad"]["data"] == expected.item()


def test_ids_are_stable_for_the_same_program() -> None:
    code = EXAMPLES["mlp_module"]
    first, second = _graph(code), _graph(code)
    assert [(n["id"], n["label"]) for n in first["nodes"]] == [
        (n["id"], n["label"]) for n in second["nodes"]
    ]
    assert [(e["source"], e["target"]) for e in first["edges"]] == [
        (e["source"], e["target"]) for e in second["edges"]
    ]


# --- graphs cut to the limits (issue 13) -----------------------------------------------------


def _record(code: str, limits: Limits = DEFAULT_LIMITS) -> EvalRecord:
    record = evaluate(code, limits)
    assert record.error is None and record.refused is None, record
    assert record.graph is not None and record.graph_json is not None
    return record


def test_parallel_edges_between_one_pair_are_capped_and_counted() -> None:
    """``torch.cat([x] * 99999)`` made 99,999 edges from x into one node (a 30 MB answer)."""
    code = "x = torch.ones(1, requires_grad=True)\na = torch.cat([x] * 99999)\n"
    x = torch.ones(1, requires_grad=True)
    slots = len(torch.cat([x] * 99999).grad_fn.next_functions)  # plain PyTorch
    graph = _record(code).graph
    assert graph is not None
    cat = next(n for n in _functions(graph) if n["op"] == "CatBackward0")
    into_cat = [e for e in graph["edges"] if e["target"] == cat["id"]]
    limit = DEFAULT_LIMITS.max_parallel_edges
    assert [e["input_nr"] for e in into_cat] == list(range(limit))
    assert {e["source"] for e in into_cat} == {_tensor(graph, "x")["id"]}
    assert graph["truncated"] is True
    assert graph["omitted"] == {
        "nodes": 0,
        "edges": slots - limit,
        "saved": 0,
        "names": 0,
        "text_chars": 0,
        "values": 0,
        "modules": 0,
    }


def test_edges_are_capped_in_all_and_counted() -> None:
    code = "x = torch.ones(2, requires_grad=True)\ny = x\nfor i in range(30):\n    y = y * 2\n"
    full = _record(code).graph
    cut = _record(code, Limits(max_graph_edges=10)).graph
    assert full is not None and cut is not None and full["truncated"] is False
    assert cut["edges"] == full["edges"][:10]
    assert cut["truncated"] is True
    assert cut["omitted"]["edges"] == len(full["edges"]) - 10


def test_saved_values_of_a_node_are_capped_and_counted() -> None:
    code = "x = torch.ones([1] * 40, requires_grad=True)\ny = x[(torch.tensor([0]),) * 40]\n"
    x = torch.ones([1] * 40, requires_grad=True)
    node = x[(torch.tensor([0]),) * 40].grad_fn  # plain PyTorch: 40 indices and a size saved
    saved = [f"indices[{i}]" for i in range(len(node._saved_indices))] + ["self_sym_sizes"]
    graph = _record(code).graph
    assert graph is not None
    index = next(n for n in _functions(graph) if n["op"] == type(node).__name__)
    limit = DEFAULT_LIMITS.max_saved_per_node
    assert [item["name"] for item in index["saved"]] == saved[:limit]
    assert [item["value"]["data"] for item in index["saved"]] == [
        t.tolist() for t in node._saved_indices[:limit]
    ]
    assert graph["truncated"] is True and graph["omitted"]["saved"] == len(saved) - limit


def test_names_of_one_tensor_are_capped_and_counted() -> None:
    """``xs = [x] * 100000`` named x 100,000 times: each name was compared with all the others
    (minutes of work after the program ended)."""
    code = "x = torch.ones(1, requires_grad=True)\nxs = [x] * 100\n"
    graph = _record(code).graph
    assert graph is not None
    limit = DEFAULT_LIMITS.max_names_per_node
    names = ["x"] + [f"xs[{i}]" for i in range(100)]
    x = _tensor(graph, "x")
    assert x["names"] == names[:limit]
    assert graph["variables"] == {name: x["id"] for name in names}
    assert graph["truncated"] is True and graph["omitted"]["names"] == len(names) - limit


def test_variables_are_capped_at_the_node_limit() -> None:
    code = "x = torch.ones(1, requires_grad=True)\nxs = [x] * 100\n"
    graph = _record(code, Limits(max_graph_nodes=50)).graph
    assert graph is not None
    assert list(graph["variables"]) == ["x"] + [f"xs[{i}]" for i in range(49)]
    limit = DEFAULT_LIMITS.max_names_per_node
    assert graph["omitted"]["names"] == (101 - limit) + (101 - 50)  # of the node, of variables


def test_long_names_are_cut_in_the_middle_and_counted() -> None:
    name = "v" + "a" * 300 + "z"
    graph = _record(f"x = torch.ones(1, requires_grad=True)\n{name} = x * 2\n").graph
    assert graph is not None
    limit = DEFAULT_LIMITS.max_label_chars
    cut = name[:99] + "…" + name[-100:]
    assert len(cut) == limit
    node = _tensor(graph, cut)
    assert node["label"] == node["name"] == cut
    assert graph["variables"][cut] == node["id"]
    # cut twice: in the node's names and in the variables
    assert graph["truncated"] is True and graph["omitted"]["text_chars"] == 2 * (len(name) - limit)


def test_a_tensor_of_1100_dimensions_is_shown_by_its_shape() -> None:
    """Its numbers were lists nested 1,100 deep: the worker failed to encode them and died."""
    record = _record("x = torch.ones([1] * 1100, requires_grad=True)\ny = (x * 2).sum()\n")
    assert record.graph is not None
    x = _tensor(record.graph, "x")
    assert x["shape"] == list(torch.ones([1] * 1100).shape)
    assert x["value"]["data"] is None and "1,100 dimensions" in x["value"]["text"]
    sent = reply_lines(record).split(b"\n")[1]  # what the worker sends
    assert json.loads(sent) == record.graph


def test_a_tensor_of_32_dimensions_still_shows_its_numbers() -> None:
    record = _record("x = torch.ones([1] * 32, requires_grad=True)\n")
    assert record.graph is not None
    value = _tensor(record.graph, "x")["value"]
    assert value["data"] == torch.ones([1] * 32).tolist()
    assert value["text"] == repr(torch.ones([1] * 32))


_PASSES = (
    "x = torch.linspace(0.0, 1.0, 50, requires_grad=True)\ny = x\nfor i in range(60):\n"
    "    y = y * 1.5\nfor i in range(5):\n    y.sum().backward(retain_graph=True)\n"
)


def _grads(graph: dict[str, Any], passes: range) -> list[Any]:
    return [[g for g in edge["grads"] if g["backward_pass"] in passes] for edge in graph["edges"]]


def test_graph_over_the_size_limit_first_drops_older_passes_values() -> None:
    full = _record(_PASSES)
    assert full.graph is not None and full.graph_json is not None
    older_steps = [step for p in full.graph["backward"][:4] for step in p["steps"]]
    older = sum(len(g) for g in _grads(full.graph, range(4))) + sum(
        (step["grad"] is not None)
        + len(step["incoming"])
        + sum(term["local"] is not None for term in step["chain"])
        for step in older_steps
    )
    limits = Limits(max_graph_bytes=len(full.graph_json) // 2)
    cut = _record(_PASSES, limits)
    assert cut.graph is not None and cut.graph_json is not None
    assert len(cut.graph_json) <= limits.max_graph_bytes
    assert json.loads(cut.graph_json) == cut.graph
    assert cut.graph["nodes"] == full.graph["nodes"]
    assert _grads(cut.graph, range(4, 5)) == _grads(full.graph, range(4, 5))
    assert _grads(cut.graph, range(4)) == [[] for _ in full.graph["edges"]]
    assert cut.graph["backward"][4] == full.graph["backward"][4]
    assert cut.truncated is True and cut.graph["truncated"] is True
    assert cut.graph["omitted"]["values"] == older


def test_graph_far_over_the_size_limit_keeps_its_first_nodes() -> None:
    full = _record(_PASSES)
    assert full.graph is not None
    cut = _record(_PASSES, Limits(max_graph_bytes=5_000))
    assert cut.graph is not None and cut.graph_json is not None
    assert len(cut.graph_json) <= 5_000
    kept = cut.graph["nodes"]
    assert [n["id"] for n in kept] == [n["id"] for n in full.graph["nodes"][: len(kept)]]
    ids = {n["id"] for n in kept}
    assert all(e["source"] in ids and e["target"] in ids for e in cut.graph["edges"])
    assert cut.graph["omitted"]["nodes"] == len(full.graph["nodes"]) - len(kept)


def test_batched_gradients_work_as_in_pytorch() -> None:
    """``is_grads_batched`` runs backward under vmap, where the recorder's hooks failed."""
    code = (
        "x = torch.ones(3, requires_grad=True)\ny = x ** 2\n"
        "g, = torch.autograd.grad(y, x, torch.eye(3), is_grads_batched=True, create_graph=True)\n"
        "print(g)\ng.sum().backward()\nprint(x.grad)\n"
    )
    record = evaluate(code)
    assert record.error is None, record.error
    assert record.stdout == run_reference(code).stdout


@pytest.mark.parametrize("passes", ["heavy", "light"])
def test_nodes_of_a_long_loop_left_out_are_counted(
    passes: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Older iterations let go during the run count as left out, as those past the limit do.
    A loop of heavy passes whose calls are not predicted (a ``while``) is recorded throughout
    (all 200 iterations are found); one of light passes only in the iterations of the passes
    the answer keeps (20: ``pass_window.py``)."""
    if passes == "heavy":  # every pass taken as heavy: recorded as it runs
        monkeypatch.setattr("app.walk.pass_window.LIGHT_PASS_S", 0.0)
    code = (
        "x = torch.ones(1, requires_grad=True)\ni = 0\nwhile i < 200:\n"
        "    y = (x * i).sum()\n    y.backward()\n    i += 1\n"
    )
    x = torch.ones(1, requires_grad=True)
    y = (x * 3).sum()  # plain PyTorch: one iteration's function nodes (AccumulateGrad is x)
    functions, node = 0, y.grad_fn
    while node is not None and not hasattr(node, "variable"):
        functions += 1
        node = node.next_functions[0][0]
    iterations = 200 if passes == "heavy" else DEFAULT_LIMITS.max_backward_passes
    found = 1 + iterations * (functions + 1)  # x, then each iteration's functions and its y
    graph = _record(code, Limits(max_graph_nodes=50)).graph
    assert graph is not None and len(graph["nodes"]) == 50
    assert graph["truncated"] is True and graph["omitted"]["nodes"] == found - 50


_CHANGED_AFTER_SAVING = """\
x = torch.tensor([1., 2.], requires_grad=True)
y = x * 1
z = y ** 2
y.add_(1)
"""


def test_a_saved_tensor_changed_in_place_says_so_with_its_versions() -> None:
    """PyTorch refuses the value ``PowBackward0`` saved once ``y`` changed in place (its
    backward would raise); the graph says that, with PyTorch's own version counters, not
    "(freed by backward)"."""
    namespace: dict[str, Any] = {"torch": torch}
    exec(_CHANGED_AFTER_SAVING, namespace)  # noqa: S102 - plain PyTorch, the reference
    now = namespace["y"]._version
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        namespace["z"].grad_fn._saved_self  # noqa: B018 - PyTorch refuses it
    (power,) = [f for f in _functions(_graph(_CHANGED_AFTER_SAVING)) if f["op"] == "PowBackward0"]
    (self_value,) = [s for s in power["saved"] if s["name"] == "self"]
    assert self_value["text"] == (
        f"(modified in place after it was saved: now at version {now}, saved at version 0)"
    )


def test_every_tensor_node_gives_pytorchs_version_counter() -> None:
    code = (
        "x = torch.ones(3, requires_grad=True)\n"
        "y = x * 2\ny.add_(1)\ny[0] = 5.\nv = y[1:]\nv.mul_(2)\n"
        "w = torch.zeros(2)\nw += 1\n"
    )
    namespace: dict[str, Any] = {"torch": torch}
    exec(code, namespace)  # noqa: S102 - plain PyTorch, the reference
    graph = _graph(code)
    for name in ("x", "y", "w"):
        assert _tensor(graph, name)["version"] == namespace[name]._version, name


def test_the_2000_iteration_polynomial_fit_ends_as_plain_pytorch() -> None:
    """Issue 15's long loop (the benchmark's): 2,000 passes of forward, backward and a
    hand-written SGD step; the graph's final parameters and loss are plain PyTorch's."""
    code = polynomial_fit(2000)
    record = evaluate(code)
    assert record.error is None and record.graph is not None
    reference = run_reference(code)
    nodes = {node["id"]: node for node in record.graph["nodes"]}
    for name in ("a", "b", "c", "d", "loss"):
        node = nodes[record.graph["variables"][name]]
        assert node["value"]["data"] == reference.namespace[name].item(), name
        assert node["grad"] is None  # the loop set every .grad to None
