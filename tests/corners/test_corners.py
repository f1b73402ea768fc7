"""Autograd corner programs (tests/corners/programs.py) run through the product and through
plain PyTorch, compared on what each corner is about:

(a) every backward call: the nodes that ran, in PyTorch's order (node pre hooks in the
    reference run), and whether the call raised;
(b) every leaf's final ``.grad`` (as numbers, ``torch.allclose``);
(c) the error the program raised (type and line), or none;
(d) each function node's creation line, as anomaly mode records it;
(e) a variable the program binds once, outside any loop or function, holds one tensor all
    its life: it names one node of the graph.

Programs that do not match yet are in ``KNOWN_GAPS`` (id -> why) and run as strict xfails:
fixing one makes its test fail until its entry is deleted.
"""

from __future__ import annotations

import ast
from typing import Any

import pytest
import torch

from app.evaluate import evaluate
from tests.corners.programs import CORNERS, Corner
from tests.corpus.test_corpus import _same_error
from tests.reference import (
    ACCUMULATE_GRAD,
    BackwardOrder,
    Reference,
    anomaly_lines,
    backward_orders,
    run_reference,
)

SEED = 1234

# Programs that do not match yet: id -> why.
KNOWN_GAPS: dict[str, str] = {}


def test_the_corners_are_many_and_distinct() -> None:
    assert len(CORNERS) >= 80
    assert len({c.id for c in CORNERS}) == len(CORNERS)
    assert set(KNOWN_GAPS) <= {c.id for c in CORNERS}


def _cases() -> list[Any]:
    return [
        pytest.param(
            corner,
            id=corner.id,
            marks=[pytest.mark.xfail(reason=KNOWN_GAPS[corner.id], strict=True)]
            if corner.id in KNOWN_GAPS
            else [],
        )
        for corner in CORNERS
    ]


def test_backward_orders_counts_each_call_once_and_leaves_no_hook() -> None:
    """The reference's recorder: ``Tensor.backward`` (which calls ``torch.autograd.backward``)
    is one call, ``autograd.grad`` runs only what its inputs need, and no hook outlives a call."""
    x = torch.ones(2, requires_grad=True)
    y = (x * 2).sum()
    with backward_orders() as orders:
        y.backward(retain_graph=True)
        torch.autograd.grad(y, x, retain_graph=True)
    y.backward()
    assert orders == [
        BackwardOrder(ops=["SumBackward0", "MulBackward0", ACCUMULATE_GRAD]),
        BackwardOrder(ops=["SumBackward0", "MulBackward0"]),
    ]


@pytest.mark.parametrize("corner", _cases())
def test_corner_runs_as_in_plain_pytorch(corner: Corner) -> None:
    record = evaluate(corner.code, seed=SEED)
    with backward_orders() as orders:
        reference = run_reference(corner.code, seed=SEED, catch=True)
    assert record.refused is None, record.refused
    _same_error(record, reference)
    graph = record.graph
    assert graph is not None
    _same_backward_order(graph, orders)
    _same_leaf_grads(graph, reference)
    assert _creation_lines(graph) == anomaly_lines(corner.code, catch=True)
    for name in _bound_once(corner.code):
        holders = [n["id"] for n in graph["nodes"] if n["kind"] == "tensor" and name in n["names"]]
        assert len(holders) <= 1, f"{name} is one tensor, shown as the nodes {holders}"


def _same_backward_order(graph: dict[str, Any], orders: list[BackwardOrder]) -> None:
    nodes = {node["id"]: node for node in graph["nodes"]}
    passes = graph["backward"]
    assert len(passes) == len(orders), "number of backward calls"
    for index, (done, expected) in enumerate(zip(passes, orders, strict=True)):
        ran = [_op(nodes[step["node"]]) for step in done["steps"]]
        error = done["error"]
        if error is not None and error["node"] is not None:
            ran.append(_op(nodes[error["node"]]))  # the node it raised at began, but has no step
        assert ran == expected.ops, f"backward call {index}: node order"
        assert (error and error["type"]) == expected.error, f"backward call {index}: error"


def _op(node: dict[str, Any]) -> str:
    """A step's node as PyTorch names it: a leaf's step is its AccumulateGrad running."""
    return str(node["op"]) if node["kind"] == "function" else ACCUMULATE_GRAD


def _same_leaf_grads(graph: dict[str, Any], reference: Reference) -> None:
    nodes = {node["id"]: node for node in graph["nodes"]}
    for name, grad in reference.leaf_grads.items():
        assert name in graph["variables"], f"no node for the leaf {name}"
        shown = nodes[graph["variables"][name]]["grad"]
        if grad is None:
            assert shown is None, f"{name}.grad"
            continue
        assert shown is not None, f"{name}.grad"
        assert shown["shape"] == list(grad.shape), f"{name}.grad"
        assert shown["dtype"] == str(grad.dtype).removeprefix("torch."), f"{name}.grad"
        numbers = torch.tensor(shown["data"], dtype=torch.float64)
        assert torch.allclose(numbers, grad.detach().double(), equal_nan=True), f"{name}.grad"


def _creation_lines(graph: dict[str, Any]) -> list[tuple[str, int]]:
    return sorted(
        (node["op"], node["line"])
        for node in graph["nodes"]
        if node["kind"] == "function" and node["op"] != ACCUMULATE_GRAD
    )


def _bound_once(code: str) -> set[str]:
    """Names the program assigns exactly once, at the top level of the module."""
    tree = ast.parse(code)
    stores: dict[str, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            stores[node.id] = stores.get(node.id, 0) + 1
    top: set[str] = set()
    for statement in tree.body:
        if isinstance(statement, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            top.update(n.id for n in ast.walk(statement) if isinstance(n, ast.Name))
    return {name for name, count in stores.items() if count == 1 and name in top}
