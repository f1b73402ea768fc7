"""The extracted graph of every gallery program, checked against plain PyTorch running it."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import torch

from app.evaluate import evaluate
from app.examples import load_examples
from app.limits import DEFAULT_LIMITS
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
    code = (
        "x = torch.tensor(1.0, requires_grad=True)\ny = x\nfor i in range(7000):\n    y = y * 1.0\n"
    )
    record = evaluate(code)
    assert record.error is None
    assert record.graph is not None and record.truncated is True
    assert len(record.graph["nodes"]) == DEFAULT_LIMITS.max_graph_nodes


def test_ids_are_stable_for_the_same_program() -> None:
    code = EXAMPLES["mlp_module"]
    first, second = _graph(code), _graph(code)
    assert [(n["id"], n["label"]) for n in first["nodes"]] == [
        (n["id"], n["label"]) for n in second["nodes"]
    ]
    assert [(e["source"], e["target"]) for e in first["edges"]] == [
        (e["source"], e["target"]) for e in second["edges"]
    ]
