"""One test per language-level limit, each with the exact record ``evaluate`` returns.

Small limits keep every test fast; the mechanism is the same at the defaults.
"""

from __future__ import annotations

from typing import Any

import pytest
import torch

from app.evaluate import evaluate
from app.hints import sandbox
from app.language.result_size import result_numel
from app.limits import Limits
from app.record import EvalRecord


def _fields(record: EvalRecord) -> dict[str, Any]:
    """The record without timing and graph (checked separately where they matter)."""
    fields = record.to_dict()
    del fields["elapsed_ms"], fields["graph"]
    del fields["worker_rss_mb"], fields["crashed"], fields["queue_ms"]  # set by worker and pool
    assert fields.pop("notes") == []  # none of these programs plots
    return fields


def _limit_record(limit: str, message: str, line: int, **overrides: Any) -> dict[str, Any]:
    """The record of a program stopped by ``limit`` at ``line``."""
    return {
        "ok": False,
        "refused": None,
        "error": {
            "type": "LimitExceeded",
            "message": message,
            "line": line,
            "col": None,
            "hint": limit,
        },
        "stdout": "",
        "stdout_truncated": False,
        "truncated": False,
        "timed_out": False,
        "deterministic": True,
        **overrides,
    }


def _stopped(source: str, limits: Limits) -> dict[str, Any]:
    fields = _fields(evaluate(source, limits))
    hint = fields["error"]["hint"]
    assert hint["en"] and hint["zh"]
    fields["error"]["hint"] = hint["key"].removeprefix("limit_")
    return fields


def _refused(source: str, limits: Limits) -> dict[str, Any]:
    fields = _fields(evaluate(source, limits))
    assert fields.pop("ok") is False
    assert fields["error"] is None and fields["stdout"] == ""
    refused: dict[str, Any] = fields["refused"]
    return refused


def test_loop_iterations_limit() -> None:
    source = "for i in range(5):\n    x = i\nwhile True:\n    pass\n"
    assert _stopped(source, Limits(max_loop_iterations=10)) == _limit_record(
        "loop_iterations", "program ran more than 10 loop iterations and function calls in total", 3
    )


def test_function_calls_count_as_iterations() -> None:
    source = (
        "def f(i):\n    return i\n\ntotal = sum(map(f, range(8)))\ntotal = sum(map(f, range(8)))\n"
    )
    assert _stopped(source, Limits(max_loop_iterations=10)) == _limit_record(
        "loop_iterations", "program ran more than 10 loop iterations and function calls in total", 5
    )


def test_range_length_limit() -> None:
    assert _stopped("r = range(11)\n", Limits(max_loop_iterations=10)) == _limit_record(
        "loop_iterations", "range of 11 numbers is over the limit of 10", 1
    )


def test_sequence_length_limit() -> None:
    assert _stopped("l = [0] * 3\nm = l * 50\n", Limits(max_sequence_length=100)) == _limit_record(
        "sequence_length", "a list or string of 150 items is over the limit of 100", 2
    )


def test_text_length_limit() -> None:
    source = "l = [[0] * 100] * 100\nprint('ok')\ns = str(l)\n"
    assert _stopped(source, Limits(max_sequence_length=100)) == _limit_record(
        "sequence_length",
        "the text of this value would be over 1000 characters long",
        3,
        stdout="ok\n",
    )


def test_int_size_limit() -> None:
    assert _stopped("x = 2 ** 100\ny = x ** 50\n", Limits(max_int_bits=1000)) == _limit_record(
        "int_size", "an integer of about 5050 bits is over the limit of 1000", 2
    )


def test_call_depth_limit() -> None:
    source = "def f(n):\n    return f(n + 1)\n\nf(0)\n"
    assert _stopped(source, Limits(max_call_depth=5)) == _limit_record(
        "call_depth", "calls nested more than 5 deep", 2
    )


def test_tensor_elements_limit() -> None:
    # A trillion elements: this can only pass if the size is checked before allocation.
    source = "a = torch.ones(10)\nb = torch.ones(1000000, 1000000)\n"
    assert _stopped(source, Limits(max_tensor_elements=100)) == _limit_record(
        "tensor_elements",
        "ones would make a tensor of 1,000,000,000,000 elements; the limit is 100",
        2,
    )


