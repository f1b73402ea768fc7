"""The program's functions, classes and generators, kept under the limits
(app/language/definitions.py)."""

from __future__ import annotations

from typing import Any

import pytest
import torch
from torch import nn

from app.language.errors import LimitExceeded, SandboxViolation
from app.language.runtime import Runtime
from app.limits import Limits


def _limit(call: Any, *args: Any) -> str:
    with pytest.raises(LimitExceeded) as caught:
        call(*args)
    return caught.value.limit


# --- the program's classes ------------------------------------------------------------------------
def test_user_class_may_not_redefine_module_methods(rt: Runtime) -> None:
    class Sneaky(nn.Module):
        def named_parameters(self, *args: Any, **kwargs: Any) -> Any:
            return iter(())

    with pytest.raises(SandboxViolation, match="named_parameters"):
        rt.definitions.user_class(Sneaky)

    class Fine(nn.Linear):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return x

        def reset_parameters(self) -> None:
            """Redefining this one is allowed (it only initialises weights)."""

    assert rt.definitions.user_class(Fine) is Fine


def test_user_class_may_not_shadow_underscore_methods_of_its_base(rt: Runtime) -> None:
    class Hooked(nn.Module):
        def _call_impl(self, *args: Any) -> Any:
            return None

    with pytest.raises(SandboxViolation, match="_call_impl"):
        rt.definitions.user_class(Hooked)


def test_what_a_bases_metaclass_sets_is_not_the_programs_definition(rt: Runtime) -> None:
    """Function's metaclass gives every subclass ``_backward_cls`` (its node class), which
    the base also has: the class is accepted, and the program cannot choose that value."""

    class Double(torch.autograd.Function):
        _backward_cls = print

        @staticmethod
        def forward(ctx: Any, x: torch.Tensor) -> torch.Tensor:
            return x * 2

        @staticmethod
        def backward(ctx: Any, grad: torch.Tensor) -> torch.Tensor:
            return grad * 2

    assert rt.definitions.user_class(Double) is Double
    assert Double._backward_cls is not print


def test_user_class_builds_on_allowed_bases_only(rt: Runtime) -> None:
    class Plain:
        def __add__(self, other: Any) -> Any:
            return self

    assert rt.definitions.user_class(Plain) is Plain
    for base in (dict, Exception, torch.Tensor, torch.optim.SGD):

        class Sub(base):  # type: ignore[valid-type,misc]
            pass

        with pytest.raises(SandboxViolation, match="may build on"):
            rt.definitions.user_class(Sub)

    class Called(nn.Module):
        def __call__(self, x: Any) -> Any:
            return x

    with pytest.raises(SandboxViolation, match="__call__"):
        rt.definitions.user_class(Called)


# --- the program's functions ----------------------------------------------------------------------
def test_functions_count_calls_and_depth() -> None:
    rt = Runtime(Limits(max_loop_iterations=5, max_call_depth=3))
    identity = rt.definitions.function(lambda v: v)
    for _ in range(5):
        identity(1)
    assert _limit(identity, 1) == "loop_iterations"

    rt = Runtime(Limits(max_call_depth=3))

    def down(n: int) -> int:
        return wrapped(n + 1)

    wrapped = rt.definitions.function(down)
    assert _limit(wrapped, 0) == "call_depth"


# --- program code that torch runs from inside a torch call keeps the size limits ---------------------
def test_functions_and_generators_run_under_the_limits_inside_torch_calls() -> None:
    from torch.overrides import _pop_mode_temporarily

    from app.language.torch_mode import ProgramMode

    rt = Runtime(Limits())
    with ProgramMode(Limits()):
        make = rt.definitions.function(lambda: torch.ones(100_000, 100_000))
        lazy = rt.definitions.lazy(torch.ones(100_000, 100_000) for _ in range(1))
        with _pop_mode_temporarily():  # as inside ProgramMode.__torch_function__
            with pytest.raises(LimitExceeded):
                make()
            with pytest.raises(LimitExceeded):
                next(lazy)
