"""Each function node's module (app/walk/module_scopes.py): the innermost ``nn.Module`` whose
call made it, checked against plain PyTorch, where forward pre and post hooks on every module
see which autograd nodes each module's call created; recording it changes nothing the
program can see."""

from __future__ import annotations

import contextlib
import io
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import torch
from torch import nn
from torch.autograd.graph import Node
from torch.nn.modules import module as torch_module

from app.evaluate import evaluate
from app.language.torch_mode import ProgramMode
from app.limits import Limits
from app.walk.capture import GraphRecorder
from app.walk.module_scopes import MAX_MODULES
from tests.reference import (
    _walk_before_backward,
    prelude,
    program_variables,
    reachable_nodes,
    root_tensors,
    run_reference,
)
from tests.unit.programs import EXAMPLES

Scoped = tuple[str, str | None, str | None]  # (op, module, module_type)

NESTED = """
class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)
        self.act = nn.ReLU()

    def forward(self, x):
        return self.act(self.fc(x)) * 2


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([Block() for _ in range(3)])
        self.head = nn.Sequential(nn.Linear(4, 2), nn.Tanh())

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return self.head(x).sum()


def run(net, v):
    return net(v)


torch.manual_seed(0)
model = Net()
x = torch.randn(2, 4) * 3
loss = model(x) + 1
loss.backward()
layers = [nn.Linear(2, 2) for _ in range(2)]
h = torch.ones(1, 2, requires_grad=True)
for layer in layers:
    h = layer(h)
z = run(model.head, torch.ones(1, 4))
w = model.layers[1].fc(x).relu()
y = nn.Linear(2, 2)(h)
print(loss, model.layers[0].fc.weight.grad)
"""

ATTENTION = """
torch.manual_seed(0)
encoder = nn.TransformerEncoderLayer(d_model=8, nhead=2, dim_feedforward=16, batch_first=True)
rnn = nn.GRU(8, 4, batch_first=True)
x = torch.randn(2, 3, 8)
out, h = rnn(encoder(x))
loss = out.pow(2).mean() + h.sum()
loss.backward()
print(loss)
"""


# --- plain PyTorch: which module's call made each node ------------------------------------------


def _tensors(value: Any) -> list[torch.Tensor]:
    if isinstance(value, torch.Tensor):
        return [value]
    if isinstance(value, (list, tuple)):
        return [t for item in value for t in _tensors(item)]
    if isinstance(value, dict):
        return [t for item in value.values() for t in _tensors(item)]
    return []


@contextlib.contextmanager
def _claims(made: dict[int, tuple[Node, nn.Module]], calls: list[nn.Module]) -> Iterator[None]:
    """Forward pre and post hooks on every module. A node is made by the module call running
    when it first appears: at a module's post hook, each new node reachable from its outputs
    is its own (an inner call's post hook runs first: the innermost module wins); at a pre
    hook, each new node reachable from the inputs was made by the call around it, if any.
    ``calls``: the modules in the order of their first call."""
    # Every node upstream of a node seen is seen too (next_functions never change), so each
    # walk stops at the nodes seen before: one walk of each node in all, for a graph of any
    # size. Holding the nodes keeps their ids from being reused.
    old: dict[int, Node] = {}
    running: list[nn.Module] = []

    def claim(value: Any, module: nn.Module | None) -> None:
        stack = [t.grad_fn for t in _tensors(value) if t.grad_fn is not None]
        while stack:
            node = stack.pop()
            if id(node) in old:
                continue
            old[id(node)] = node
            if module is not None:
                made[id(node)] = (node, module)
            stack.extend(n for n, _ in node.next_functions if n is not None and id(n) not in old)

    def pre(module: nn.Module, args: Any) -> None:
        claim(args, running[-1] if running else None)
        running.append(module)
        if all(module is not seen for seen in calls):
            calls.append(module)

    def post(module: nn.Module, args: Any, output: Any) -> None:
        claim(output, module)
        running.pop()

    handles = [
        torch_module.register_module_forward_pre_hook(pre),
        torch_module.register_module_forward_hook(post),
    ]
    try:
        yield
    finally:
        for handle in handles:
            handle.remove()


def _module_names(namespace: dict[str, Any], calls: list[nn.Module]) -> dict[int, str]:
    """Each module's name as the program's variables hold it (items of lists as ``xs[0]``,
    modules inside modules as ``named_modules`` spells them), the first name found; a module
    held nowhere by its class name, numbered from the second one called (``Linear#2``)."""
    names: dict[int, str] = {}

    def add(name: str, module: nn.Module) -> None:
        for inner, sub in module.named_modules():
            names.setdefault(id(sub), f"{name}.{inner}" if inner else name)

    for name, value in program_variables(namespace):
        if isinstance(value, nn.Module):
            add(name, value)
        elif isinstance(value, (list, tuple)):
            for i, item in enumerate(value):
                if isinstance(item, nn.Module):
                    add(f"{name}[{i}]", item)
    unnamed: Counter[str] = Counter()
    for module in calls:
        if id(module) not in names:
            kind = type(module).__name__
            unnamed[kind] += 1
            names[id(module)] = kind if unnamed[kind] == 1 else f"{kind}#{unnamed[kind]}"
    return names