def test_tensor_elements_limit_inside_a_hook() -> None:
    source = (
        "x = torch.ones(3, requires_grad=True)\n"
        "def hook(g):\n    return g + torch.ones(1000000, 1000000).sum()\n"
        "x.register_hook(hook)\nx.sum().backward()\n"
    )
    assert _stopped(source, Limits(max_tensor_elements=100)) == _limit_record(
        "tensor_elements",
        "ones would make a tensor of 1,000,000,000,000 elements; the limit is 100",
        3,
    )


def test_live_elements_limit() -> None:
    """What a program holds at once is limited: twenty tensors kept in a list stop it..."""
    source = "ts = []\nfor i in range(20):\n    ts.append(torch.ones(10))\n"
    assert _stopped(source, Limits(max_live_elements=100)) == _limit_record(
        "live_elements", "program holds tensors of 110 elements at once; the limit is 100", 3
    )


def test_elements_freed_along_the_way_are_not_held() -> None:
    """...while the same twenty tensors made and dropped one after the other do not (a long
    training loop makes far more than it ever holds)."""
    source = "for i in range(20):\n    t = torch.ones(10) * 2\n"
    record = evaluate(source, Limits(max_live_elements=100))
    assert record.error is None, record.error


def test_numpy_arrays_count_as_held_elements() -> None:
    source = "import numpy as np\nxs = [np.ones(10) for i in range(20)]\n"
    assert _stopped(source, Limits(max_live_elements=100))["error"]["type"] == "LimitExceeded"


def test_stdout_truncated() -> None:
    record = evaluate("for i in range(10):\n    print('abcdefghij')\n", Limits(max_stdout_chars=25))
    assert _fields(record) == {
        "ok": True,
        "refused": None,
        "error": None,
        "stdout": "abcdefghij\nabcdefghij\nabc",
        "stdout_truncated": True,
        "truncated": False,
        "timed_out": False,
        "deterministic": True,
    }


def test_graph_nodes_truncated() -> None:
    source = "x = torch.ones(1, requires_grad=True)\ny = x\nfor i in range(50):\n    y = y * 2\ny.backward()\n"
    record = evaluate(source, Limits(max_graph_nodes=10))
    assert _fields(record) == {
        "ok": True,
        "refused": None,
        "error": None,
        "stdout": "",
        "stdout_truncated": False,
        "truncated": True,
        "timed_out": False,
        "deterministic": True,
    }
    assert record.graph is not None
    assert record.graph["truncated"] is True
    assert len(record.graph["nodes"]) == 10


# What a student whose program is too big is told to do (in English and Chinese).
TOO_BIG = sandbox.TOO_BIG.to_dict()


def test_code_length_limit() -> None:
    assert _refused("x = 1\n" * 20, Limits(max_code_chars=100)) == {
        "type": "CodeTooLong",
        "message": "program is 120 characters long; the limit is 100",
        "line": None,
        "col": None,
        "hint": TOO_BIG,
    }


def test_syntax_nodes_limit() -> None:
    assert _refused("x = 1\n" * 20, Limits(max_ast_nodes=50)) == {
        "type": "ProgramTooLarge",
        "message": "program has more than 50 syntax nodes",
        "line": None,
        "col": None,
        "hint": TOO_BIG,
    }


def test_nesting_depth_limit() -> None:
    assert _refused("x = 1\ny = " + "-" * 20 + "1\n", Limits(max_ast_depth=10)) == {
        "type": "ProgramTooComplex",
        "message": "expression nested more than 10 levels deep",
        "line": 2,
        "col": 14,
        "hint": TOO_BIG,
    }


