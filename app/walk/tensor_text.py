"""Print tensors exactly as ``repr(tensor)`` does, from their Python values, much faster.

PyTorch's printer works element by element on 0-d tensors (about 0.1 ms for a 3-element
tensor, 3 to 8 ms for a conv weight of 2,400 elements, summarised); a graph shows dozens to
thousands of values. This follows the same rules (``torch/_tensor_str.py`` with default print
options: precision 4, line width 80, edge items 3, summarisation above 1,000 elements) on plain
floats, formatting each number once. ``tests/unit/test_tensor_text.py`` checks it against
``repr`` on many tensors.
"""

from __future__ import annotations

import math
from typing import Any

_PRECISION = 4
_LINE_WIDTH = 80
EDGE_ITEMS = 3
_PREFIX = "tensor("
# Above this many elements PyTorch prints ``EDGE_ITEMS`` at each end of every longer dimension.
SUMMARY_THRESHOLD = 1000


def one_float32(values: Any, dims: int) -> str:
    """The common case (a loss, a scalar gradient, ``tensor([[2.]])``): one float32 number,
    ``dims`` brackets deep.

    The same rules as ``_cells`` for a single value, without building lists for one number."""
    value = values
    for _ in range(dims):
        value = value[0]
    if not math.isfinite(value):
        number = f"{value:.0f}"
    elif value != 0 and (abs(value) > 1.0e8 or abs(value) < 1.0e-4):
        number = f"{value:.{_PRECISION}e}"
    elif value == math.ceil(value):
        number = f"{value:.0f}."
    else:
        number = f"{value:.{_PRECISION}f}"
    return _PREFIX + "[" * dims + number + "]" * dims + ")"


def _flatten(values: Any, dims: int) -> list[Any]:
    flat = [values]
    for _ in range(dims):
        flat = [item for row in flat for item in row]
    return flat


def _float_spec(finite: list[float]) -> str:
    """The number format PyTorch picks for these nonzero finite values: fixed or scientific
    (a format spec), or "int" for integral values."""
    if finite:
        low, high = min(map(abs, finite)), max(map(abs, finite))
        if high / low > 1000.0 or high > 1.0e8 or low < 1.0e-4:
            return f".{_PRECISION}e"
    if all(v.is_integer() for v in finite):  # also when nothing is finite and nonzero
        return "int"
    return f".{_PRECISION}f"


def _cells(flat: list[Any], floating: bool) -> tuple[list[str], int]:
    """Every value formatted and right-aligned to the common width (returned too)."""
    if not floating:
        texts = [str(v) for v in flat]
        width = max(1, *map(len, texts))
        return [t.rjust(width) for t in texts], width
    isfinite = math.isfinite
    finite = [v for v in flat if v and isfinite(v)]  # nonzero (0.0 and -0.0 are false)
    spec = _float_spec(finite)
    if spec == "int":
        texts = [f"{v:.0f}." if isfinite(v) else f"{v:.0f}" for v in flat]
    else:
        texts = [format(v, spec) for v in flat]
    # Only nonzero finite values set the width; zeros and nan/inf are padded to it.
    if len(finite) == len(flat):
        width = max(map(len, texts))
    else:
        width = max(
            (len(t) for t, v in zip(texts, flat, strict=True) if v and isfinite(v)), default=1
        )
    return [t.rjust(width) for t in texts], width


def _nested(
    cells: list[str], shape: list[int], cut: list[bool], start: int, indent: int, width: int
) -> str:
    """The bracketed rows of ``cells`` (formatted, all ``width`` wide): ``shape`` is what is
    shown of each dimension, and a ``cut`` one (in PyTorch's summary) shows its first and last
    ``EDGE_ITEMS`` with "..." between them."""
    dims = len(shape)
    if dims == 0:
        return cells[start]
    if dims == 1:
        row: list[str] = cells[start : start + shape[0]]
        if cut[0]:
            row = [*row[:EDGE_ITEMS], " ...", *row[EDGE_ITEMS:]]
        # PyTorch counts the "..." as an element when it breaks the row into lines.
        per_line = max(1, math.floor((_LINE_WIDTH - indent) / (width + 2)))
        lines = [", ".join(row[i : i + per_line]) for i in range(0, len(row), per_line)]
        return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"
    step = math.prod(shape[1:])
    parts = [
        _nested(cells, shape[1:], cut[1:], start + i * step, indent + 1, width)
        for i in range(shape[0])
    ]
    if cut[0]:
        parts = [*parts[:EDGE_ITEMS], "...", *parts[EDGE_ITEMS:]]
    return "[" + ("," + "\n" * (dims - 1) + " " * (indent + 1)).join(parts) + "]"


def summary_slices(shape: list[int]) -> list[bool]:
    """Per dimension, whether PyTorch's summary of a tensor of ``shape`` (over
    ``SUMMARY_THRESHOLD`` elements) cuts it to its first and last ``EDGE_ITEMS``."""
    return [size > 2 * EDGE_ITEMS for size in shape]


def summarised_text(values: Any, shape: list[int], dtype: str, default: str = "float32") -> str:
    """``repr`` of a tensor of ``shape`` (over ``SUMMARY_THRESHOLD`` elements) whose summary,
    its first and last ``EDGE_ITEMS`` along each dimension ``summary_slices`` cuts, has these
    values (``tolist()``): PyTorch's summarised print."""
    cut = summary_slices(shape)
    shown = [2 * EDGE_ITEMS if c else size for size, c in zip(shape, cut, strict=True)]
    floating = dtype.startswith(("float", "bfloat"))
    # The numbers' format and width come from the shown numbers only, as in PyTorch.
    cells, width = _cells(_flatten(values, len(shape)), floating)
    body = _nested(cells, shown, cut, 0, len(_PREFIX), width)
    implicit = dtype in (default, "int64", "bool")
    return _with_suffixes(_PREFIX + body, [] if implicit else [f"dtype=torch.{dtype}"])


def tensor_text(values: Any, shape: list[int], dtype: str, default: str = "float32") -> str:
    """``repr`` of a tensor with these values (``tolist()``), shape and dtype (``"float32"``),
    ``default`` being the default float dtype (a program may switch it to ``float64``)."""
    if dtype == "float32" == default and shape.count(1) == len(shape):  # one number, any rank
        return one_float32(values, len(shape))
    floating = dtype.startswith(("float", "bfloat"))
    numel = math.prod(shape)
    suffixes: list[str] = []
    if numel == 0:
        body = "[]"
        if len(shape) != 1:
            suffixes.append(f"size={tuple(shape)}")
    else:
        cells, width = _cells(_flatten(values, len(shape)), floating)
        body = _nested(cells, shape, [False] * len(shape), 0, len(_PREFIX), width)
    # An empty tensor shows its dtype unless it is the default float: no values to infer it from.
    implicit = (default, "int64", "bool") if numel else (default,)
    if dtype not in implicit:
        suffixes.append(f"dtype=torch.{dtype}")
    return _with_suffixes(_PREFIX + body, suffixes)


def _with_suffixes(text: str, suffixes: list[str]) -> str:
    """``text`` (``tensor(`` and the numbers) with ``size=``/``dtype=`` suffixes, each on a new
    line where it would pass the line width, and the closing parenthesis."""
    last_line = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if last_line + len(suffix) + 2 > _LINE_WIDTH:
            text += ",\n" + " " * len(_PREFIX) + suffix
            last_line = len(_PREFIX) + len(suffix)
        else:
            text += ", " + suffix
            last_line += len(suffix) + 2
    return text + ")"
