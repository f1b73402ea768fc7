"""How large what NumPy's indexing makes will be, read before it runs: the copy a fancy index
makes (``a[[0] * 10**7]``), and the matrix of indices ``nonzero`` fills first.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from app.language.numpy_sizes import CAP, shape_of, size
from app.language.shapes import broadcast_numel


def index_matrix_numel(rule: str, args: Sequence[Any], kwargs: dict[str, Any]) -> int | None:
    """The (count, ndim) matrix of indices ``nonzero`` and ``where(cond)`` fill first (32 times
    a mask of 32 dimensions), its nonzero elements counted; ``None`` for other calls."""
    given = [*args, *kwargs.values()]
    if rule not in ("nonzero", "where") or len(given) != 1 or not isinstance(given[0], np.ndarray):
        return None
    return int(np.count_nonzero(given[0])) * given[0].ndim


def index_numel(target: np.ndarray, index: Any) -> int:
    """Elements of ``target[index]``: an advanced index (arrays, lists, tensors) copies as many
    rows as the broadcast of its index arrays has, each of the axes it does not index."""
    parts = index if isinstance(index, tuple) else (index,)
    taken = [p for p in parts if p is not None and p is not Ellipsis]
    if not any(isinstance(p, (np.ndarray, list, tuple)) or hasattr(p, "numel") for p in taken):
        return 0  # basic indexing: a view
    axes_used = sum(len(shape_of(p)) if _is_mask(p) else 1 for p in taken)
    axis, indexed = 0, 1
    shapes: list[tuple[int, ...]] = []
    for part in parts:
        if part is None:
            continue
        if part is Ellipsis:
            axis += max(target.ndim - axes_used, 0)
            continue
        if _is_mask(part):
            width = len(shape_of(part))
            shapes.append((size(part),))  # at most every entry True
            indexed *= math.prod(target.shape[axis : axis + width])
            axis += width
        elif isinstance(part, (np.ndarray, list, tuple, int, np.integer)) or hasattr(part, "numel"):
            shapes.append(shape_of(part))
            indexed *= target.shape[axis] if axis < target.ndim else 1
            axis += 1
        else:  # a slice
            axis += 1
    if any(math.prod(shape) > CAP[0] for shape in shapes):
        return max(math.prod(shape) for shape in shapes)
    rest = int(target.size) // max(indexed, 1)
    gathered = broadcast_numel(shapes) if shapes else 1
    return (gathered if gathered is not None else max(math.prod(s) for s in shapes)) * max(rest, 1)


def _is_mask(part: Any) -> bool:
    """A boolean index (NumPy or torch, or a list of bools)."""
    dtype = getattr(part, "dtype", None)
    if dtype is not None:
        return str(dtype) in ("bool", "torch.bool")
    if isinstance(part, list) and part:
        first: Any = part
        while isinstance(first, list) and first:
            first = first[0]
        return isinstance(first, (bool, np.bool_))
    return False
