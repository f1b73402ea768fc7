"""Print small tensors exactly as ``repr(tensor)`` does, from their Python values, much faster.

PyTorch's printer works element by element on 0-d tensors (about 0.1 ms for a 3-element
tensor); a graph shows dozens of values. This follows the same rules (``torch/_tensor_str.py``
with default print options: precision 4, line width 80, no summarisation below 1,000 elements)
on plain floats. ``tests/unit/test_tensor_text.py`` checks it against ``repr`` on many tensors.
"""

from __future__ import annotations

import math
from typing import Any

_PRECISION = 4
_LINE_WIDTH = 80
_PREFIX = "tensor("
# Dtypes that print without a ``dtype=`` suffix (the default float, int64 and bool).
_IMPLICIT_DTYPES = ("float32", "int64", "bool")


class _Formatter:
    def __init__(self, flat: list[Any], floating: bool) -> None:
        self.floating = floating
        self.int_mode = True
        self.sci_mode = False
        self.max_width = 1
        if not floating:
            self.max_width = max([1, *(len(str(v)) for v in flat)])
            return
        finite = [v for v in flat if v != 0 and math.isfinite(v)]
        if not finite:
            return
        magnitudes = [abs(v) for v in finite]
        low, high = min(magnitudes), max(magnitudes)
        self.int_mode = all(v == math.ceil(v) for v in finite)
        self.sci_mode = high / low > 1000.0 or high > 1.0e8 or low < 1.0e-4
        if self.sci_mode:
            self.max_width = max(len(f"{v:.{_PRECISION}e}") for v in finite)
        elif self.int_mode:
            self.max_width = max(len(f"{v:.0f}") + 1 for v in finite)
        else:
            self.max_width = max(len(f"{v:.{_PRECISION}f}") for v in finite)

    def format(self, value: Any) -> str:
        if not self.floating:
            text = str(value)
        elif self.sci_mode:
            text = f"{value:{self.max_width}.{_PRECISION}e}"
        elif self.int_mode:
            text = f"{value:.0f}"
            if math.isfinite(value):
                text += "."
        else:
            text = f"{value:.{_PRECISION}f}"
        return (self.max_width - len(text)) * " " + text


def _flatten(values: Any, depth: int) -> list[Any]:
    if depth == 0:
        return [values]
    out: list[Any] = []
    for item in values:
        out.extend(_flatten(item, depth - 1))
    return out


def _nested(values: Any, dims: int, indent: int, formatter: _Formatter) -> str:
    if dims == 0:
        return formatter.format(values)
    if dims == 1:
        per_line = max(1, math.floor((_LINE_WIDTH - indent) / (formatter.max_width + 2)))
        items = [formatter.format(v) for v in values]
        lines = [", ".join(items[i : i + per_line]) for i in range(0, len(items), per_line)]
        return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"
    parts = [_nested(v, dims - 1, indent + 1, formatter) for v in values]
    return "[" + ("," + "\n" * (dims - 1) + " " * (indent + 1)).join(parts) + "]"


def tensor_text(values: Any, shape: list[int], dtype: str) -> str:
    """``repr`` of a tensor with these values (``tolist()``), shape and dtype (``"float32"``)."""
    floating = dtype.startswith(("float", "bfloat"))
    numel = math.prod(shape)
    if numel == 0:
        body = "[]"
        suffixes = [f"size={tuple(shape)}"] if len(shape) != 1 else []
    else:
        flat = _flatten(values, len(shape))
        if dtype == "bool":
            flat = [str(v) for v in flat]
        body = _nested(values, len(shape), len(_PREFIX), _Formatter(flat, floating))
        suffixes = []
    # An empty tensor shows its dtype unless it is the default float: no values to infer it from.
    if dtype not in (_IMPLICIT_DTYPES if numel else ("float32",)):
        suffixes.append(f"dtype=torch.{dtype}")
    text = _PREFIX + body
    last_line = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if last_line + len(suffix) + 2 > _LINE_WIDTH:
            text += ",\n" + " " * len(_PREFIX) + suffix
            last_line = len(_PREFIX) + len(suffix)
        else:
            text += ", " + suffix
            last_line += len(suffix) + 2
    return text + ")"
