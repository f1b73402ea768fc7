"""How long PyTorch's printed form of a tensor can be, from its shape, dtype and the print
options, found before anything is printed; and PyTorch's default print options.

PyTorch prints every element of a tensor of up to ``threshold`` elements, and of a larger one
``2 * edgeitems`` per dimension: a tensor of many short dimensions (``[2] * 20``) is printed
whole even when summarised (28 MB of text, 12 s). Printing costs about 10 us per element
shown. The torch mode refuses a program's print whose text would be over the text limit
(``app/language/torch_mode.py``), and a program's NumPy array does the same
(``app/language/numpy_arrays.py``, NumPy summarises as PyTorch does); the graph's previews are
printed under the defaults and shorten what would be long (``app/walk/preview.py``).
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import numpy as np
import torch
from torch._tensor_str import PRINT_OPTS

# torch.set_printoptions(profile="default"): what a fresh process prints with.
DEFAULTS: Mapping[str, Any] = {
    "precision": 4,
    "threshold": 1000,
    "edgeitems": 3,
    "linewidth": 80,
    "sci_mode": None,
}
# Besides its numbers: "tensor(", the suffixes (dtype=, requires_grad=, grad_fn=<...>), ")".
_FRAME_CHARS = 200


def current() -> dict[str, Any]:
    """The print options in force now."""
    return {name: getattr(PRINT_OPTS, name) for name in DEFAULTS}


@contextlib.contextmanager
def default_options() -> Iterator[None]:
    """PyTorch's default print options inside, whatever they were; put back after."""
    saved = current()
    if saved == DEFAULTS:
        yield
        return
    for name, value in DEFAULTS.items():
        setattr(PRINT_OPTS, name, value)
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(PRINT_OPTS, name, value)


def shown_elements(shape: Sequence[int], options: Mapping[str, Any]) -> int:
    """How many elements PyTorch prints of a tensor of ``shape`` (a "..." counted as one)."""
    return math.prod(_shown(shape, options))


def _shown(shape: Sequence[int], options: Mapping[str, Any]) -> list[int]:
    """Per dimension, the elements (and "...") PyTorch prints."""
    if not math.prod(shape) > options["threshold"]:  # as PyTorch asks it (NaN: never)
        return list(shape)
    edge = 2 * max(int(options["edgeitems"]), 0)
    return [size if size <= edge else edge + 1 for size in shape]


def printed_chars(tensor: torch.Tensor, options: Mapping[str, Any]) -> int:
    """At least as many characters as ``repr(tensor)`` has under ``options``."""
    return printed_length(tensor.shape, _element_width(tensor, options), options)


def printed_length(shape: Sequence[int], width: int, options: Mapping[str, Any]) -> int:
    """At least as many characters as PyTorch's (or NumPy's) printed form of an array of
    ``shape`` has under ``options``, if no element is printed wider than ``width``.

    Both pad every element to the widest one's width; they print each row (the last
    dimension) on lines of at most ``linewidth``, each line indented, and separate rows with
    brackets, line breaks and indentation.
    """
    dims = len(shape)
    shown = _shown(shape, options)
    elements = math.prod(shown)
    # Besides rows: blank lines between the blocks of each dimension, up to one per dimension
    # below it, and NumPy's ", shape=(...)" when it summarises.
    frame = _FRAME_CHARS + 2 * dims * dims + 12 * dims
    if dims == 0 or elements == 0:
        return frame + elements * width
    cell = width + len(", ")
    indent = len("tensor(") + dims
    linewidth = options["linewidth"]
    per_line = shown[-1]
    if isinstance(linewidth, (int, float)) and math.isfinite(linewidth):
        per_line = max(1, min(per_line, math.floor((linewidth - indent) / cell)))
    rows = elements // shown[-1]
    lines = rows * math.ceil(shown[-1] / per_line)
    return frame + elements * cell + (rows + lines) * (indent + 1) + rows * 3 * dims


def _element_width(tensor: torch.Tensor, options: Mapping[str, Any]) -> int:
    dtype = tensor.dtype
    if dtype == torch.bool:
        return len("False")
    if not (dtype.is_floating_point or dtype.is_complex):
        return len(str(torch.iinfo(dtype).min))
    precision = max(int(options["precision"]), 0)
    # Scientific ("-1.2345e+308") or fixed below 1e8 ("-12345678.1234"): at most 11 more.
    width = precision + 11
    if options["sci_mode"] is False:  # fixed whatever the magnitude: as many digits as it has
        width = precision + 3 + _integer_digits(tensor)
    return 2 * width + 3 if dtype.is_complex else width


def _integer_digits(tensor: torch.Tensor) -> int:
    """Digits of the integer part of the largest finite magnitude in ``tensor``."""
    if tensor.numel() == 0:
        return 1
    with torch._C.DisableTorchFunction(), torch.no_grad():
        plain = tensor.detach()
        magnitudes = (torch.view_as_real(plain) if plain.dtype.is_complex else plain).abs()
        largest = float(magnitudes.double().nan_to_num(0.0, 0.0, 0.0).max())
    return len(str(int(largest)))


def array_chars(array: np.ndarray[Any, Any]) -> int:
    """At least as many characters as NumPy's printed form of ``array`` has, under NumPy's
    print options in force."""
    options = np.get_printoptions()
    return printed_length(array.shape, _array_element_width(array.dtype, options), options)


def _array_element_width(dtype: np.dtype[Any], options: Mapping[str, Any]) -> int:
    """The widest an element of ``dtype`` prints under ``options``: a float in fixed notation
    has at most 8 digits before the point (NumPy writes larger ones in scientific notation),
    except in 'unique' mode, where it has all the digits it needs (5e-324: 325)."""
    if dtype.kind == "b":
        return len("False")
    if dtype.kind in "iu":
        return len(str(-(2**63)))
    if dtype.kind in "fc":
        digits = 330 if options["floatmode"] == "unique" else options["precision"] + 12
        width = max(digits, len(options["nanstr"]) + 1, len(options["infstr"]) + 1)
        return 2 * width + 3 if dtype.kind == "c" else width
    if dtype.kind == "U":
        return dtype.itemsize // 4 * 10 + 3  # a character may print as an escape (\U0001f600)
    if dtype.kind in "SV":
        return dtype.itemsize * 4 + 3  # a byte may print as an escape (\\xff)
    return 64
