"""Tensor values as PyTorch prints them, abbreviated for large tensors."""

from __future__ import annotations

import math
from typing import Any

import torch

from app.graph.model import TensorValue

# PyTorch's own default: tensors over this many elements print abbreviated with "...".
_PRINT_THRESHOLD = 1000


def dtype_name(dtype: torch.dtype) -> str:
    """``torch.float32`` -> ``"float32"``."""
    return str(dtype).removeprefix("torch.")


def preview(tensor: torch.Tensor, max_elements: int) -> TensorValue:
    """The tensor's value: PyTorch's printed form, and its numbers if it has few elements."""
    with torch._C.DisableTorchFunction():
        plain = tensor.detach()
        text = _print_form(plain)
        data = plain.tolist() if plain.numel() <= max_elements else None
        if data is not None and plain.is_floating_point() and not bool(plain.isfinite().all()):
            data = _json_safe(data)
        return TensorValue(
            text=text, data=data, shape=list(plain.shape), dtype=dtype_name(plain.dtype)
        )


def _print_form(tensor: torch.Tensor) -> str:
    if tensor.numel() > _PRINT_THRESHOLD:
        with torch._tensor_str.printoptions(threshold=_PRINT_THRESHOLD, edgeitems=3):
            return repr(tensor)
    return repr(tensor)


def _json_safe(value: Any) -> Any:
    """JSON has no NaN or infinity: spell them as JavaScript's ``Number()`` reads them."""
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    return value
