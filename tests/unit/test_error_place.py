"""An error the program raises while it runs says where: the line and the column of the
expression that raised, as Python's own traceback places it in plain PyTorch."""

from __future__ import annotations

import traceback

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from app.evaluate import evaluate

PROGRAMS = {
    "matmul-in-a-sum": (
        "x = torch.ones(3, requires_grad=True)\n"
        "y = x * 2\n"
        "for i in range(1):\n"
        "    z = y.sum() + (x @ torch.ones(2))\n"
    ),
    "view-in-a-function": (
        "def flatten(a):\n    return a.view(7)\nq = 1 + flatten(torch.ones(3))\n"
    ),
    "backward-twice": (
        "w = torch.tensor([1.0], requires_grad=True)\n"
        "loss = (w.exp() * 2).sum()\n"
        "loss.backward()\n"
        "print(w.grad);  loss.backward()\n"
    ),
    "layer-shape": (
        "net = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(2, 1))\n"
        "out = net(torch.ones(5, 4))\n"
    ),
    "grad-is-none": ("b = torch.zeros(1, requires_grad=True)\nlr = 0.1\nb.data -= lr * b.grad\n"),
}


def _plain_place(code: str) -> tuple[int, int]:
    """Line and 1-based column of the innermost frame of the program in plain PyTorch."""
    namespace = {"torch": torch, "nn": nn, "F": F}
    try:
        exec(compile(code, "<reference>", "exec"), namespace)  # noqa: S102
    except Exception as exc:  # noqa: BLE001 - any exception is the object under test
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == "<reference>"]
        frame = frames[-1]
        assert frame.lineno is not None and frame.colno is not None
        return frame.lineno, frame.colno + 1
    pytest.fail("program did not raise")


@pytest.mark.parametrize("name", PROGRAMS)
def test_line_and_column_as_python_places_them(name: str) -> None:
    code = PROGRAMS[name]
    error = evaluate(code).error
    assert error is not None
    assert (error.line, error.col) == _plain_place(code)


def test_a_sandbox_refusal_while_running_has_a_column() -> None:
    code = "import torch\nnet = torch.nn.Linear(2, 1)\nok = 1;  torch.save(net, 'net.pt')\n"
    error = evaluate(code).error
    assert error is not None and error.type == "SandboxViolation"
    assert (error.line, error.col) == (3, 10)
