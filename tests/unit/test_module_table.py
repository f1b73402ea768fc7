"""Tests for app/walk/module_table.py: the answer's `modules` rows against plain PyTorch's
modules (class, `sum(p.numel() for p in m.parameters())`, the norm of their `.grad`)."""

from __future__ import annotations

import contextlib
import io
import math
from typing import Any

import pytest
from torch import nn

from app.evaluate import evaluate
from tests.reference import prelude

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
        self.unused = nn.Linear(4, 4)

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return self.head(x).sum()


torch.manual_seed(0)
model = Net()
loss = model(torch.randn(2, 4))
loss.backward()
before = nn.Linear(3, 3)
y = before(torch.ones(1, 3)).sum()
"""


def _plain(code: str) -> dict[str, Any]:
    namespace = prelude()
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(code, "<reference>", "exec"), namespace)  # noqa: S102 -- the reference run
    return namespace


def _module(namespace: dict[str, Any], path: str) -> nn.Module:
    name, *inner = path.split(".")
    module: nn.Module = namespace[name]
    return module.get_submodule(".".join(inner)) if inner else module


def _grad_norm(module: nn.Module) -> float | None:
    grads = [p.grad for p in module.parameters() if p.grad is not None]
    if not grads:
        return None
    return math.sqrt(sum(float(g.double().pow(2).sum()) for g in grads))


def _rows(code: str) -> list[dict[str, Any]]:
    record = evaluate(code)
    assert record.error is None, record.error
    assert record.graph is not None
    rows: list[dict[str, Any]] = record.graph["modules"]
    return rows


def test_module_rows_match_plain_pytorch_modules() -> None:
    rows = _rows(NESTED)
    namespace = _plain(NESTED)
    assert [row["path"] for row in rows] == [
        "model",
        "model.layers",
        "model.layers.0",
        "model.layers.0.fc",
        "model.layers.0.act",
        "model.layers.1",
        "model.layers.1.fc",
        "model.layers.1.act",
        "model.layers.2",
        "model.layers.2.fc",
        "model.layers.2.act",
        "model.head",
        "model.head.0",
        "model.head.1",
        "before",
    ]
    for row in rows:
        module = _module(namespace, row["path"])
        assert row["type"] == type(module).__name__
        assert row["parameters"] == sum(p.numel() for p in module.parameters())
        expected = _grad_norm(module)
        if expected is None:
            assert row["grad_norm"] is None, row
        else:
            assert row["grad_norm"] == pytest.approx(expected, rel=1e-9), row
    # The module never called still counts among its parent's parameters (PyTorch's count).
    assert rows[0]["parameters"] == sum(p.numel() for p in namespace["model"].parameters())
    assert rows[-1]["grad_norm"] is None  # `before` ran, but no backward reached it


def test_a_shared_parameter_counts_once_per_module() -> None:
    code = (
        "torch.manual_seed(0)\n"
        "lin = nn.Linear(2, 2)\n"
        "net = nn.Sequential(lin, nn.ReLU(), lin)\n"
        "net(torch.ones(1, 2)).sum().backward()\n"
    )
    rows = {row["path"]: row for row in _rows(code)}
    namespace = _plain(code)
    assert rows["net"]["parameters"] == sum(p.numel() for p in namespace["net"].parameters()) == 6
    assert rows["net"]["grad_norm"] == pytest.approx(_grad_norm(namespace["net"]))


def test_a_program_without_modules_has_no_rows() -> None:
    assert _rows("x = torch.ones(2, requires_grad=True)\n(x * 2).sum().backward()\n") == []


def test_rows_read_a_bounded_number_of_modules_when_blocks_share_a_big_module() -> None:
    """Each row counts its module's parameters by walking down from it: 60 blocks that all hold
    one list of 5,000 modules made the table read 300,000 modules (1,300 blocks holding one of
    20,000: 26 million, about a minute). Past the budget the rows stop; those made are
    PyTorch's counts."""
    code = (
        "torch.manual_seed(0)\n"
        "shared = nn.ModuleList([nn.Identity() for _ in range(5000)])\n"
        "class Block(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.shared = shared\n"
        "        self.fc = nn.Linear(2, 2)\n"
        "    def forward(self, x):\n"
        "        return self.fc(x)\n"
        "class Net(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.blocks = nn.ModuleList([Block() for _ in range(60)])\n"
        "    def forward(self, x):\n"
        "        for block in self.blocks:\n"
        "            x = block(x)\n"
        "        return x\n"
        "net = Net()\n"
        "net(torch.ones(1, 2)).sum().backward()\n"
    )
    rows = _rows(code)
    namespace = _plain(code)
    paths = [row["path"] for row in rows]
    # outer modules first
    assert paths[:5] == ["net", "net.blocks", "net.blocks.0", "net.blocks.0.fc", "net.blocks.1"]
    assert "net.blocks.59.fc" not in paths  # the budget ran out before the last block
    for row in rows:
        module = _module(namespace, row["path"])
        assert row["parameters"] == sum(p.numel() for p in module.parameters())
        assert row["grad_norm"] == pytest.approx(_grad_norm(module), rel=1e-9)
