"""The runtime's wiring (app/language/runtime.py): the guards of torch names it supplies, and
the teaching constructs running end to end."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from app.evaluate import evaluate
from app.language.errors import LimitExceeded, SandboxViolation
from app.language.parse import HELPER_PREFIX
from app.language.runtime import Runtime
from app.limits import Limits
from tests.unit.programs import TEACHING


def test_numpy_of_tensor_that_requires_grad_gives_pytorch_error(rt: Runtime) -> None:
    numpy = rt.attributes.getattr(torch.ones(1, requires_grad=True), "numpy")
    with pytest.raises(RuntimeError, match="requires grad"):
        numpy()


def test_numpy_of_a_tensor_shares_its_memory_and_is_sized(rt: Runtime) -> None:
    tensor = torch.zeros(3)
    array = rt.attributes.getattr(tensor, "numpy")()
    array[0] = 5.0
    assert tensor[0] == 5.0 and repr(array) == "array([5., 0., 0.], dtype=float32)"
    with pytest.raises(LimitExceeded):
        array.reshape(3, 1) + array.reshape(1, 3).repeat(1_000_000, axis=0)


def test_legacy_tensor_constructor_gives_zeros(rt: Runtime) -> None:
    """``torch.Tensor(n)`` is uninitialised in PyTorch; here it never holds freed values."""
    from app.language.torch_mode import ProgramMode

    for _ in range(3):
        secret = torch.full((3000,), 1234.5)
        del secret
    with ProgramMode(Limits()):
        made = [rt.legacy_tensor(3000), rt.guard("legacy_DoubleTensor")(30, 100)]
    assert [(t.shape, t.dtype, bool(t.any())) for t in made] == [
        (torch.Size([3000]), torch.float32, False),
        (torch.Size([30, 100]), torch.float64, False),
    ]


def test_legacy_tensor_constructor_goes_through_the_limits(rt: Runtime) -> None:
    from app.language.torch_mode import ProgramMode

    with ProgramMode(Limits()):
        assert rt.legacy_tensor(2, 3).shape == (2, 3)
        assert rt.legacy_tensor([1, 2]).dtype == torch.get_default_dtype()
        with pytest.raises(LimitExceeded):
            rt.legacy_tensor(100_000, 100_000)
        with pytest.raises(LimitExceeded):
            rt.legacy_tensor(torch.Size([100_000, 100_000]))
    with pytest.raises(TypeError):
        rt.legacy_tensor(3, torch.tensor(10**9))


def test_context_managers(rt: Runtime) -> None:
    assert isinstance(rt.context(torch.no_grad()), torch.no_grad)
    for manager in (
        open,
        print,
        nn.Linear(1, 1),
        torch.autograd.graph.saved_tensors_hooks(print, print),
    ):
        with pytest.raises(SandboxViolation):
            rt.context(manager)


# --- the teaching constructs run, not only pass the policy ---------------------------------------
@pytest.mark.parametrize("name", sorted(TEACHING))
def test_teaching_construct_runs(name: str) -> None:
    record = evaluate(TEACHING[name])
    assert record.refused is None and record.error is None, (record.refused, record.error)


# --- the namespace a program runs in ---------------------------------------------------------------
def test_namespace_is_fresh_and_pre_binds_the_notebook_names(rt: Runtime) -> None:
    first, second = rt.namespace(), rt.namespace()
    assert first is not second and first["__builtins__"] is not second["__builtins__"]
    assert first["__name__"] == "__main__"
    assert (first["torch"], first["nn"], first["F"], first["optim"]) == (
        torch,
        torch.nn,
        torch.nn.functional,
        torch.optim,
    )


def test_namespace_builtins_are_the_guards(rt: Runtime) -> None:
    builtins = rt.namespace()["__builtins__"]
    assert builtins["print"] == rt.output.print
    assert builtins["range"](3) == range(3) and isinstance(range(1), builtins["range"])
    assert builtins["getattr"] == rt.attributes.getattr
    assert builtins["len"] is len  # a plain builtin, as it is
    builtins["print"]("hi")
    assert rt.output.text == "hi\n"


@pytest.mark.parametrize("name", ["open", "eval", "exec", "globals", "dir"])
def test_unavailable_builtins_say_so(rt: Runtime, name: str) -> None:
    with pytest.raises(SandboxViolation, match=f"'{name}' is not available here"):
        rt.namespace()["__builtins__"][name]("x")


def test_helpers_are_named_so_no_program_can_reach_them(rt: Runtime) -> None:
    namespace = rt.namespace()
    helpers = {name for name in namespace if name.startswith(HELPER_PREFIX)}
    assert {f"{HELPER_PREFIX}getattr", f"{HELPER_PREFIX}iter", f"{HELPER_PREFIX}bind"} <= helpers
    assert namespace[f"{HELPER_PREFIX}getattr"] == rt.attributes.getattr
    assert namespace[f"{HELPER_PREFIX}context"] == rt.context


def test_bind_reports_each_name_and_value() -> None:
    bound: list[tuple[str, object]] = []
    rt = Runtime(Limits(), on_bind=lambda name, value: bound.append((name, value)))
    rt.bind(("a", "b"), (1, "two"))
    assert bound == [("a", 1), ("b", "two")]
