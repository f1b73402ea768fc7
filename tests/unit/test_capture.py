"""What the graph recorder sees while a program runs (app/walk/capture.py): the line that made
each node, the order backward ran the nodes in and the gradient each sent, checked against
plain PyTorch; its hooks never change what PyTorch computes."""

from __future__ import annotations

import gc
import re
import sys
import warnings
from collections.abc import Callable
from typing import Any

import pytest
import torch

from app.evaluate import evaluate
from app.language.torch_mode import ProgramMode
from app.limits import Limits
from app.walk.capture import GraphRecorder


def _recorder(max_passes: int = 20) -> GraphRecorder:
    # This file stands in for the program: the recorder tags nodes with its lines.
    return GraphRecorder(__file__, max_elements=100, max_passes=max_passes, max_records=1000)


def _recorded(program: Callable[[], Any], recorder: GraphRecorder | None = None) -> Any:
    with ProgramMode(Limits(), recorder or _recorder()):
        return program()


def _numbers(snapshot: Any) -> Any:
    """The numbers of a gradient as the recorder kept it (a copy, or its formatted value)."""
    return snapshot.tolist() if isinstance(snapshot, torch.Tensor) else snapshot.data


def _line() -> int:
    return sys._getframe(1).f_lineno


def _training_step() -> dict[str, Any]:
    """A small program that uses what hooks could disturb: a leaf's .grad, a retained grad, a
    tensor hook that changes the gradient, a second pass accumulating, autograd.grad."""
    torch.manual_seed(0)
    w = torch.randn(3, 2, requires_grad=True)
    x = torch.randn(4, 3)
    h = torch.tanh(x @ w)
    h.retain_grad()
    h.register_hook(lambda g: g * 2)
    loss = (h**2).mean()
    loss.backward(retain_graph=True)
    first = w.grad.clone() if w.grad is not None else None
    loss.backward()
    (dw,) = torch.autograd.grad((w**3).sum(), w, create_graph=True)
    return {
        "first": first,
        "w.grad": w.grad,
        "h.grad": h.grad,
        "dw": dw.detach(),
        "dw.grad_fn": type(dw.grad_fn).__name__,
        "versions": (w._version, h._version),
        "leaves": (w.is_leaf, h.is_leaf, h.requires_grad),
    }


def test_recording_leaves_what_pytorch_computes_unchanged() -> None:
    plain = _training_step()
    recorder = _recorder()
    recorded = _recorded(_training_step, recorder)
    assert len(recorder.passes) == 3  # the recorder did watch all three passes
    assert plain.keys() == recorded.keys()
    for key, value in plain.items():
        if isinstance(value, torch.Tensor):
            assert torch.equal(value, recorded[key]), key
        else:
            assert value == recorded[key], key


def test_backward_runs_from_the_output_to_the_leaf_in_chain_order() -> None:
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    recorder = _recorder()

    def program() -> None:
        ((x * 2).exp()).sum().backward()

    _recorded(program, recorder)
    (recorded,) = recorder.passes
    assert recorded.kind == "backward"
    assert [type(step.node).__name__ for step in recorded.steps] == [
        "SumBackward0",
        "ExpBackward0",
        "MulBackward0",
        "AccumulateGrad",
    ]


def test_the_gradients_each_node_sent_are_those_pytorch_computes() -> None:
    x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
    recorder = _recorder()
    kept: dict[str, torch.Tensor] = {}

    def program() -> None:
        doubled = x * 2
        doubled.retain_grad()
        exp = doubled.exp()
        exp.retain_grad()
        kept.update(doubled=doubled, exp=exp)
        exp.sum().backward()

    _recorded(program, recorder)
    sent = {type(s.node).__name__: s for s in recorder.passes[0].steps}
    # what each node sent along its input slot is the gradient PyTorch gave that input
    grads = {name: tensor.grad for name, tensor in kept.items()}
    assert grads["exp"] is not None and grads["doubled"] is not None and x.grad is not None
    assert _numbers(sent["SumBackward0"].slot_grads[0][1]) == grads["exp"].tolist()
    assert _numbers(sent["ExpBackward0"].slot_grads[0][1]) == grads["doubled"].tolist()
    assert _numbers(sent["MulBackward0"].slot_grads[0][1]) == x.grad.tolist()
    # and what it received is what its output's gradient was
    assert _numbers(sent["ExpBackward0"].output_grads[0][1]) == grads["exp"].tolist()
    assert _numbers(sent["AccumulateGrad"].leaf_grad) == x.grad.tolist()


def test_hooks_are_gone_after_the_pass() -> None:
    x = torch.ones(2, requires_grad=True)
    recorder = _recorder()
    y = _recorded(lambda: (x * 3).sum(), recorder)
    _recorded(lambda: y.backward(retain_graph=True), recorder)
    steps = len(recorder.passes[0].steps)
    y.backward()  # outside the mode: nothing records it
    assert len(recorder.passes) == 1 and len(recorder.passes[0].steps) == steps
    assert x.grad is not None and x.grad.tolist() == [6.0, 6.0]


