"""The values each function node saved, as its backward used them, checked against plain PyTorch.

The reference runs the same program with plain PyTorch and, just before each backward call,
walks the graph and clones what every node saved (``node._saved_self`` ...): that is what the
node's backward reads. A node no backward reached is read at the end of the program. A saved
tensor changed in place since is one PyTorch refuses: the reference keeps PyTorch's message.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import torch
from torch.autograd.graph import Node

from app.evaluate import evaluate

Seen = dict[int, tuple[Node, list[tuple[str, Any]]]]


def _read(node: Node) -> list[tuple[str, Any]]:
    """What ``node`` saved now: a clone of each tensor, or PyTorch's message refusing it."""
    found: list[tuple[str, Any]] = []
    for attr in dir(node):
        if not attr.startswith("_saved_"):
            continue
        name = attr.removeprefix("_saved_")
        try:
            value = getattr(node, attr)
        except RuntimeError as exc:
            found.append((name, ("error", str(exc))))
            continue
        if isinstance(value, torch.Tensor):
            found.append((name, ("value", value.detach().clone().tolist())))
    return found


def _walk(root: Node | None, seen: Seen, again: bool) -> None:
    """Record what each node reachable from ``root`` saved (``again``: also nodes already
    recorded, as a backward is about to run them once more)."""
    stack = [root] if root is not None else []
    visited: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in visited or hasattr(node, "variable"):
            continue
        visited.add(id(node))
        if again or id(node) not in seen:
            seen[id(node)] = (node, _read(node))
        stack.extend(nxt for nxt, _ in node.next_functions if nxt is not None)


def _plain_pytorch(code: str, monkeypatch: pytest.MonkeyPatch) -> Counter[tuple[str, str, str]]:
    """Each node's saved tensors as plain PyTorch's backward used them (or would refuse them)."""
    seen: Seen = {}
    original = torch.Tensor.backward

    def backward(self: torch.Tensor, *args: Any, **kwargs: Any) -> None:
        _walk(self.grad_fn, seen, again=True)
        original(self, *args, **kwargs)

    monkeypatch.setattr(torch.Tensor, "backward", backward)
    namespace: dict[str, Any] = {"torch": torch, "optim": torch.optim, "nn": torch.nn}
    exec(code, namespace)  # noqa: S102 - plain PyTorch, the reference
    monkeypatch.undo()
    for value in namespace.values():  # reached by no backward: as the program ends
        if isinstance(value, torch.Tensor):
            _walk(value.grad_fn, seen, again=False)
    # a node a backward ran and the program then changed (its graph retained): the value as
    # it ran, and PyTorch's refusal now (a freed graph refuses for that reason instead)
    for node, items in seen.values():
        now = dict(_read(node))
        for index, (name, item) in enumerate(items):
            refusal = now.get(name, ("", ""))
            if item[0] == "value" and refusal[0] == "error" and "inplace" in refusal[1]:
                items[index] = (name, ("value", item[1], refusal[1]))
    return Counter(
        (type(node).__name__, name, repr(item))
        for node, items in seen.values()
        for name, item in items
    )


def _product(code: str) -> tuple[Counter[tuple[str, str, str]], list[dict[str, Any]]]:
    record = evaluate(code)
    assert record.error is None and record.graph is not None, record
    found: Counter[tuple[str, str, str]] = Counter()
    saved: list[dict[str, Any]] = []
    for node in record.graph["nodes"]:
        if node["kind"] != "function":
            continue
        for item in node["saved"]:
            saved.append(item)
            if item.get("value") is not None:
                entry: tuple[Any, ...] = ("value", item["value"]["data"])
                if item.get("error"):
                    entry = (*entry, item["error"])
            elif item.get("error"):
                entry = ("error", item["error"])
            else:
                continue  # not a tensor: a size, an exponent
            found[(node["op"], item["name"], repr(entry))] += 1
    return found, saved


_SGD_BY_HAND = """\
w = torch.tensor([1., -2.], requires_grad=True)
for step in range(2):
    loss = (w ** 2).sum()
    loss.backward()
    with torch.no_grad():
        w -= 0.1 * w.grad
    w.grad = None
"""

_SGD_OPTIMIZER = """\
w = torch.tensor([1., -2.], requires_grad=True)
opt = optim.SGD([w], lr=0.1)
for step in range(2):
    opt.zero_grad()
    loss = (w ** 2).sum()
    loss.backward()
    opt.step()
"""

_RETAINED_TWICE = """\
w = torch.tensor([1., -2.], requires_grad=True)
h = w.sigmoid()
loss = (h * w).sum()
loss.backward(retain_graph=True)
loss.backward()
"""

