"""The sizes of things before they are made: nested Python data, broadcasts.

Pure functions of their arguments, shared by the torch mode's rules (``result_size.py``) and
NumPy's (``numpy_arrays.py``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import torch

from app.language.errors import SandboxViolation


def data_numel(data: Any, cap: int) -> int | None:
    """Leaves of the nested lists/tuples given to ``torch.tensor``, counted up to just over ``cap``.

    Shared sub-lists count every time they appear, as ``torch.tensor`` copies each one; the
    walk stops as soon as the count (or the work of walking) is over ``cap``.
    """
    if not isinstance(data, (list, tuple, range)):
        return _leaf_numel(data)
    shape_numel = 1
    first: Any = data
    while isinstance(first, (list, tuple, range)) and len(first) > 0:
        shape_numel *= len(first)
        first = first[0]
    if shape_numel > cap:  # the size of rectangular data, read along its first elements
        return shape_numel
    leaves = work = 0
    stack: list[Any] = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, range):
            leaves += len(item)
        elif isinstance(item, (list, tuple)):
            work += len(item)
            if work > 2 * cap:
                return work
            for element in item:
                if isinstance(element, (list, tuple, range)):
                    stack.append(element)
                else:
                    leaves += _leaf_numel(element) or 1
        if leaves > cap:
            return leaves
    return leaves


def _leaf_numel(value: Any) -> int | None:
    """Elements of one leaf of nested data: a tensor's, an array's, a number's (None)."""
    if isinstance(value, torch.Tensor):
        return value.numel()
    size = getattr(value, "size", None)  # a NumPy array or scalar
    if isinstance(size, int) and hasattr(value, "dtype"):
        return size
    if hasattr(type(value), "__len__") and not isinstance(value, (str, bytes, dict)):
        # A sequence of the program's own class: torch would read its length and items
        # from C, where nothing sizes what it makes.
        raise SandboxViolation(
            f"data of type '{type(value).__name__}' cannot be turned into a tensor here;"
            " pass numbers, lists, arrays or tensors"
        )
    return None


def broadcast_numel(shapes: Sequence[Sequence[int]]) -> int | None:
    """Elements of the shape ``torch.broadcast_shapes(*shapes)`` gives; None where it would fail.

    In plain Python: every elementwise op of a program asks this, and ``torch.broadcast_shapes``
    costs about 13 us a call, several times the op itself.
    """
    numel = 1
    for axis in range(1, max(len(shape) for shape in shapes) + 1):
        size = 1
        for shape in shapes:
            if axis <= len(shape):
                dim = shape[-axis]
                if dim != 1:
                    if size != 1 and dim != size:
                        return None
                    size = dim
        numel *= size
    return numel


# Index tensors that gather (a bool or uint8 tensor is a mask, whose size depends on values;
# PyTorch refuses other integer dtypes as indices).
_GATHERING_DTYPES = frozenset([torch.int64, torch.int32])


def gather_numel(tensor: Any, index: Any) -> int | None:
    """Elements of ``tensor[index]`` where ``index`` is integer tensors only (one, or a tuple
    of them, for the first dimensions: ``x[idx]``, ``probs[torch.arange(n), ys]``): their
    broadcast shape, then the dimensions they leave. None for any other index (slices, masks,
    lists, ``None``), or one that will fail; the caller then finds the size another way."""
    parts = index if type(index) is tuple else (index,)
    if not isinstance(tensor, torch.Tensor) or not 0 < len(parts) <= tensor.dim():
        return None
    if not all(type(p) is torch.Tensor and p.dtype in _GATHERING_DTYPES for p in parts):
        return None
    gathered = broadcast_numel([p.shape for p in parts])
    if gathered is None:
        return None
    return gathered * math.prod(tensor.shape[len(parts) :])
