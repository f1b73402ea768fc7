"""A program that raises is answered with the line and column Python itself gives the
failing expression (3.11's ``^^^^`` in a traceback), checked against the same program run
by plain Python and PyTorch."""

from __future__ import annotations

import traceback

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from app.evaluate import evaluate

PROGRAMS = {
    "matmul shapes": "x = torch.ones(2, 3)\ny = x @ torch.ones(2, 3)\n",
    "after chinese text": (
        "x = torch.ones(3, requires_grad=True)\n# 求导\ns = '你好'; y = (x * 2); y.backward()\n"
    ),
    "inside a function": "def f(a):\n    return a.view(7)\n\nx = torch.ones(6)\nz = f(x)\n",
    "backward twice": (
        "x = torch.tensor(2.0, requires_grad=True)\ny = x ** 2\ny.backward()\ny.backward()\n"
    ),
    "undefined name": "x = torch.randn(3)\nprint(x + undefined_name)\n",
    "index": "x = [1, 2]\nprint(x[5])\n",
    "in a loop": "w = torch.ones(3)\nfor i in range(4):\n    w = w + torch.ones(i + 1)\n",
    "method of a module": (
        "from torch import nn\n"
        "class Net(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.fc = nn.Linear(4, 2)\n"
        "    def forward(self, x):\n"
        "        return self.fc(x) * 2\n"
        "net = Net()\n"
        "out = net(torch.ones(3, 5))\n"
    ),
    "numpy of a tensor that requires grad": (
        "w = torch.ones(2, requires_grad=True)\nvalues = [1, 2, (w * 2).numpy()]\n"
    ),
    "in an f-string": "x = torch.ones(2)\nprint(f'{x.item():.2f}')\n",
    "under no_grad": (
        "w = torch.ones(2, requires_grad=True)\nwith torch.no_grad():\n    w.add_(torch.ones(3))\n"
    ),
    "leaf in place": "w = torch.ones(2, requires_grad=True)\nw += 1\n",
    "comprehension": "xs = [torch.ones(2), torch.ones(3)]\nys = [x.view(3) for x in xs]\n",
    "division by zero": "n = 0\nprint(10 / n)\n",
    "a lambda": "f = lambda t: t.reshape(5)\nf(torch.ones(4))\n",
    "matmul in a sum in a loop": (
        "x = torch.ones(3, requires_grad=True)\n"
        "y = x * 2\n"
        "for i in range(1):\n"
        "    z = y.sum() + (x @ torch.ones(2))\n"
    ),
    "backward twice after a print": (
        "w = torch.tensor([1.0], requires_grad=True)\n"
        "loss = (w.exp() * 2).sum()\n"
        "loss.backward()\n"
        "print(w.grad);  loss.backward()\n"
    ),
    "layer shape": (
        "net = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(2, 1))\n"
        "out = net(torch.ones(5, 4))\n"
    ),
    "grad is none": "b = torch.zeros(1, requires_grad=True)\nlr = 0.1\nb.data -= lr * b.grad\n",
}


def _plain_place(code: str) -> tuple[int, int]:
    """Line and 1-based column of the innermost frame of ``code`` in plain Python."""
    try:
        namespace = {"torch": torch, "nn": nn, "F": F, "print": lambda *a: None}
        exec(compile(code, "<plain>", "exec"), namespace)  # noqa: S102
    except Exception as exc:  # noqa: BLE001 - the program's own error is the point
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == "<plain>"]
        frame = frames[-1]
        assert frame.lineno is not None and frame.colno is not None
        line_text = code.split("\n")[frame.lineno - 1]
        # Python counts the column in bytes of UTF-8.
        before = line_text.encode()[: frame.colno].decode()
        return frame.lineno, len(before) + 1
    raise AssertionError("the program ran without an error")


@pytest.mark.parametrize("code", PROGRAMS.values(), ids=PROGRAMS.keys())
def test_a_runtime_error_has_the_line_and_column_python_gives(code: str) -> None:
    record = evaluate(code)
    assert record.error is not None
    assert (record.error.line, record.error.col) == _plain_place(code)


def test_a_sandbox_refusal_while_running_has_a_column() -> None:
    code = "import torch\nnet = torch.nn.Linear(2, 1)\nok = 1;  torch.save(net, 'net.pt')\n"
    error = evaluate(code).error
    assert error is not None and error.type == "SandboxViolation"
    assert (error.line, error.col) == (3, 10)
