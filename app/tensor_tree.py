"""Find the tensors in what a torch call takes or returns, without pytree's cost when it is simple."""

from __future__ import annotations

from typing import Any

import torch
from torch.utils._pytree import tree_flatten

_NESTING = (tuple, list, dict)


def tensors_in(value: Any) -> list[torch.Tensor]:
    """The tensors in ``value``: a tensor, or lists, tuples and dicts nesting them.

    Every torch call of a program asks this of its result (twice). Most results are one tensor
    or a flat tuple of tensors and numbers; ``tree_flatten`` costs 1 to 3 us even for those.
    """
    if isinstance(value, torch.Tensor):
        return [value]
    if value is None:  # ``backward()``, ``x[i] = v``, ``zero_grad()``...
        return []
    if isinstance(value, (tuple, list)) and not any(isinstance(v, _NESTING) for v in value):
        return [v for v in value if isinstance(v, torch.Tensor)]
    return [leaf for leaf in tree_flatten(value)[0] if isinstance(leaf, torch.Tensor)]
