"""PyTorch's warnings that point at a learner's bug become notes on the answer, once each, with
the program's line (app/hints/warning_notes.py); the program runs as in plain PyTorch."""

from __future__ import annotations

import re
import warnings

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from app.evaluate import evaluate
from tests.reference import run_reference

CJK = re.compile(r"[\u4e00-\u9fff]")

# (program, the note's key, the line PyTorch warned on)
WARNED = {
    "mse-target-broadcasts": (
        (
            "pred = torch.randn(4, 1, requires_grad=True)\n"
            "target = torch.randn(4)\n"
            "loss = nn.MSELoss()(pred, target)\n"
            "loss.backward()\n"
            "print(pred.grad.shape)\n"
        ),
        "warning_loss_shape_mismatch",
        3,
    ),
    "grad-of-a-non-leaf": (
        (
            "x = torch.tensor([1.0, 2.0], requires_grad=True)\n"
            "y = x * 3\n"
            "y.sum().backward()\n"
            "print(x.grad, y.grad)\n"
        ),
        "warning_grad_is_none",
        4,
    ),
    "softmax-without-dim": (
        (
            "def net(X):\n    return F.softmax(X @ torch.ones(3, 2))\n"
            "print(net(torch.ones(2, 3)).sum(1))\n"
        ),
        "warning_softmax_implicit_dim",
        2,
    ),
}


def _plain_warnings(code: str) -> list[str]:
    """The texts of the warnings plain PyTorch gives for ``code``."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        exec(code, {"torch": torch, "nn": nn, "F": F, "print": lambda *a: None})  # noqa: S102
    return [str(w.message) for w in caught]


@pytest.mark.parametrize("name", WARNED)
def test_a_warning_that_marks_a_bug_is_a_note(name: str) -> None:
    code, key, line = WARNED[name]
    assert _plain_warnings(code), "plain PyTorch warns"
    record = evaluate(code)
    assert record.error is None
    assert record.stdout == run_reference(code).stdout
    notes = [note for note in record.notes if note["key"] == key]
    assert len(notes) == 1, record.notes
    assert f"line {line}" in notes[0]["en"] and f"第 {line} 行" in notes[0]["zh"]
    assert CJK.search(notes[0]["zh"])


def test_a_warning_in_a_loop_is_one_note() -> None:
    code = (
        "w = torch.zeros(3, 1, requires_grad=True)\n"
        "X, y = torch.randn(20, 3), torch.randn(20)\n"
        "for epoch in range(200):\n"
        "    l = F.mse_loss(X @ w, y)\n"
        "    l.backward()\n"
        "    with torch.no_grad():\n"
        "        w -= 0.1 * w.grad\n"
        "        w.grad.zero_()\n"
    )
    record = evaluate(code)
    assert record.error is None
    assert [note["key"] for note in record.notes] == ["warning_loss_shape_mismatch"]


def test_no_note_without_a_warning() -> None:
    code = (
        "pred = torch.randn(4, 1, requires_grad=True)\n"
        "loss = nn.MSELoss()(pred, torch.randn(4, 1))\nloss.backward()\n"
        "y = pred * 2\ny.retain_grad()\n(y ** 2).sum().backward()\nprint(y.grad.shape)\n"
    )
    assert not _plain_warnings(code)
    assert evaluate(code).notes == []


def test_a_warning_no_hint_explains_is_dropped() -> None:
    code = "x = torch.ones(2)\nt = torch.tensor(x)\n"  # "To copy construct from a tensor..."
    assert _plain_warnings(code)
    assert evaluate(code).notes == []
