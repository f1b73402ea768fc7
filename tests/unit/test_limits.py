"""One test per limit of app/limits.py, each with the exact record ``evaluate`` returns.

Small limits keep every test fast; the mechanism is the same at the defaults.
"""

from __future__ import annotations

from typing import Any

import torch

from app.evaluate import evaluate
from app.hints import sandbox
from app.limits import Limits
from app.record import EvalRecord


def _fields(record: EvalRecord) -> dict[str, Any]:
    """The record without timing and graph (checked separately where they matter)."""
    fields = record.to_dict()
    del fields["elapsed_ms"], fields["graph"]
    del fields["worker_rss_mb"], fields["crashed"], fields["queue_ms"]  # set by worker and pool
    assert fields.pop("notes") == []  # none of these programs plots
    return fields


def _limit_record(
    limit: str, message: str, line: int, col: int | None = None, **overrides: Any
) -> dict[str, Any]:
    """The record of a program stopped by ``limit`` at ``line``, ``col`` (where the expression
    that went over it starts)."""
    return {
        "ok": False,
        "refused": None,
        "error": {
            "type": "LimitExceeded",
            "message": message,
            "line": line,
            "col": col,
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
        "loop_iterations",
        "program ran more than 10 loop iterations and function calls in total",
        3,
        col=7,
    )


def test_function_calls_count_as_iterations() -> None:
    source = (
        "def f(i):\n    return i\n\ntotal = sum(map(f, range(8)))\ntotal = sum(map(f, range(8)))\n"
    )
    assert _stopped(source, Limits(max_loop_iterations=10)) == _limit_record(
        "loop_iterations",
        "program ran more than 10 loop iterations and function calls in total",
        5,
        col=9,
    )


def test_range_length_limit() -> None:
    assert _stopped("r = range(11)\n", Limits(max_loop_iterations=10)) == _limit_record(
        "loop_iterations", "range of 11 numbers is over the limit of 10", 1, col=5
    )


def test_sequence_length_limit() -> None:
    assert _stopped("l = [0] * 3\nm = l * 50\n", Limits(max_sequence_length=100)) == _limit_record(
        "sequence_length", "a list or string of 150 items is over the limit of 100", 2, col=5
    )


def test_text_length_limit() -> None:
    source = "l = [[0] * 100] * 100\nprint('ok')\ns = str(l)\n"
    assert _stopped(source, Limits(max_sequence_length=100)) == _limit_record(
        "sequence_length",
        "the text of this value would be over 1000 characters long",
        3,
        stdout="ok\n",
        col=5,
    )


def test_int_size_limit() -> None:
    assert _stopped("x = 2 ** 100\ny = x ** 50\n", Limits(max_int_bits=1000)) == _limit_record(
        "int_size", "an integer of about 5050 bits is over the limit of 1000", 2, col=5
    )


def test_call_depth_limit() -> None:
    source = "def f(n):\n    return f(n + 1)\n\nf(0)\n"
    assert _stopped(source, Limits(max_call_depth=5)) == _limit_record(
        "call_depth", "calls nested more than 5 deep", 2, col=12
    )


def test_tensor_elements_limit() -> None:
    # A trillion elements: this can only pass if the size is checked before allocation.
    source = "a = torch.ones(10)\nb = torch.ones(1000000, 1000000)\n"
    assert _stopped(source, Limits(max_tensor_elements=100)) == _limit_record(
        "tensor_elements",
        "ones would make a tensor of 1,000,000,000,000 elements; the limit is 100",
        2,
        col=5,
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
        col=16,
    )


def test_live_elements_limit() -> None:
    """What a program holds at once is limited: twenty tensors kept in a list stop it..."""
    source = "ts = []\nfor i in range(20):\n    ts.append(torch.ones(10))\n"
    assert _stopped(source, Limits(max_live_elements=100)) == _limit_record(
        "live_elements",
        "program holds tensors of 110 elements at once; the limit is 100",
        3,
        col=15,
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


def test_backward_passes_limit_keeps_the_first_and_the_newest() -> None:
    """25 backward passes: the graph shows the first and the last 19 (the answer's newest
    state), numbered 0-19 in the order they ran, each with what plain PyTorch left in
    ``x.grad`` after it."""
    source = (
        "x = torch.ones(1, requires_grad=True)\nfor i in range(25):\n    (x * i).sum().backward()\n"
    )
    record = evaluate(source)
    x = torch.ones(1, requires_grad=True)
    after_each: list[list[float]] = []
    for i in range(25):
        (x * i).sum().backward()
        assert x.grad is not None
        after_each.append(x.grad.tolist())
    assert _fields(record) == {
        "ok": True,
        "refused": None,
        "error": None,
        "stdout": "",
        "stdout_truncated": False,
        "truncated": False,
        "timed_out": False,
        "deterministic": True,
    }
    assert record.graph is not None
    shown = [
        (p["index"], p["kind"], p["line"], [s["grad"]["data"] for s in p["steps"] if s["grad"]])
        for p in record.graph["backward"]
    ]
    kept = [0, *range(6, 25)]
    assert shown == [(i, "backward", 3, [after_each[kept[i]]]) for i in range(20)]
    assert [p["call"] for p in record.graph["backward"]] == kept


def test_preview_elements_limit() -> None:
    """A tensor of up to 100 elements shows its numbers; a larger one only its text, which is
    what PyTorch prints for it."""
    source = "a = torch.arange(100.)\nb = torch.arange(101.)\nc = torch.arange(150.)\n"
    record = evaluate(source)
    assert record.ok and record.graph is not None
    values = {node["name"]: node["value"] for node in record.graph["nodes"]}
    assert values == {
        "a": {
            "text": repr(torch.arange(100.0)),
            "data": [float(i) for i in range(100)],
            "shape": [100],
            "dtype": "float32",
        },
        "b": {"text": repr(torch.arange(101.0)), "data": None, "shape": [101], "dtype": "float32"},
        "c": {"text": repr(torch.arange(150.0)), "data": None, "shape": [150], "dtype": "float32"},
    }
