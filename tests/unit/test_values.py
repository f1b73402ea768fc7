"""Python values bounded before they are built, and the loop budget (app/language/values.py)."""

from __future__ import annotations

from typing import Any

import pytest
import torch
from torch import nn

from app.language.errors import LimitExceeded, SandboxViolation
from app.language.runtime import Runtime
from app.language.torch_mode import ProgramMode
from app.limits import Limits


# --- operators and builtins that grow values -------------------------------------------------------
def _limit(call: Any, *args: Any) -> str:
    with pytest.raises(LimitExceeded) as caught:
        call(*args)
    return caught.value.limit


def test_sequence_growth_refused(rt: Runtime) -> None:
    assert _limit(rt.values.mul, [0], 10**9) == "sequence_length"
    assert _limit(rt.values.mul, 10**9, "a") == "sequence_length"
    assert _limit(rt.values.mul, b"a", 10**9) == "sequence_length"
    assert _limit(rt.values.mul, nn.Sequential(nn.ReLU()), 10**9) == "sequence_length"
    assert _limit(rt.values.add, [0] * 60_000, [0] * 60_000) == "sequence_length"
    assert _limit(rt.values.inplace, "*=", [0], 10**9) == "sequence_length"
    assert _limit(rt.values.inplace, "+=", [0] * 60_000, [0] * 60_000) == "sequence_length"
    assert rt.values.mul([0], 3) == [0, 0, 0]
    assert rt.values.add("a", "b") == "ab"


def test_tensor_arithmetic_not_mistaken_for_sequences(rt: Runtime) -> None:
    assert rt.values.mul(torch.ones(3), 10**9).tolist() == [1e9] * 3
    assert rt.values.add(torch.ones(200_000), torch.ones(200_000)).shape == (200_000,)


def test_integer_growth_refused(rt: Runtime) -> None:
    assert _limit(rt.values.pow, 10, 10**10) == "int_size"
    assert _limit(rt.values.pow, -3, 10**5) == "int_size"
    assert _limit(rt.values.lshift, 1, 10**9) == "int_size"
    assert _limit(rt.values.mul, 2**4000, 2**4000) == "int_size"
    assert _limit(rt.values.inplace, "**=", 7, 10**6) == "int_size"
    assert _limit(rt.values.inplace, "<<=", 1, 10**6) == "int_size"
    assert rt.values.pow(2, 10) == 1024
    assert rt.values.pow(1, 10**100) == 1
    assert rt.values.pow(2.0, 0.5) == 2.0**0.5


# Operand pairs of '+', '*' and '**' the fast paths take (tensors, parameters, floats, and ints
# or bools beside them), and pairs beside them that must still be checked.
_NUMERIC_PAIRS: list[tuple[Any, Any]] = [
    (torch.tensor(1.5), torch.arange(4.0)),
    (torch.arange(4.0), 0.25),
    (0.25, torch.arange(4.0)),
    (nn.Parameter(torch.ones(2)), torch.ones(3, 1)),
    (torch.arange(4), 3),
    (True, torch.arange(3.0)),
    (2.5, 4),
    (3, 0.5),
    (1.5, 2.0),
]


@pytest.mark.parametrize("pair", _NUMERIC_PAIRS, ids=repr)
def test_tensor_and_float_arithmetic_gives_what_python_gives(
    rt: Runtime, pair: tuple[Any, Any]
) -> None:
    left, right = pair
    for guarded, plain in ((rt.values.add, left + right), (rt.values.mul, left * right)):
        made = guarded(left, right)
        assert type(made) is type(plain)
        assert torch.equal(made, plain) if isinstance(plain, torch.Tensor) else made == plain


def test_numbers_beside_the_fast_path_are_still_bounded(rt: Runtime) -> None:
    """A one-element integer tensor repeats a list (``__index__``); ints and bools grow."""
    assert _limit(rt.values.mul, [0], torch.tensor(10**8)) == "sequence_length"
    assert _limit(rt.values.mul, torch.tensor(10**8), "ab") == "sequence_length"
    assert _limit(rt.values.mul, True * 2**4000, 2**4000) == "int_size"
    assert _limit(rt.values.add, [0] * 60_000, [0.5] * 60_000) == "sequence_length"


