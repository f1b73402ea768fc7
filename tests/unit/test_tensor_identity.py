"""One node per tensor, names that tell, in-place versions and hooks, against plain PyTorch.

The reference runs each program with plain PyTorch under a line tracer (``sys.settrace``) and
reads, after every line of the program: which tensor each variable holds, its flags
(``requires_grad``, ``is_leaf``, ``grad_fn``, ``_version``), and, for hooks, what a hook of the
reference's own, registered before the program's, saw arriving. The product must tell the same.
"""

from __future__ import annotations

from typing import Any

import torch

from app.evaluate import evaluate
from tests.reference import flags_of as _flags
from tests.reference import prelude
from tests.reference import trace_bindings as _plain

_FILE = "<identity>"


def _graph(code: str) -> dict[str, Any]:
    record = evaluate(code)
    assert record.error is None and record.refused is None, record
    assert record.graph is not None
    return record.graph


def _tensors(graph: dict[str, Any]) -> list[dict[str, Any]]:
    return [n for n in graph["nodes"] if n["kind"] == "tensor"]


def _state(entry: dict[str, Any]) -> tuple[bool, bool, str | None, int]:
    return (entry["requires_grad"], entry["is_leaf"], entry["grad_fn"], entry["version"])


FLAG_CHANGES = {
    "freeze_after_backward": (
        (
            "w = torch.tensor([1.0, 2.0], requires_grad=True)\n"
            "loss = (w * 3).sum()\nloss.backward()\nw.requires_grad_(False)\n"
        ),
        "w",
    ),
    "enable_between_backwards": (
        (
            "a = torch.tensor(2.0)\nb = torch.tensor(3.0, requires_grad=True)\n"
            "(a * b).backward()\na.requires_grad_()\n(a * b).backward()\n"
        ),
        "a",
    ),
    "add_after_retained_backward": (
        (
            "x = torch.tensor([1.0, 2.0], requires_grad=True)\ny = x * 2\nz = y.sum()\n"
            "z.backward(retain_graph=True)\ny.add_(1)\nz.backward()\n"
        ),
        "y",
    ),
    "detach_in_place": (
        (
            "x = torch.tensor([1.0, 2.0], requires_grad=True)\ny = x * 2\n"
            "y.sum().backward(retain_graph=True)\ny.detach_()\n"
        ),
        "y",
    ),
}


def test_a_tensor_whose_flags_change_is_one_node_with_its_states_as_in_plain_pytorch() -> None:
    for label, (code, name) in FLAG_CHANGES.items():
        trace = _plain(code)
        built = next(b for b in trace.bindings if b.name == name)
        final = trace.namespace[name]
        graph = _graph(code)
        holders = [n for n in _tensors(graph) if name in n["names"]]
        assert len(holders) == 1, f"{label}: {name} is one tensor, shown as {len(holders)} nodes"
        node = holders[0]
        assert graph["variables"][name] == node["id"], label
        assert _state(node) == _flags(final), label
        assert node["states"], f"{label}: the flags changed, the node must say so"
        first, last = node["states"][0], node["states"][-1]
        assert (first["moment"], first["line"]) == ("built", built.line), label
        assert _state(first) == built.flags, label
        assert _state(last) == _flags(final), label
        # a change before a backward pass is dated by it (plain PyTorch: the flags then)
        if label in ("enable_between_backwards", "add_after_retained_backward"):
            assert (last["moment"], last["backward_pass"]) == ("backward", 1)


def test_a_tensor_whose_flags_never_change_has_no_states() -> None:
    graph = _graph("x = torch.ones(2, requires_grad=True)\ny = (x * 2).sum()\ny.backward()\n")
    assert all(node["states"] == [] for node in _tensors(graph))


LOOP = """\
x = torch.tensor(1.5, requires_grad=True)
y = x
i = 0
while i < 4:
    y = y * 2 + i
    i += 1

def helper(a):
    h = a.sin()
    return h * 3

h = helper(y)
h.backward()
"""


def test_names_tell_which_binding_is_current_its_function_and_its_iteration() -> None:
    trace = _plain(LOOP)
    graph = _graph(LOOP)
    by_value: dict[str, dict[str, Any]] = {}
    for node in _tensors(graph):
        for binding in node["bindings"]:
            by_value[
                f"{binding['name']}@{binding['scope']}@{binding['line']}#{binding['iteration']}"
            ] = node
    loop = [b for b in trace.bindings if b.name == "y" and b.line == 5]
    assert len(loop) == 4
    for k, plain in enumerate(loop, start=1):
        node = by_value[f"y@None@5#{k}"]
        assert node["value"]["data"] == plain.tensor.item()
        binding = next(b for b in node["bindings"] if b["name"] == "y")
        assert binding["of"] == len(loop)
        assert binding["current"] == (plain.tensor is trace.namespace["y"])
        assert node["label"] == ("y" if binding["current"] else f"y #{k}")
    local = next(b for b in trace.bindings if b.name == "h" and b.scope == "helper")
    node = by_value["h@helper@9#None"]
    assert node["value"]["data"] == local.tensor.item()
    assert not next(b for b in node["bindings"] if b["scope"] == "helper")["current"]
    assert node["label"] == "h (helper)"
    top = by_value["h@None@12#None"]
    assert top["value"]["data"] == trace.namespace["h"].item()
    assert graph["variables"]["h"] == top["id"]
    assert [b["current"] for b in top["bindings"]] == [True]