def test_each_node_is_tagged_with_the_line_that_made_it() -> None:
    recorder = _recorder()
    x = torch.ones(2, requires_grad=True)

    def program() -> tuple[torch.Tensor, torch.Tensor, int, int]:
        a, line_a = x * 2, _line()
        b, line_b = a.exp(), _line()
        return a, b, line_a, line_b

    a, b, line_a, line_b = _recorded(program, recorder)
    assert recorder.node_lines[id(a.grad_fn)] == line_a
    assert recorder.node_lines[id(b.grad_fn)] == line_b


def test_only_the_newest_passes_are_kept() -> None:
    x = torch.ones(1, requires_grad=True)
    recorder = _recorder(max_passes=2)

    def program() -> None:
        for i in range(5):
            (x * i).sum().backward()

    _recorded(program, recorder)
    kept = [
        _numbers(step.slot_grads[0][1])
        for recorded in recorder.passes
        for step in recorded.steps
        if type(step.node).__name__ == "MulBackward0"
    ]
    assert kept == [[3.0], [4.0]]  # d(x * i)/dx of the last two passes


def test_a_detached_tensor_is_remembered_only_while_it_lives() -> None:
    x = torch.ones(2, requires_grad=True)
    recorder = _recorder()
    d = _recorded(lambda: x.detach(), recorder)
    assert recorder.detached_from == {id(d): x}
    del d
    gc.collect()
    assert recorder.detached_from == {}


@pytest.mark.parametrize("kind", ["backward", "autograd.grad"])
def test_the_pass_kind_is_recorded(kind: str) -> None:
    x = torch.ones(2, requires_grad=True)
    recorder = _recorder()

    def program() -> None:
        y = (x * x).sum()
        if kind == "backward":
            y.backward()
        else:
            torch.autograd.grad(y, x)

    _recorded(program, recorder)
    assert [p.kind for p in recorder.passes] == [kind]


def test_only_the_gradients_a_graph_can_show_are_copied() -> None:
    """``torch.cat([x] * 1000)`` sends 1,000 gradients to x: the graph shows the first edges
    between two nodes (``max_parallel_edges``), so only theirs are copied, each PyTorch's."""
    x = torch.ones(1, requires_grad=True)
    recorder = _recorder()
    _recorded(lambda: (torch.cat([x] * 1000) * torch.arange(1000.0)).sum().backward(), recorder)
    cat = next(s for s in recorder.passes[0].steps if type(s.node).__name__ == "CatBackward0")
    limit = Limits().max_parallel_edges
    assert [(slot, _numbers(grad)) for slot, grad in cat.slot_grads] == [
        (slot, [float(slot)]) for slot in range(limit)
    ]
    assert x.grad is not None and x.grad.item() == sum(range(1000))  # PyTorch's own


def _anomaly_lines(code: str, root: str) -> list[tuple[str, int]]:
    """Each function node's creation line as PyTorch's anomaly mode records it (the last
    frame of the program in the node's forward traceback), from ``root``'s graph."""
    namespace: dict[str, Any] = {"torch": torch}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Anomaly Detection has been enabled"
        with torch.autograd.detect_anomaly():
            exec(compile(code, "<program>", "exec"), namespace)  # noqa: S102 - the reference
    lines: list[tuple[str, int]] = []
    stack, seen = [namespace[root].grad_fn], set()
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen or type(node).__name__ == "AccumulateGrad":
            continue
        seen.add(id(node))
        frames = [f for f in node.metadata.get("traceback_", []) if '"<program>"' in f]
        lines.append((type(node).__name__, int(re.findall(r"line (\d+)", frames[-1])[-1])))
        stack.extend(nxt for nxt, _ in node.next_functions)
    return sorted(lines)


@pytest.mark.parametrize(
    "code",
    [
        "x = torch.ones(3, requires_grad=True)\ny = x * 2\ny[0] = 10.\nz = y.sum()\n",
        "x = torch.ones(2, 3, requires_grad=True)\ny = x + 1\ny[:, 1] = y[:, 0] * 3\nz = y.sum()\n",
        "x = torch.ones(3, requires_grad=True)\ny = x.exp()\ny.mul_(2)\ny[1:] = 0.\nz = y.sum()\n",
    ],
    ids=["setitem", "setitem-from-itself", "inplace-then-setitem"],
)
def test_creation_lines_of_in_place_nodes_match_anomaly_mode(code: str) -> None:
    """``y[0] = 10.`` makes ``CopySlices`` on its own line, as anomaly mode says (it was given
    the line of the next statement that used ``y``: ``__setitem__`` returns None)."""
    record = evaluate(code)
    assert record.graph is not None
    product = sorted(
        (node["op"], node["line"])
        for node in record.graph["nodes"]
        if node["kind"] == "function" and node["op"] != "AccumulateGrad"
    )
    assert product == _anomaly_lines(code, "z")