def test_tensor_power_skips_pythons_torch_function_dispatch(
    rt: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``x ** 2`` reaches the torch mode once, from C, as ``pow``: not first through
    ``Tensor.__pow__``'s detour into Python's ``handle_torch_function`` (twice the time).
    The result and its gradient are plain PyTorch's."""
    detours: list[str] = []
    real = torch.overrides.handle_torch_function

    def counted(public_api: Any, *args: Any, **kwargs: Any) -> Any:
        detours.append(public_api.__name__)
        return real(public_api, *args, **kwargs)

    monkeypatch.setattr(torch.overrides, "handle_torch_function", counted)
    monkeypatch.setattr(torch._tensor, "handle_torch_function", counted)
    watcher = _Watcher()
    x, weight = torch.arange(1.0, 4.0, requires_grad=True), nn.Parameter(torch.ones(2))
    with ProgramMode(Limits(), watcher):
        squared = rt.values.pow(x, 2)
        halves = rt.values.pow(weight, 0.5)
    assert (detours, watcher.names) == ([], ["pow", "pow"])
    assert torch.equal(squared, x.detach() ** 2) and torch.equal(halves, torch.ones(2))
    squared.sum().backward()
    assert x.grad is not None and x.grad.tolist() == [2.0, 4.0, 6.0]


class _Watcher:
    """A call observer that notes the name of each call the torch mode sees."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def around(self, func: Any, name: str, args: Any, kwargs: Any) -> Any:
        self.names.append(name)
        return func(*args, **kwargs)


@pytest.mark.parametrize(
    "fmt", ["%0999999d", "%9999d", "%.9999f", "%*d", "%(a)0999999d", "%-+ 01000d", "%%%0999999d"]
)
def test_percent_format_width_refused(rt: Runtime, fmt: str) -> None:
    with pytest.raises(LimitExceeded):
        rt.values.mod(fmt, {"a": 1} if "(a)" in fmt else (1,))
    with pytest.raises(LimitExceeded):
        rt.values.mod(fmt.encode(), {b"a": 1} if "(a)" in fmt else (1,))


def test_percent_format_allowed(rt: Runtime) -> None:
    assert rt.values.mod("%5.2f|%-3d", (1.5, 2)) == " 1.50|2  "
    assert rt.values.mod("%(k)s=%(v)03d", {"k": "a", "v": 7}) == "a=007"
    assert rt.values.mod(7, 3) == 1
    assert rt.values.mod(torch.tensor([7.0]), 3).tolist() == [1.0]


def test_text_of_shared_sublists_refused(rt: Runtime) -> None:
    nested = [[0] * 100_000] * 100_000
    for call in (rt.values.checked_str, rt.values.checked_repr, rt.values.format, rt.output.print):
        assert _limit(call, nested) == "sequence_length"
    assert _limit(rt.values.mod, "%s", (nested,)) == "sequence_length"
    assert _limit(rt.attributes.getattr("", "join"), ["a" * 100_000] * 100_000) == "sequence_length"


def test_text_of_cyclic_list_allowed(rt: Runtime) -> None:
    cyclic: list[Any] = [1]
    cyclic.append(cyclic)
    assert rt.values.checked_str(cyclic) == "[1, [...]]"


def test_list_extend_bounded(rt: Runtime) -> None:
    items = [0] * 100_000
    assert _limit(rt.attributes.getattr(items, "extend"), items) == "sequence_length"
    short = [1]
    rt.attributes.getattr(short, "extend")(x for x in (2, 3))
    assert short == [1, 2, 3]


def test_range_bounded(rt: Runtime) -> None:
    assert _limit(rt.values.bounded_range, 10**9) == "loop_iterations"
    assert _limit(rt.values.bounded_range, 0, 10**6, 2) == "loop_iterations"
    assert list(rt.values.bounded_range(3)) == [0, 1, 2]


def test_consuming_builtins_count_iterations() -> None:
    rt = Runtime(Limits(max_loop_iterations=10))
    assert _limit(rt.values.counted_list, range(11)) == "loop_iterations"
    rt = Runtime(Limits(max_loop_iterations=10))
    assert (
        _limit(sum, rt.values.counted_iter(int, 1)) == "loop_iterations"
    )  # iter(f, sentinel) never ends
    rt = Runtime(Limits(max_loop_iterations=10))
    assert _limit(rt.values.checked_sum, [[0]] * 11, []) == "loop_iterations"


def test_sum_of_lists_bounded(rt: Runtime) -> None:
    assert _limit(rt.values.checked_sum, [[0] * 100_000] * 3, []) == "sequence_length"
    assert rt.values.checked_sum([[1], [2]], []) == [1, 2]
    assert rt.values.checked_sum([1, 2, 3]) == 6


# --- str.format ------------------------------------------------------------------------------------
def test_str_format_takes_plain_fields_only(rt: Runtime) -> None:
    fmt = rt.attributes.getattr("{} {:.2f} {name}", "format")
    assert fmt(1, 2.0, name="n") == "1 2.00 n"
    assert rt.attributes.getattr("{0}-{0}", "format")("a") == "a-a"
    for template in ("{0.__class__}", "{0[0]}", "{:{width}}"):
        with pytest.raises(SandboxViolation):
            rt.attributes.getattr(template, "format")([1], width=3)
    with pytest.raises(LimitExceeded):
        rt.attributes.getattr("{:99999999}", "format")(1)


@pytest.mark.parametrize(
    ("digits", "base"), [(4300, 10), (1235, 10), (2000, 7), (1300, 36)], ids=str
)
def test_integer_text_over_the_bit_limit_is_refused_before_it_is_read(
    digits: int, base: int
) -> None:
    """``int('9' * 4300)`` made a 14,000-bit integer (the limit is 4,096): decimal text, and
    text in any base but a power of two, is read only up to the digits of the largest
    integer allowed, as Python refuses longer text, before converting it."""
    from app.evaluate import evaluate

    record = evaluate(f"x = int('1' * {digits}, {base})\n")
    assert record.error is not None
    assert record.error.type == "ValueError"
    assert "1234 digits" in record.error.message


def test_integer_text_within_the_limit_reads_as_in_python() -> None:
    import sys

    from app.evaluate import evaluate

    before = sys.get_int_max_str_digits()
    largest = 2**4096 - 1
    record = evaluate(f"x = int('{largest}')\nprint(x % 1000003, len(str(x)))\n")
    assert record.error is None, record.error
    assert record.stdout == f"{largest % 1000003} {len(str(largest))}\n"
    assert sys.get_int_max_str_digits() == before  # only while a program runs
