"""The NameError hint (app/hints/names.py, with the names app/language/scope_names.py finds):
each suggestion is a name the sandbox really accepts there. The proof is to run the program
again with the suggestion in place of the typo, in the sandbox and in plain Python: neither
raises NameError any more."""

from __future__ import annotations

import re

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from app.evaluate import evaluate
from app.hints.names import name_hint, near_names

# (program with one misspelt name, the misspelt name, the name it should suggest first)
TYPOS: list[tuple[str, str, str]] = [
    ("x = toch.ones(3)\n", "toch", "torch"),
    ("x = Torch.ones(3)\n", "Torch", "torch"),
    ("lr = 0.1\nw = torch.ones(2)\nw2 = w * lrr\n", "lrr", "lr"),
    ("def f(alpha):\n    return alpah * 2\n\nf(1.0)\n", "alpah", "alpha"),
    ("print(lenn([1, 2]))\n", "lenn", "len"),
    ("for i in rnage(3):\n    print(i)\n", "rnage", "range"),
    (
        "model = nn.Linear(2, 1)\nout = modle(torch.ones(2))\nout.sum().backward()\n",
        "modle",
        "model",
    ),
    ("class Net(nn.Module):\n    pass\n\nnet = Nett()\n", "Nett", "Net"),
    (
        "x = torch.ones(2, requires_grad=True)\nloss = (x * 2).sum()\nlos.backward()\n",
        "los",
        "loss",
    ),
]


def _fixed(program: str, typo: str, name: str) -> str:
    return re.sub(rf"\b{re.escape(typo)}\b", name, program)


def _plain_python(program: str) -> None:
    exec(program, {"torch": torch, "nn": nn, "F": F, "__name__": "__main__"})  # noqa: S102


@pytest.mark.parametrize(("program", "typo", "expected"), TYPOS, ids=[t[1] for t in TYPOS])
def test_name_error_suggests_a_name_the_sandbox_accepts(
    program: str, typo: str, expected: str
) -> None:
    error = evaluate(program).error
    assert error is not None and error.type == "NameError"
    assert error.hint is not None and error.hint["key"] == "name_did_you_mean"
    suggested = re.findall(r"`([^`]+)`", error.hint["en"])[1:]  # the first is the typo itself
    assert suggested and suggested[0] == expected
    assert f"`{expected}`" in error.hint["zh"]
    for name in suggested:
        fixed = _fixed(program, typo, name)
        again = evaluate(fixed)
        assert again.refused is None
        assert again.error is None or again.error.type != "NameError", again.error
    _plain_python(_fixed(program, typo, suggested[0]))  # and plain Python agrees


def test_unavailable_builtin_is_never_suggested() -> None:
    """`open` is in the runtime's builtins only to say that it is unavailable: `opne` is not
    told to become it."""
    error = evaluate("f = opne('data.txt')\n").error
    assert error is not None and error.type == "NameError"
    assert error.hint is not None
    assert "open" not in error.hint["en"].replace("`opne`", "")
    assert error.hint["key"] == "name_undefined"


def test_runtime_helpers_are_never_suggested() -> None:
    """The rewrite's helpers (`_ag_bind`...) live in the program's globals: never offered."""
    error = evaluate("ag_bind(1)\n").error
    assert error is not None and error.hint is not None
    assert "_ag_" not in error.hint["en"]


def test_far_name_gets_the_plain_hint_in_both_languages() -> None:
    error = evaluate("x = torch.ones(2)\ny = qqqzzz + x\n").error
    assert error is not None and error.hint is not None
    assert error.hint["key"] == "name_undefined"
    assert "`qqqzzz`" in error.hint["en"] and "`qqqzzz`" in error.hint["zh"]
    assert error.line == 2


def test_near_names_leaves_out_the_name_itself_and_underscores() -> None:
    assert near_names("toch", ["toch", "_torch", "torch"]) == ["torch"]
    assert near_names("x", ["y", "xx"]) == []


def test_name_hint_lists_several_in_both_languages() -> None:
    hint = name_hint("lossx", ["loss1", "loss2", "weight"])
    assert hint.key == "name_did_you_mean"
    assert sorted(re.findall(r"`(loss\d)`", hint.en)) == ["loss1", "loss2"]
    assert " or " in hint.en and " 或 " in hint.zh
    assert "weight" not in hint.en


def test_another_programs_names_are_never_suggested() -> None:
    """The candidates are this run's: a name an earlier program made in the same process is
    not offered (nor revealed) to the next one."""
    assert evaluate("secret_value = torch.ones(1) * 42\n").error is None
    error = evaluate("print(secret_valu)\n").error
    assert error is not None and error.hint is not None
    assert error.hint["key"] == "name_undefined"
    assert "secret_value" not in error.hint["en"] + error.hint["zh"]


def test_a_name_error_the_program_raises_with_an_object_gets_no_name_hint() -> None:
    """`raise NameError(name=...)` with something that is not text: no hint is made from it
    (nothing of the program's runs after it ended; a subclass of str is refused anyway)."""
    record = evaluate("raise NameError('no', name=[1, 2])\n")
    assert record.error is not None and record.error.type == "NameError"
    assert record.error.hint is None