def pytorch_scopes(code: str) -> Counter[Scoped]:
    """Each function node plain PyTorch made for ``code`` (those reachable from its variables
    and from each backward call's roots) with the module whose call made it."""
    namespace = prelude()
    made: dict[int, tuple[Node, nn.Module]] = {}
    calls: list[nn.Module] = []
    walked: dict[int, Node] = {}
    with (
        _claims(made, calls),
        _walk_before_backward(walked),
        contextlib.redirect_stdout(io.StringIO()),
    ):
        exec(compile(code, "<reference>", "exec"), namespace)  # noqa: S102 -- the reference run
    walked.update((id(n), n) for n in reachable_nodes(root_tensors(namespace)))
    names = _module_names(namespace, calls)
    found: Counter[Scoped] = Counter()
    for key, node in walked.items():
        if type(node).__name__ == "AccumulateGrad":
            continue
        module = made[key][1] if key in made else None
        kind = None if module is None else type(module).__name__
        path = None if module is None else names[id(module)]
        found[(type(node).__name__, path, kind)] += 1
    return found


def product_scopes(code: str) -> Counter[Scoped]:
    record = evaluate(code)
    assert record.error is None, record.error
    assert record.graph is not None
    return Counter(
        (n["op"], n["module"], n["module_type"])
        for n in record.graph["nodes"]
        if n["kind"] == "function"
    )


# --- against plain PyTorch ----------------------------------------------------------------------


def test_nested_modules_lists_and_sequentials_match_pytorch() -> None:
    expected = pytorch_scopes(NESTED)
    assert product_scopes(NESTED) == expected
    # what the comparison covers: the innermost module wins, children by index, list items,
    # a module passed to a function, a module held nowhere, nodes outside every module
    assert expected[("AddmmBackward0", "model.layers.2.fc", "Linear")] == 1
    assert expected[("ReluBackward0", "model.layers.0.act", "ReLU")] == 1
    assert expected[("MulBackward0", "model.layers.1", "Block")] == 1
    assert expected[("SumBackward0", "model", "Net")] == 1
    assert expected[("TanhBackward0", "model.head.1", "Tanh")] == 2
    assert expected[("AddmmBackward0", "layers[1]", "Linear")] == 1
    assert expected[("AddmmBackward0", "Linear", "Linear")] == 1
    assert expected[("AddBackward0", None, None)] == 1
    assert expected[("ReluBackward0", None, None)] == 1  # .relu() after model.layers[1].fc(x)


def test_attention_and_recurrent_layers_match_pytorch() -> None:
    expected = pytorch_scopes(ATTENTION)
    assert product_scopes(ATTENTION) == expected
    modules = {module for _, module, _ in expected}
    assert {"encoder.self_attn", "encoder.linear1", "encoder.norm2", "rnn"} <= modules


@pytest.mark.parametrize("example_id", sorted(EXAMPLES))
def test_gallery_modules_match_pytorch(example_id: str) -> None:
    code = EXAMPLES[example_id]
    assert product_scopes(code) == pytorch_scopes(code)


def test_outputs_grads_and_printed_text_are_pytorchs() -> None:
    record = evaluate(NESTED)
    assert record.stdout == run_reference(NESTED).stdout


# --- names the program gives ----------------------------------------------------------------------


def test_a_later_module_under_a_used_name_is_numbered() -> None:
    code = (
        "x = torch.ones(1, 2)\n"
        "model = nn.Linear(2, 2)\n"
        "a = model(x)\n"
        "model = nn.Linear(2, 2)\n"
        "b = model(x)\n"
        "c = nn.Linear(2, 2)(x)\n"
        "d = nn.Linear(2, 2)(x)\n"
    )
    assert {module for _, module, _ in product_scopes(code)} == {
        "model",
        "model#2",
        "Linear",
        "Linear#2",
    }


def test_a_module_path_is_cut_like_a_label_and_counted() -> None:
    name = "a" * 300
    code = (
        "model = nn.Sequential()\n"
        f"model.add_module('{name}', nn.Linear(2, 2))\n"
        "y = model(torch.ones(1, 2))\n"
    )
    record = evaluate(code)
    assert record.graph is not None
    functions = [n for n in record.graph["nodes"] if n["kind"] == "function"]
    path = f"model.{name}"
    cut = path[:99] + "…" + path[-100:]
    assert [(n["op"], n["module"]) for n in functions] == [
        ("AddmmBackward0", cut),
        ("TBackward0", cut),
    ]
    assert record.graph["omitted"]["text_chars"] == 2 * (len(path) - 200)
    assert record.truncated is True


