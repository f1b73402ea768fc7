"""The running ``for`` loops of a program (``app/language/loops.py``): their lengths read
without running program code, and the backward calls a training loop will make."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import torch
from torch.utils import data

from app.evaluate import evaluate
from app.language.loops import Loops
from app.language.values import ValueLimits
from app.limits import Limits


def _loops() -> tuple[Loops, list[int]]:
    calls = [0]
    return Loops(ValueLimits(Limits()), lambda: calls[0]), calls


def test_nested_loops_predict_the_calls_every_iteration_makes() -> None:
    """Epochs of batches, one call a batch: every prediction is the count; with one call more
    in each epoch (spread over its batches) the predictions come to it by the last one."""
    for extra, expected in ((0, [12] * 12), (1, [24, 18, 16, 15, 17, 16, 15, 15, 16, 16, 15, 15])):
        loops, calls = _loops()
        predictions = []
        for _ in loops.loop(range(3)):
            calls[0] += extra
            for _ in loops.loop([10, 20, 30, 40]):
                calls[0] += 1
                predictions.append(loops.predicted_calls())
        assert predictions == expected
        assert calls[0] == expected[-1]
        assert loops.frames == []


def test_a_loop_with_one_call_an_iteration_is_predicted_at_its_first_call() -> None:
    loops, calls = _loops()
    calls[0] = 7  # calls made before the loop are counted too
    seen = []
    for _ in loops.loop(range(50)):
        calls[0] += 1
        seen.append(loops.predicted_calls())
    assert seen == [57] * 50


@pytest.mark.parametrize(
    "iterable",
    [
        (n for n in range(5)),
        enumerate(range(5)),
        zip(range(5), range(5)),
        iter([1, 2, 3]),
    ],
    ids=["generator", "enumerate", "zip", "iterator"],
)
def test_an_iterable_whose_length_is_not_known_gives_no_prediction(iterable: Any) -> None:
    loops, calls = _loops()
    for _ in loops.loop(iterable):
        calls[0] += 1
        assert loops.predicted_calls() is None


def test_lengths_are_read_as_python_and_torch_report_them() -> None:
    loops, _ = _loops()
    loader = data.DataLoader(
        data.TensorDataset(torch.arange(23.0), torch.arange(23.0)), batch_size=5, shuffle=True
    )
    cases: list[Any] = [range(2, 9), [1, 2], (1,), {"a": 1}, "abc", torch.zeros(6, 2), loader]
    for iterable in cases:
        for _ in loops.loop(iterable):
            assert loops.frames[-1].length == len(list(iter(iterable)))
            break


def test_a_programs_own_dataset_is_never_asked_its_length() -> None:
    """A ``Dataset`` class of the program's would run program code for ``len()`` (at a moment
    the program does not expect): such a loader's length is unknown."""
    asked = []

    class Squares(data.Dataset[int]):
        def __len__(self) -> int:
            asked.append(1)
            return 4

        def __getitem__(self, i: int) -> int:
            return i * i

    loader = data.DataLoader(Squares(), batch_size=2)
    asked.clear()
    loops, _ = _loops()
    for _ in loops.loop(loader):
        assert loops.frames[-1].length is None
    assert loops.predicted_calls() is None
    assert len(asked) == 1  # the loader's own iteration, as plain PyTorch asks


def test_a_loop_left_by_break_or_an_error_ends_its_frame() -> None:
    loops, _ = _loops()
    for i in loops.loop(range(10)):
        if i == 3:
            break
    assert loops.frames == []
    with pytest.raises(ZeroDivisionError):
        for i in loops.loop(range(10)):
            1 / (i - 2)
    assert loops.frames == []


def test_a_loop_inside_a_generator_steps_with_its_consumer_and_has_no_frame() -> None:
    """d2l's ``data_iter`` loops over batch starts inside a generator: each step is the
    consumer's next batch, not an iteration nested in it. Only the consumer's loops count."""
    loops, calls = _loops()

    def batches() -> Iterator[int]:
        yield from loops.loop(range(4))

    seen = []
    for _ in loops.loop(range(3)):
        for _ in loops.loop(batches(), 7):  # (7: the statement's place)
            calls[0] += 1
            seen.append((len(loops.frames), loops.predicted_calls()))
    # The first epoch's batches have no known number; from the second on, the number the
    # first ran to its end with: 3 epochs of 4.
    assert [frames for frames, _ in seen] == [2] * 12
    assert [p for _, p in seen] == [None] * 4 + [12] * 8
    assert loops.frames == []


def test_loops_ended_out_of_order_give_no_prediction_until_all_are_gone() -> None:
    """An iterator closed before one begun after it (its frame waits, closed): no prediction
    meanwhile, and every frame goes; nests of more iterations than any program runs give
    none either (no overflow)."""
    loops, calls = _loops()
    first, second = loops.loop(range(5)), loops.loop(range(7))
    next(first)
    next(second)
    calls[0] = 1
    assert loops.predicted_calls() is not None
    first.close()
    assert loops.predicted_calls() is None and len(loops.frames) == 2
    second.close()
    assert loops.frames == []
    nested = [loops.loop(range(100)) for _ in range(200)]
    for iterator in nested:
        next(iterator)
    assert loops.predicted_calls() is None  # 100 ** 200 iterations
    for iterator in nested:
        iterator.close()
    assert loops.frames == []


def test_every_step_counts_against_the_loop_limit() -> None:
    code = "for c in 'abcdefghijklmnopqrst':\n    print(c)\n"
    record = evaluate(code, Limits(max_loop_iterations=10))
    assert record.error is not None and record.error.type == "LimitExceeded"
    assert record.stdout.split() == list("abcdefghij")