# --- the size a call will make, worked out before it runs, equals what PyTorch then makes ----------
_X = torch.ones(3, 4)
_IDX = torch.tensor([0, 2, 2, 1, 0])
SIZED_CALLS: list[tuple[str, Any, tuple[Any, ...], dict[str, Any]]] = [
    ("zeros", torch.zeros, (3, 4), {}),
    ("ones", torch.ones, ((2, 5),), {"dtype": torch.float64}),
    ("empty", torch.empty, (), {"size": (7,)}),
    ("full", torch.full, ((2, 3), 1.5), {}),
    ("rand", torch.rand, (torch.Size([2, 2]),), {}),
    ("randn", torch.randn, (torch.tensor(3), 2), {}),
    ("randint", torch.randint, (0, 10, (4, 4)), {}),
    ("randperm", torch.randperm, (9,), {}),
    ("arange", torch.arange, (0.0, 1.0, 0.125), {}),
    ("arange", torch.arange, (torch.tensor(6),), {}),
    ("arange", torch.arange, (), {"start": 2, "end": 9}),
    ("linspace", torch.linspace, (0, 1), {"steps": 11}),
    ("eye", torch.eye, (3, 5), {}),
    ("new_zeros", torch.Tensor.new_zeros, (_X, (2, 6)), {}),
    ("new_full", torch.Tensor.new_full, (_X, (5,), 2.0), {}),
    ("tensor", torch.tensor, ([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]],), {}),
    ("cat", torch.cat, ([_X, _X, _X],), {"dim": 1}),
    ("stack", torch.stack, ([_X, _X],), {}),
    ("matmul", torch.matmul, (_X.T, _X), {}),
    ("repeat", torch.Tensor.repeat, (_X, 2, 3), {}),
    ("expand", torch.Tensor.expand, (torch.ones(4, 1), 4, 6), {}),
    ("__getitem__", torch.Tensor.__getitem__, (_X, _IDX.clamp(max=2)), {}),
    ("index_select", torch.index_select, (_X, 1, _IDX.clamp(max=3)), {}),
    ("repeat_interleave", torch.repeat_interleave, (_X, torch.tensor([1, 0, 3])), {"dim": 0}),
    ("repeat_interleave", torch.repeat_interleave, (torch.tensor([2, 3]),), {}),
    ("one_hot", torch.nn.functional.one_hot, (_IDX,), {}),
    ("one_hot", torch.nn.functional.one_hot, (_IDX, 7), {}),
    (
        "adaptive_avg_pool2d",
        torch.nn.functional.adaptive_avg_pool2d,
        (torch.ones(1, 1, 2, 2), 5),
        {},
    ),
    ("add", torch.add, (), {"input": torch.ones(3, 1), "other": torch.ones(1, 4)}),
]


@pytest.mark.parametrize(
    ("name", "func", "args", "kwargs"),
    SIZED_CALLS,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(SIZED_CALLS)],
)
def test_size_known_before_the_call(
    name: str, func: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    predicted = result_numel(func, name, args, kwargs, cap=10**6)
    assert predicted == func(*args, **kwargs).numel()


def test_einsum_steps_sized_before_the_call() -> None:
    """Three or more operands are contracted in steps; the largest step is what counts."""
    a = torch.ones(150, 150)
    assert (
        result_numel(torch.einsum, "einsum", ("ij,kl,ij,kl->", a, a, a, a), {}, cap=10**6) == 150**4
    )
    assert (
        result_numel(torch.einsum, "einsum", ("ij,jk,kl->il", [a, a, a]), {}, cap=10**6) == 150**2
    )
    record = evaluate("a = torch.ones(150, 150)\ns = torch.einsum('ij,kl,ij,kl->', a, a, a, a)\n")
    assert record.error is not None
    assert (
        record.error.message
        == "einsum would make a tensor of 506,250,000 elements; the limit is 1,000,000"
    )


def test_broadcast_numel_agrees_with_torch_broadcast_shapes() -> None:
    import math
    import random

    from app.language.result_size import broadcast_numel

    rng = random.Random(5)
    for _ in range(3000):
        shapes = [
            tuple(rng.choice([0, 1, 1, 2, 3, 4]) for _ in range(rng.randint(0, 4)))
            for _ in range(rng.randint(2, 4))
        ]
        try:
            expected: int | None = math.prod(torch.broadcast_shapes(*shapes))
        except RuntimeError:
            expected = None
        assert broadcast_numel(shapes) == expected, shapes
