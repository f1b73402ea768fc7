"""A TorchFunctionMode that bounds tensor sizes before allocation and lets observers watch calls.

Every torch function, tensor method and operator a program runs passes through
``ProgramMode.__torch_function__`` (PyTorch routes factories, methods, ``backward`` and
``autograd.grad`` through active modes). Before the call we work out the size of the result
where it can exceed the inputs (factories, broadcasting, matmul, repeat, ...) and refuse it if it
is over the limit; after the call we check every tensor result and count its elements towards
the program's total.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, Protocol

import torch
from torch.overrides import TorchFunctionMode
from torch.utils._pytree import tree_flatten, tree_map

from app.sandbox.errors import LimitExceeded
from app.sandbox.limits import Limits

# Factories whose size comes from their arguments (name -> how to read it).
_SIZE_FACTORIES = frozenset(
    "zeros ones empty rand randn full new_zeros new_ones new_empty new_full".split()
)
# Ops whose result can be larger than their largest input: sized by a dry run on the meta device.
_GROWING = frozenset(
    """matmul mm bmm mv dot outer ger kron inner einsum tensordot addmm cartesian_prod repeat tile
    repeat_interleave cat concat stack conv1d conv2d pad one_hot cdist linear bilinear
    __matmul__ __rmatmul__ embedding diag""".split()
)
_NOT_COUNTED = frozenset("__get__ __set__ __repr__ __format__ __str__ size dim numel".split())


class CallObserver(Protocol):
    """Watches torch calls a program makes (the graph capture implements this)."""

    def around(
        self,
        func: Callable[..., Any],
        name: str,
        args: Sequence[Any],
        kwargs: dict[str, Any],
        call: Callable[[], Any],
    ) -> Any:
        """Run ``call()`` (the real torch call) and return its result, observing what it does."""
        ...


class ProgramMode(TorchFunctionMode):
    """Size limits for every torch call of one program, plus hooks for an observer."""

    def __init__(self, limits: Limits, observer: CallObserver | None = None) -> None:
        super().__init__()
        self.limits = limits
        self.observer = observer
        self.total_elements = 0

    def __torch_function__(
        self,
        func: Callable[..., Any],
        types: Sequence[type],
        args: Sequence[Any] = (),
        kwargs: dict[str, Any] | None = None,
    ) -> Any:
        kwargs = kwargs or {}
        name = getattr(func, "__name__", "")
        self._check_before(func, name, args, kwargs)

        def call() -> Any:
            return func(*args, **kwargs)

        if self.observer is None:
            result = call()
        else:
            result = self.observer.around(func, name, args, kwargs, call)
        if name not in _NOT_COUNTED:
            self._check_after(name, result)
        return result

    # --- before the call ------------------------------------------------------------------------
    def _check_before(self, func: Callable[..., Any], name: str, args: Sequence[Any], kwargs: dict[str, Any]) -> None:
        numel = _requested_numel(name, args, kwargs)
        if numel is None and name in _GROWING:
            numel = _meta_numel(func, args, kwargs)
        if numel is None:
            numel = _broadcast_numel(args)
        if numel is not None:
            self._check_tensor(numel, name)

    def _check_tensor(self, numel: int, name: str) -> None:
        if numel > self.limits.max_tensor_elements:
            raise LimitExceeded(
                "tensor_elements",
                f"{name or 'this operation'} would make a tensor of {numel:,} elements; "
                f"the limit is {self.limits.max_tensor_elements:,}",
            )

    # --- after the call -------------------------------------------------------------------------
    def _check_after(self, name: str, result: Any) -> None:
        tensors = [t for t in tree_flatten(result)[0] if isinstance(t, torch.Tensor)]
        for tensor in tensors:
            numel = tensor.numel()
            self._check_tensor(numel, name)
            self.total_elements += numel
        if self.total_elements > self.limits.max_total_elements:
            raise LimitExceeded(
                "total_elements",
                f"program made tensors of {self.total_elements:,} elements in total; "
                f"the limit is {self.limits.max_total_elements:,}",
            )


def _requested_numel(name: str, args: Sequence[Any], kwargs: dict[str, Any]) -> int | None:
    """Elements a factory call asks for, read from its arguments without allocating."""
    try:
        if name in _SIZE_FACTORIES:
            rest = list(args[1:]) if name.startswith("new_") else list(args)
            if name in ("full", "new_full"):
                rest = rest[:1]
            size = kwargs.get("size", rest[0] if len(rest) == 1 else rest)
            return _numel_of_size(size)
        if name == "randint":
            size = kwargs.get("size", args[-1] if args else None)
            return _numel_of_size(size)
        if name == "arange":
            start, end, step = _arange_bounds(args, kwargs)
            return max(0, math.ceil((end - start) / step)) if step else None
        if name in ("linspace", "logspace"):
            steps = kwargs.get("steps", args[2] if len(args) > 2 else None)
            return int(steps) if steps is not None else None
        if name == "eye":
            n = int(args[0]) if args else int(kwargs.get("n", 0))
            m = int(args[1]) if len(args) > 1 else int(kwargs.get("m", n))
            return n * m
        if name == "randperm":
            return int(args[0]) if args else int(kwargs.get("n", 0))
        if name in ("expand", "broadcast_to"):
            return _numel_of_size(list(args[1:]) if len(args) > 2 else args[1])
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return None


def _numel_of_size(size: Any) -> int | None:
    if isinstance(size, torch.Size) or isinstance(size, (list, tuple)):
        dims = [int(d) for d in size]
    elif isinstance(size, int):
        dims = [size]
    else:
        return None
    return math.prod(max(d, 0) for d in dims)


def _arange_bounds(args: Sequence[Any], kwargs: dict[str, Any]) -> tuple[float, float, float]:
    values = [float(a) for a in args if isinstance(a, (int, float))]
    if "end" in kwargs:
        values = [float(kwargs.get("start", 0)), float(kwargs["end"])]
    if len(values) == 1:
        return 0.0, values[0], float(kwargs.get("step", 1))
    step = values[2] if len(values) > 2 else float(kwargs.get("step", 1))
    return values[0], values[1], step


def _broadcast_numel(args: Sequence[Any]) -> int | None:
    shapes = [a.shape for a in args if isinstance(a, torch.Tensor)]
    if len(shapes) < 2:
        return None
    try:
        return math.prod(torch.broadcast_shapes(*shapes))
    except RuntimeError:
        return None


def _meta_numel(func: Callable[..., Any], args: Sequence[Any], kwargs: dict[str, Any]) -> int | None:
    """Size of the result, found by running the op on meta tensors (no memory is allocated)."""

    def to_meta(value: Any) -> Any:
        return value.to("meta") if isinstance(value, torch.Tensor) else value

    try:
        with torch.no_grad():
            result = func(*tree_map(to_meta, list(args)), **tree_map(to_meta, kwargs))
    except Exception:  # noqa: BLE001 - the real call will raise the user-facing error
        return None
    sizes = [t.numel() for t in tree_flatten(result)[0] if isinstance(t, torch.Tensor)]
    return max(sizes) if sizes else None
