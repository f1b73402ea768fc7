"""torch's record (app/language/allowlist/torch.py): its reset puts back every global switch a
program may move, fast, since it runs after every program."""

from __future__ import annotations

import timeit

import torch
from torch.overrides import _get_current_function_mode_stack

from app.language.allowlist.torch import TORCH


def _modes() -> list[object]:
    modes: list[object] = _get_current_function_mode_stack()  # type: ignore[no-untyped-call]
    return modes


def test_reset_drops_the_default_device_even_the_cpu() -> None:
    """``set_default_device('cpu')`` pushes a mode as any other device does."""
    for device in ("cpu", "meta"):
        torch.set_default_device(device)
        assert _modes() != []
        TORCH.reset()
        assert _modes() == []
        assert torch.ones(1).device == torch.device("cpu")


def test_reset_puts_back_dtype_grad_mode_and_print_options() -> None:
    plain = repr(torch.tensor([1.23456789]))
    torch.set_default_dtype(torch.float64)
    torch.set_grad_enabled(False)
    torch.set_printoptions(precision=8, linewidth=20)  # type: ignore[no-untyped-call]
    TORCH.reset()
    assert torch.get_default_dtype() == torch.float32 and torch.is_grad_enabled()
    assert repr(torch.tensor([1.23456789])) == plain


def test_reset_is_fast_when_nothing_moved() -> None:
    TORCH.reset()
    runs = 2_000
    per_call = min(timeit.repeat(TORCH.reset, number=runs, repeat=3)) / runs
    assert per_call < 20e-6, f"{per_call * 1e6:.1f} us"


def test_every_empty_factory_a_program_may_call_gives_zeros() -> None:
    """A torch name a program may call that makes a tensor without filling it (``empty``,
    ``empty_like``, ``new_empty``...) is in ``UNINITIALISED``, which the torch mode fills with
    zeros; and the calls that reach raw memory are on no record."""
    from app.language.allowlist.nn import NN
    from app.language.allowlist.torch import TENSOR_READ, UNINITIALISED

    modules = [*TORCH.modules, *NN.modules]
    callable_names = TENSOR_READ.union(*(rule.names for rule in modules))
    # torch.cuda.empty_cache frees a GPU's cached memory (none here): it makes no tensor.
    assert {name for name in callable_names if "empty" in name} - {"empty_cache"} <= UNINITIALISED
    raw = {"resize_", "resize_as_", "set_", "new", "untyped_storage", "storage", "as_strided"}
    assert not raw & TENSOR_READ
    assert not raw & callable_names
