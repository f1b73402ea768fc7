"""tensors_in finds exactly the tensors torch's own pytree flattening finds."""

from __future__ import annotations

from typing import Any

import pytest
import torch
from torch.utils._pytree import tree_flatten

from app.tensor_tree import tensors_in

a, b = torch.ones(2), torch.zeros(3, requires_grad=True)


@pytest.mark.parametrize(
    "value",
    [
        a,
        (a, b),
        [a, 1.5, None, b],
        torch.max(torch.ones(2, 3), dim=1),  # a named tuple of tensors
        (a, [b, (a, {"k": b})]),
        {"x": a, "y": [1, b]},
        (),
        [1, 2.0, "s"],
        None,
        3.0,
        torch.Size([2, 3]),
    ],
)
def test_tensors_in_matches_pytree(value: Any) -> None:
    expected = [leaf for leaf in tree_flatten(value)[0] if isinstance(leaf, torch.Tensor)]
    found = tensors_in(value)
    assert len(found) == len(expected)
    assert all(x is y for x, y in zip(found, expected, strict=True))