IN_PLACE = """\
x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
y = x * 2
y.add_(1)
y[0] = 5.0
y.relu_()
z = y.sum()
z.backward()
"""


def test_in_place_nodes_carry_the_version_they_left_their_tensor_at() -> None:
    trace = _plain(IN_PLACE)
    expected = set()
    seen: set[str | None] = set()
    for binding in trace.bindings:  # a binding per new tensor; in-place ops make none
        seen.add(binding.flags[2])
    y = trace.namespace["y"]
    # Walk plain PyTorch's graph from y: each in-place node and the version it left y at,
    # counted in the order they ran (y started at version 0, each op added one).
    chain: list[str] = []
    node = y.grad_fn
    while node is not None and type(node).__name__ != "MulBackward0":
        chain.append(type(node).__name__)
        node = node.next_functions[0][0]
    for version, op in enumerate(reversed(chain), start=1):
        expected.add((op, version))
    assert y._version == len(chain) == 3
    graph = _graph(IN_PLACE)
    shown = {
        (n["op"], n["version"])
        for n in graph["nodes"]
        if n["kind"] == "function" and n["version"] is not None
    }
    assert shown == expected
    assert _state(next(n for n in _tensors(graph) if n["name"] == "y")) == _flags(y)


HOOKED = """\
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 3
h = y.register_hook(lambda g: g / 10)
z = (y * y).sum()
z.backward(retain_graph=True)
h.remove()
with x.register_hook(lambda g: g * 100):
    z.backward()
"""


def _plain_hooks(code: str) -> list[dict[str, list[list[float]]]]:
    """Per backward call: for x and y, what arrived before the program's hooks, and what the
    node went on with (a hook of ours registered first; a node pre hook, which runs after)."""
    calls: list[dict[str, list[list[float]]]] = []
    original = torch.Tensor.register_hook
    observed: set[int] = set()
    namespace = prelude()

    def register_hook(self: torch.Tensor, hook: Any) -> Any:
        if id(self) not in observed:
            observed.add(id(self))
            name = next(k for k, v in namespace.items() if v is self)

            def before(grad: torch.Tensor) -> None:
                calls[-1].setdefault(f"{name}:before", []).append(grad.tolist())

            original(self, before)
            node = self.grad_fn
            if node is None:  # a leaf: its AccumulateGrad, where the hook runs
                node = self.view_as(self).grad_fn.next_functions[0][0]

            def after(grads: tuple[torch.Tensor, ...]) -> None:
                calls[-1].setdefault(f"{name}:after", []).append(grads[0].tolist())

            node.register_prehook(after)
        return original(self, hook)

    backward = torch.Tensor.backward

    def counted(self: torch.Tensor, *args: Any, **kwargs: Any) -> Any:
        calls.append({})
        return backward(self, *args, **kwargs)

    torch.Tensor.register_hook = register_hook  # type: ignore[method-assign]
    torch.Tensor.backward = counted  # type: ignore[method-assign]
    try:
        exec(compile(code, _FILE, "exec"), namespace)  # noqa: S102 -- the reference
    finally:
        torch.Tensor.register_hook = original  # type: ignore[method-assign]
        torch.Tensor.backward = backward  # type: ignore[method-assign]
    return calls


def test_where_a_hook_changed_a_gradient_the_step_and_edge_say_before_and_after() -> None:
    calls = _plain_hooks(HOOKED)
    graph = _graph(HOOKED)
    names = {n["id"]: n["name"] for n in _tensors(graph)}
    assert len(graph["backward"]) == len(calls) == 2
    for done, plain in zip(graph["backward"], calls, strict=True):
        changes = {
            names[s["hook"]["tensor"]]: (s["hook"]["before"]["data"], s["hook"]["after"]["data"])
            for s in done["steps"]
            if s["hook"] is not None
        }
        expected = {
            name: (plain[f"{name}:before"][-1], plain[f"{name}:after"][-1])
            for name in ("x", "y")
            if f"{name}:before" in plain
            and plain[f"{name}:before"][-1] != plain[f"{name}:after"][-1]
        }
        assert set(changes) == set(expected)
        for name, (before, after) in expected.items():
            assert torch.allclose(torch.tensor(changes[name][0]), torch.tensor(before))
            assert torch.allclose(torch.tensor(changes[name][1]), torch.tensor(after))
    # The edge into y carries, in the first pass, what the hook returned and what arrived.
    y = graph["variables"]["y"]
    into_y = [e for e in graph["edges"] if e["target"] == y and e["kind"] == "data"]
    first = [g for e in into_y for g in e["grads"] if g["backward_pass"] == 0]
    assert first and all(g["before"] is not None for g in first)
    before, after = calls[0]["y:before"][-1], calls[0]["y:after"][-1]
    assert torch.allclose(torch.tensor(first[0]["before"]["data"]), torch.tensor(before))
    assert torch.allclose(torch.tensor(first[0]["value"]["data"]), torch.tensor(after))
    second = [g for e in into_y for g in e["grads"] if g["backward_pass"] == 1]
    assert all(g["before"] is None for g in second)  # removed before the second pass
