"""``torch.autograd.functional.jacobian`` and ``hessian``, sized before they build the matrix.

A Jacobian holds (elements of the output) x (elements of the input) numbers, one row for each
output element, each row a backward pass: PyTorch computes every row before it stacks them
into the tensor the size limit would refuse (a function of 2,000 elements: 2,000 passes,
then a tensor of 4,000,000). Here the size is known first: a Hessian's from its inputs alone
(its function returns one number), a Jacobian's as soon as the function has run once, which
``jacobian`` does before any row. Each block of the result (one output by one input) is a
tensor, held to ``Limits.max_tensor_elements`` as every tensor is.

The program's function runs as it does in plain PyTorch (once, on the same inputs): the
wrapper only looks at what it returns. It stays the program's guarded function (counted,
under the size-limit mode: ``definitions.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch.autograd import functional

from app.language.errors import LimitExceeded
from app.language.values import ValueLimits


def jacobian(
    values: ValueLimits, func: Callable[..., Any], inputs: Any, *args: Any, **kwargs: Any
) -> Any:
    """``jacobian(func, inputs, ...)``: refused once ``func``'s output is known to make a block
    over the limit, before any row of it is computed."""
    cap = values.limits.max_tensor_elements
    widest_input = _largest(inputs)

    def sized(*arguments: Any) -> Any:
        outputs = func(*arguments)
        _check("jacobian", _largest(outputs) * widest_input, cap)
        return outputs

    return functional.jacobian(sized, inputs, *args, **kwargs)  # type: ignore[no-untyped-call]


def hessian(
    values: ValueLimits, func: Callable[..., Any], inputs: Any, *args: Any, **kwargs: Any
) -> Any:
    """``hessian(func, inputs, ...)``: (elements of the input) squared, refused before it runs."""
    widest_input = _largest(inputs)
    _check("hessian", widest_input * widest_input, values.limits.max_tensor_elements)
    return functional.hessian(func, inputs, *args, **kwargs)  # type: ignore[no-untyped-call]


def _largest(value: Any) -> int:
    """The elements of the largest tensor in ``value`` (a tensor, or a tuple or list of them,
    as these functions take and return); 0 where there is none (PyTorch then says why)."""
    if isinstance(value, torch.Tensor):
        return value.numel()
    if isinstance(value, (tuple, list)):
        return max((t.numel() for t in value if isinstance(t, torch.Tensor)), default=0)
    return 0


def _check(name: str, numel: int, cap: int) -> None:
    if numel > cap:
        raise LimitExceeded(
            "tensor_elements",
            f"{name} would make a tensor of {numel:,} elements; the limit is {cap:,}",
        )
