"""The print options a program may set, for torch and NumPy alike: bounded numbers, no code.

``torch.set_printoptions(precision=100000)`` prints each number 100,000 digits long, and
NumPy's ``formatter`` runs a function for every element it prints. A program may set the
options courses use (``precision=2``, ``threshold=sys.maxsize``, ``sci_mode=False``,
``suppress=True``...) within ``BOUNDS``; anything else is refused with the hint
``sandbox.PRINT_OPTIONS``. What a print would make under the options in force is still sized
before it is made (``app/tensor_print.py``).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from typing import Any

from app.hints import sandbox
from app.language.errors import SandboxViolation

# Whole-number options, each from low to high.
BOUNDS: Mapping[str, tuple[int, int]] = {
    "precision": (0, 30),
    "edgeitems": (0, 1_000),
    "linewidth": (1, 10_000),
}
# Text options (NumPy's nanstr, infstr): at most this long.
MAX_TEXT_OPTION = 20


def check(
    function: str,
    options: Mapping[str, Any],
    choices: Mapping[str, tuple[Any, ...]],
    bounds: Mapping[str, tuple[int, int]] = BOUNDS,
) -> None:
    """Refuse ``function(**options)`` unless every option given (not None) is in bounds:
    the whole numbers of ``bounds``, a ``threshold`` that is a number (infinity too), text
    options short, and the rest one of its ``choices``."""
    for name, value in options.items():
        if value is None:
            continue
        if name in bounds:
            low, high = bounds[name]
            if not (_whole(value) and low <= value <= high):
                _refuse(function, f"{name} must be a whole number from {low:,} to {high:,}")
        elif name == "threshold":
            if not (_real(value) and not math.isnan(value)):
                _refuse(function, "threshold must be a number")
        elif name in ("nanstr", "infstr"):
            if not (isinstance(value, str) and len(value) <= MAX_TEXT_OPTION):
                _refuse(function, f"{name} must be text of at most {MAX_TEXT_OPTION} characters")
        elif name in choices:
            if not any(
                value is c or (type(value) is type(c) and value == c) for c in choices[name]
            ):
                shown = ", ".join(repr(c) for c in choices[name])
                _refuse(function, f"{name} must be one of {shown}")
        else:
            _refuse(function, f"the option '{name}' is not available")


def _whole(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _real(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _refuse(function: str, why: str) -> None:
    raise SandboxViolation(f"{function}: {why} here", sandbox.PRINT_OPTIONS)
