"""One evaluation from source to record (app/evaluate.py): checked code reused, state fresh,
and what the program made freed before the answer or, on request, just after it."""

from __future__ import annotations

import traceback
from typing import Any

import pytest
import torch

from app.evaluate import _compiled, evaluate
from app.limits import Limits


def test_a_repeated_program_reuses_its_checked_code_but_runs_afresh() -> None:
    code = "x = torch.randn(3, requires_grad=True)\nprint(x.tolist())\ncount = [1]\ncount.append(2)\nprint(count)\n"
    first, second = evaluate(code), evaluate(code)
    assert _compiled.cache_info().hits >= 1
    assert first.ok and second.ok
    assert first.stdout != second.stdout  # new random numbers each run
    assert first.stdout.splitlines()[1] == second.stdout.splitlines()[1] == "[1, 2]"  # fresh state
    # the cache is keyed by the limits too, and refusals are never cached
    refused = evaluate(code, Limits(max_code_chars=10))
    assert refused.refused is not None and refused.refused.type == "CodeTooLong"
    assert evaluate("import os").refused is not None
    assert evaluate("import os").refused is not None


def test_freeing_the_program_can_wait_until_after_the_answer() -> None:
    """A worker answers first and frees the program's tensors after (``cleanups``)."""
    import gc
    import weakref

    def tensors_of_three() -> dict[int, Any]:
        return {
            id(o): o
            for o in gc.get_objects()
            if type(o) is torch.Tensor and o.requires_grad and list(o.shape) == [3]
        }

    before = tensors_of_three()  # other tests' tensors, alive for their own reasons
    code = "x = torch.ones(3, requires_grad=True)\ny = (x * 2).sum()\ny.backward()\n"
    cleanups: list[Any] = []
    record = evaluate(code, cleanups=cleanups)
    assert record.ok and record.graph is not None and len(cleanups) == 1
    alive = [weakref.ref(t) for i, t in tensors_of_three().items() if i not in before]
    del before
    assert alive  # x is still held: nothing was freed yet
    cleanups[0]()
    gc.collect()
    assert all(ref() is None for ref in alive)
    assert evaluate(code).ok  # and the next program runs as usual


# Each raises where plain Python's traceback points at an expression that starts mid-line.
_RAISING_LINES = [
    "x = torch.ones(2)\ny = x.cuda(0)\n",
    "x = torch.ones(2, 3)\ny = torch.ones(4)\nz = 1 + (x @ y)\n",
    "x = torch.ones(2, requires_grad=True)\nprint('a', (x * 2).backward())\n",
    "for i in range(2):\n    w = torch.ones(2, requires_grad=True)\n    w += 1\n",
    "def f(t):\n    return t.view(5)\n\nx = f(torch.ones(3))\n",
    "class M(nn.Module):\n    def forward(self, x):\n        return x.reshape(7)\n\ny = M()(torch.ones(2))\n",
    "d = {'a': 1}\nprint(d['a'], d['b'])\n",
]


@pytest.mark.parametrize("code", _RAISING_LINES)
def test_an_error_has_the_line_and_column_plain_python_gives(code: str) -> None:
    """The column is where Python's own traceback (3.11: ``colno``) starts the expression
    that raised in the program's innermost frame, counted from 1 as a refusal's is."""
    namespace: dict[str, Any] = {"torch": torch, "nn": torch.nn}
    try:
        exec(compile(code, "<plain>", "exec"), namespace)  # noqa: S102 - plain Python, the reference
    except Exception as error:  # noqa: BLE001 - any error the program raises
        frame = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == "<plain>"][
            -1
        ]
        expected = (type(error).__name__, frame.lineno, frame.colno + 1)  # type: ignore[operator]
    else:
        raise AssertionError("the program was meant to raise")
    record = evaluate(code)
    assert record.error is not None
    assert (record.error.type, record.error.line, record.error.col) == expected
