"""math: Python's floating-point functions and constants (the polynomial-fit tutorials use them).

The functions that can build a huge integer (``factorial``, ``comb``, ``perm``, ``prod``,
``lcm``) are wrapped: their result's size is checked against the integer limit before they
run (``readers.py``).
"""

from __future__ import annotations

import importlib
from types import ModuleType

from app.language.records import Library, ModuleRule, names


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
)