_RETAINED_THEN_CHANGED = """\
w = torch.tensor([1., -2.], requires_grad=True)
loss = (w ** 2).sum()
loss.backward(retain_graph=True)
with torch.no_grad():
    w -= 0.1 * w.grad
"""

_REACHED_BY_NO_BACKWARD = """\
w = torch.tensor([1., -2.], requires_grad=True)
u = torch.tensor([0.5, 3.], requires_grad=True)
side = (w * u).sigmoid()
loss = (w ** 2).sum()
loss.backward()
with torch.no_grad():
    w -= 0.1 * w.grad
"""

_ZEROED_THROUGH_DETACH = """\
x = torch.tensor([1., -2.], requires_grad=True)
loss = (x ** 2).sum()
x.detach().zero_()
"""

_SIGMOID_THEN_MUL_ = """\
x = torch.tensor([1., -2.], requires_grad=True)
y = x.sigmoid()
y.mul_(2)
"""

_RELU_IN_A_HELPER = """\
def activate(t):
    return t.relu_()

x = torch.tensor([1., -2.], requires_grad=True)
a = x * 1
b = a ** 2
activate(a)
"""

_THROUGH_A_VIEW = """\
x = torch.tensor([1., -2., 3.], requires_grad=True)
a = x * 1
b = a ** 2
view = a[:2]
view.zero_()
"""

_SGD_THREE_STEPS = """\
w = torch.tensor([1., -2.], requires_grad=True)
opt = optim.SGD([w], lr=0.1)
for step in range(3):
    opt.zero_grad()
    loss = (w ** 2).sum()
    loss.backward()
    opt.step()
"""

PROGRAMS = {
    "sgd_by_hand": _SGD_BY_HAND,
    "sgd_three_steps": _SGD_THREE_STEPS,
    "sgd_optimizer": _SGD_OPTIMIZER,
    "retained_twice": _RETAINED_TWICE,
    "retained_then_changed": _RETAINED_THEN_CHANGED,
    "reached_by_no_backward": _REACHED_BY_NO_BACKWARD,
    "zeroed_through_detach": _ZEROED_THROUGH_DETACH,
    "sigmoid_then_mul_": _SIGMOID_THEN_MUL_,
    "relu_in_a_helper": _RELU_IN_A_HELPER,
    "through_a_view": _THROUGH_A_VIEW,
}


@pytest.mark.parametrize("program", sorted(PROGRAMS))
def test_saved_values_are_what_each_backward_used(
    program: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = PROGRAMS[program]
    expected = _plain_pytorch(code, monkeypatch)
    found, _ = _product(code)
    assert expected  # every program saves a tensor
    assert found == expected


def test_two_sgd_steps_show_each_steps_weight_not_the_last() -> None:
    """The first ``PowBackward0`` saved w = [1, -2] (its gradient [2, -4]); the step changes
    w in place later, which must not change what the first node shows."""
    _, saved = _product(_SGD_BY_HAND)
    selfs = [s for s in saved if s["name"] == "self"]
    values = torch.tensor([s["value"]["data"] for s in selfs])
    assert torch.allclose(values, torch.tensor([[1.0, -2.0], [0.8, -1.6]]))
    # w was changed in place twice since the first was saved, once since the second
    assert [s["version"] for s in selfs] == [{"saved": 0, "now": 2}, {"saved": 1, "now": 2}]
    assert all(s.get("error") is None and s.get("text") is None for s in selfs)


def test_a_saved_tensor_changed_in_place_has_pytorchs_versions_and_error() -> None:
    namespace: dict[str, Any] = {"torch": torch}
    exec(_SIGMOID_THEN_MUL_, namespace)  # noqa: S102 - plain PyTorch, the reference
    sigmoid = namespace["y"].grad_fn.next_functions[0][0]
    with pytest.raises(RuntimeError) as refused:
        sigmoid._saved_result  # noqa: B018 - PyTorch refuses it
    _, saved = _product(_SIGMOID_THEN_MUL_)
    (result,) = [s for s in saved if s["name"] == "result"]
    assert result["error"] == str(refused.value)
    assert result["version"] == {"saved": 0, "now": namespace["y"]._version}
    assert result["value"] is None
    assert result["text"].startswith("(modified in place after it was saved")


def test_a_value_a_backward_used_is_not_said_to_be_freed() -> None:
    """The graph was freed by backward, but what the node saved was copied before it ran."""
    _, saved = _product("w = torch.tensor([3.], requires_grad=True)\n(w ** 2).sum().backward()\n")
    (self_value,) = [s for s in saved if s["name"] == "self"]
    assert self_value["value"]["data"] == [3.0] and self_value.get("text") is None
