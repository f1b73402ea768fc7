"""The classes a program sees in place of list, tuple, set, str and torch.Tensor
(app/language/stand_ins.py)."""

from __future__ import annotations

import pytest
from torch import nn

from app.evaluate import evaluate
from app.language.runtime import Runtime


def test_stand_in_types_behave_like_the_builtins(rt: Runtime) -> None:
    builtins = rt.namespace()["__builtins__"]
    list_, str_, tuple_ = builtins["list"], builtins["str"], builtins["tuple"]
    assert isinstance([1], list_) and isinstance("a", str_) and not isinstance((), list_)
    assert issubclass(bool, builtins["int"])
    assert list_("ab") == ["a", "b"] and str_(12) == "12" and tuple_([1]) == (1,)
    assert repr(list_) == "<class 'list'>"
    assert list_[int] == list[int]
    with pytest.raises(TypeError):
        type("Sub", (nn.Module, list_), {})


@pytest.mark.parametrize("target", ["list", "tuple", "set", "str", "torch.Tensor"])
def test_shared_stand_in_classes_cannot_be_changed_by_a_program(target: str) -> None:
    """The stand-ins of list, tuple, set, str and torch.Tensor live as long as the worker,
    so no program may write to them (nothing may carry over to the next program)."""
    for attribute in ("real", "guard", "extra"):
        record = evaluate(f"{target}.{attribute} = 1\n")
        assert record.error is not None and record.error.type == "SandboxViolation", attribute
    assert evaluate("x = list((1, 2))\ny = str(3)\nz = tuple([1])\n").ok