def test_modules_past_the_limit_have_no_path_and_are_counted() -> None:
    code = (
        f"layers = [nn.Linear(1, 1, bias=False) for _ in range({MAX_MODULES + 2})]\n"
        "x = torch.ones(1, 1)\n"
        "for layer in layers:\n"
        "    x = layer(x)\n"
    )
    record = evaluate(code)
    assert record.error is None and record.graph is not None
    modules = [n["module"] for n in record.graph["nodes"] if n["kind"] == "function"]
    assert modules.count(None) == 2 * 2  # each layer's product and its weight's transpose
    assert len(set(modules) - {None}) == MAX_MODULES  # one path for each module within it
    assert modules[: 2 * MAX_MODULES].count(None) == 0  # the first ones called
    assert record.graph["omitted"]["modules"] == 2


def test_a_5000_node_mlp_keeps_every_module_within_the_node_limit() -> None:
    """Issue 15: the bench's 5,000-node MLP (1,000 layers of nn.Linear + nn.Tanh: 2,001
    modules, under the node limit) comes back whole, each node with the module PyTorch's own
    hooks see making it; past 1,000 modules it had come back truncated."""
    code = (
        "torch.manual_seed(0)\n"
        "pairs = [(nn.Linear(4, 4), nn.Tanh()) for _ in range(1000)]\n"
        "model = nn.Sequential(*[layer for pair in pairs for layer in pair])\n"
        "del pairs\n"
        "x = torch.randn(2, 4)\n"
        "loss = model(x).sum()\n"
        "loss.backward()\n"
    )
    record = evaluate(code)
    assert record.error is None and record.graph is not None
    assert record.graph["omitted"]["modules"] == 0
    assert record.truncated is False
    found = Counter(
        (n["op"], n["module"], n["module_type"])
        for n in record.graph["nodes"]
        if n["kind"] == "function"
    )
    expected = pytorch_scopes(code)
    assert found == expected
    assert {module for _, module, _ in expected} >= {"model.0", "model.1998", "model.1999"}


# --- nothing the program can observe --------------------------------------------------------------


def _hooks_now(module: nn.Module) -> tuple[int, ...]:
    return (
        len(module._forward_hooks),
        len(module._forward_pre_hooks),
        len(module._backward_hooks),
        len(torch_module._global_forward_hooks),
        len(torch_module._global_forward_pre_hooks),
        len(torch_module._global_backward_hooks),
    )


def _program() -> dict[str, Any]:
    """A model whose forward looks at the hooks PyTorch would run, while it runs."""
    seen: list[tuple[int, ...]] = []

    class Probe(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.fc = nn.Linear(3, 2)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            seen.append(_hooks_now(self) + _hooks_now(self.fc))
            return torch.tanh(self.fc(x))

    torch.manual_seed(0)
    model = Probe()
    out = model(torch.randn(4, 3))
    out.sum().backward()
    return {"seen": seen, "out": out.detach(), "grad": model.fc.weight.grad}


def test_recording_modules_adds_no_hook_and_changes_no_value() -> None:
    plain = _program()
    recorder = GraphRecorder(__file__, max_elements=100, max_passes=20, max_records=1000)
    with ProgramMode(Limits(), recorder):
        recorded = _program()
    assert recorded["seen"] == plain["seen"] == [(0,) * 12]
    assert torch.equal(recorded["out"], plain["out"])
    assert torch.equal(recorded["grad"], plain["grad"])
    scopes = {scope.path for scope in recorder.node_modules.values()}
    assert scopes == {"model", "model.fc"}  # it did watch the module calls


def test_a_module_registered_twice_keeps_the_path_named_modules_gives_first() -> None:
    code = (
        "class Net(nn.Module):\n"
        "    def __init__(self, shared):\n"
        "        super().__init__()\n"
        "        self.a = nn.Sequential(shared)\n"
        "        self.b = shared\n"
        "\n"
        "    def forward(self, x):\n"
        "        return self.b(x)\n"
        "\n"
        "net = Net(nn.Linear(2, 2))\n"
        "y = net(torch.ones(1, 2))\n"
    )
    expected = pytorch_scopes(code)
    assert product_scopes(code) == expected
    assert {module for _, module, _ in expected} == {"net.a.0"}  # depth first, as PyTorch


def test_a_twenty_layer_mlp_names_every_layer() -> None:
    """The issue's 20-layer ``nn.ModuleList`` MLP: each layer's nodes carry its path."""
    code = (
        "class MLP(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.layers = nn.ModuleList([nn.Linear(4, 4) for _ in range(20)])\n"
        "\n"
        "    def forward(self, x):\n"
        "        for layer in self.layers:\n"
        "            x = torch.relu(layer(x))\n"
        "        return x\n"
        "\n"
        "torch.manual_seed(0)\n"
        "model = MLP()\n"
        "loss = model(torch.randn(2, 4)).sum()\n"
        "loss.backward()\n"
    )
    expected = pytorch_scopes(code)
    assert product_scopes(code) == expected
    assert expected[("AddmmBackward0", "model.layers.7", "Linear")] == 1
    assert expected[("ReluBackward0", "model", "MLP")] == 20
    assert expected[("SumBackward0", None, None)] == 1
