"""math: Python's floating-point functions and constants (the polynomial-fit tutorials use them).

The functions that can build a huge integer (``factorial``, ``comb``, ``perm``, ``prod``,
``lcm``) are wrapped: their result's size is checked against the integer limit before they
run; ``prod`` multiplies as the program's ``*`` does, bounded as it is.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Iterable
from types import ModuleType
from typing import Any

from app.language.records import Library, ModuleRule, limited, names
from app.language.values import ValueLimits, as_count, is_int


def _whole(value: Any) -> Any:
    """``value`` as the int Python's math functions take it as (``np.int64``, a one-element
    integer tensor), so that its size is checked; anything else as it is."""
    count = as_count(value)
    return value if count is None or isinstance(value, bool) else count


def factorial(values: ValueLimits, n: Any) -> Any:
    n = _whole(n)
    if is_int(n) and n > 2:
        values.check_int_bits(n * math.log2(n))
    return math.factorial(n)


def comb(values: ValueLimits, n: Any, k: Any) -> Any:
    n, k = _whole(n), _whole(k)
    if is_int(n) and n > 0:
        values.check_int_bits(n)
    return math.comb(n, k)


def perm(values: ValueLimits, n: Any, k: Any = None) -> Any:
    n, k = _whole(n), None if k is None else _whole(k)
    if is_int(n) and n > 2:
        values.check_int_bits((n if k is None else min(max(k, 0), n)) * math.log2(n))
    return math.perm(n, k)


def lcm(values: ValueLimits, *integers: Any) -> Any:
    integers = tuple(_whole(i) for i in integers)
    values.check_int_bits(sum(abs(i).bit_length() for i in integers if is_int(i)))
    return math.lcm(*integers)


def prod(values: ValueLimits, /, *iterable: Iterable[Any], **keywords: Any) -> Any:
    """``math.prod(iterable, /, *, start=1)``: each step a ``*`` of the program's, bounded as
    ``*`` is (the integer's size, start's included; a list repeated)."""
    if len(iterable) != 1:
        raise TypeError(f"prod() takes exactly 1 positional argument ({len(iterable)} given)")
    product = keywords.pop("start", 1)
    if keywords:
        raise TypeError(f"prod() got an unexpected keyword argument '{next(iter(keywords))}'")
    for item in values.iter(iterable[0]):
        product = values.mul(product, item)
    return product


def _load(path: str) -> ModuleType | None:
    return importlib.import_module("math") if path == "math" else None


MATH = Library(
    name="math",
    modules=(
        ModuleRule(
            "math",
            names("""
            pi e tau inf nan sqrt exp exp2 log log2 log10 log1p expm1 sin cos tan asin acos atan
            atan2 sinh cosh tanh asinh acosh atanh floor ceil trunc fabs fmod modf frexp ldexp
            copysign isclose isfinite isinf isnan hypot degrees radians erf erfc gamma lgamma
            fsum gcd lcm isqrt pow dist prod comb perm factorial remainder cbrt
            """),
            wrapped={
                "factorial": "math_factorial",
                "comb": "math_comb",
                "perm": "math_perm",
                "prod": "math_prod",
                "lcm": "math_lcm",
            },
        ),
    ),
    load=_load,
    readers={
        "math_factorial": limited(factorial),
        "math_comb": limited(comb),
        "math_perm": limited(perm),
        "math_prod": limited(prod),
        "math_lcm": limited(lcm),
    },
)
