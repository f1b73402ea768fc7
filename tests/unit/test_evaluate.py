"""One evaluation from source to record (app/evaluate.py): checked code reused, state fresh,
and what the program made freed before the answer or, on request, just after it."""

from __future__ import annotations

from typing import Any

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
