"""NumPy under the size limits: arrays that check what they will make before they make it.

Torch routes every call through a TorchFunctionMode; NumPy has no such hook, but an array
subclass sees every ufunc (``+``, ``*``, ``np.exp``, comparisons, ``@``: ``__array_ufunc__``),
every array function (``np.concatenate``...: ``__array_function__``) and every index
(``__getitem__``) it takes part in. Every array a program gets is such an ``array`` (named
so: NumPy prints a subclass by its class name, and prints its own arrays as ``array(...)``):
the numpy functions and methods a program may call are wrapped by ``numpy_call``, which
checks the size of the result before the call, by the rule the numpy record gives
(``allowlist/numpy.py``), and turns the arrays it returns into this class.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from app.language.errors import LimitExceeded, SandboxViolation
from app.language.live import LiveElements
from app.language.shapes import broadcast_numel, data_numel
from app.limits import Limits

# The element limits of the program running now, and what it holds (set by its runtime).
_LIMITS = [Limits()]
_LIVE: list[LiveElements | None] = [None]


def use_limits(limits: Limits, live: LiveElements | None = None) -> None:
    """The limits numpy calls are checked against from now on (one program at a time)."""
    _LIMITS[0] = limits
    _LIVE[0] = live


class array(np.ndarray):
    """A NumPy array whose operations are sized before they run."""

    __module__ = "numpy"

    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
        _check(_ufunc_numel(ufunc, method, inputs), ufunc.__name__)
        out = kwargs.get("out")
        if out is not None:
            kwargs["out"] = tuple(_plain(o) for o in out)
        result = getattr(ufunc, method)(*(_plain(i) for i in inputs), **kwargs)
        if out is not None:
            return out[0] if len(out) == 1 else out
        return wrap(result)

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        rule = SIZES_BY_FUNCTION.get(func)
        if rule is not None:
            _check(predict(rule, args, kwargs), func.__name__)
        return wrap(super().__array_function__(func, types, args, kwargs))

    def __getitem__(self, index: Any) -> Any:
        parts = index if isinstance(index, tuple) else (index,)
        gathered = [p for p in parts if isinstance(p, (np.ndarray, list))]
        if gathered:  # fancy indexing copies: as many rows as the index has entries
            rest = self.size // max(1, math.prod(self.shape[: len(gathered)]))
            _check(max(_size(p) for p in gathered) * max(rest, 1), "indexing")
        return wrap(super().__getitem__(index))


def wrap(value: Any) -> Any:
    """``value`` with every array in it (a tuple of results too) as a sized ``array``."""
    if type(value) is np.ndarray:
        live = _LIVE[0]
        if live is not None and value.base is None:  # an array that owns its memory
            live.add(value, int(value.size))
        return value.view(array)
    if isinstance(value, tuple) and any(type(v) is np.ndarray for v in value):
        return (
            type(value)(*(wrap(v) for v in value))
            if hasattr(value, "_fields")
            else tuple(wrap(v) for v in value)
        )
    if isinstance(value, list) and value and type(value[0]) is np.ndarray:
        return [wrap(v) for v in value]
    return value


def numpy_call(func: Callable[..., Any], rule: str, bound: Any = None) -> Callable[..., Any]:
    """``func`` sized by ``rule`` before it runs, its arrays wrapped after (``bound``: the
    object a method was read on, sized as its first argument)."""

    def call(*args: Any, **kwargs: Any) -> Any:
        sized = args if bound is None else (bound, *args)
        _check(predict(rule, sized, kwargs), getattr(func, "__name__", "numpy"))
        return wrap(func(*args, **kwargs))

    call.__name__ = getattr(func, "__name__", "numpy")
    call.__doc__ = getattr(func, "__doc__", None)
    return call


def _check(numel: int | None, name: str) -> None:
    limit = _LIMITS[0].max_tensor_elements
    if numel is not None and numel > limit:
        raise LimitExceeded(
            "tensor_elements",
            f"{name} would make an array of {numel:,} elements; the limit is {limit:,}",
        )


def _plain(value: Any) -> Any:
    return value.view(np.ndarray) if isinstance(value, array) else value


def _size(value: Any) -> int:
    """Elements of an array-like argument (nested lists counted without building them)."""
    if isinstance(value, np.ndarray):
        return int(value.size)
    if isinstance(value, (list, tuple, range)):
        numel = data_numel(value, _LIMITS[0].max_tensor_elements)
        return numel if numel is not None else 1
    if hasattr(value, "numel"):  # a tensor
        return int(value.numel())
    return 1


def _shape(value: Any) -> tuple[int, ...]:
    if isinstance(value, np.ndarray):
        return tuple(value.shape)
    if isinstance(value, (list, tuple)):
        if _size(value) > _LIMITS[0].max_tensor_elements:
            return (_size(value),)
        return tuple(np.shape(value))
    shape: tuple[int, ...] = tuple(getattr(value, "shape", ()))
    return shape


def _ufunc_numel(ufunc: np.ufunc, method: str, inputs: Sequence[Any]) -> int | None:
    if method == "outer":
        return math.prod(_size(i) for i in inputs)
    if method != "__call__":  # reduce, accumulate, at...: no larger than the input
        return max((_size(i) for i in inputs), default=0)
    if ufunc is np.matmul and len(inputs) == 2:
        return _dot_numel(inputs[0], inputs[1])
    for value in inputs:
        if _size(value) > _LIMITS[0].max_tensor_elements:
            return _size(value)
    return broadcast_numel([_shape(i) for i in inputs])


def _dot_numel(a: Any, b: Any) -> int:
    sa, sb = _shape(a), _shape(b)
    if not sa or not sb:
        return max(_size(a), _size(b))
    if len(sb) == 1:
        return math.prod(sa[:-1])
    return math.prod(sa[:-1]) * math.prod(sb[:-2]) * sb[-1]


def _shape_numel(shape: Any) -> int | None:
    if isinstance(shape, (int, np.integer)):
        return max(int(shape), 0)
    if isinstance(shape, (list, tuple)) and all(isinstance(d, (int, np.integer)) for d in shape):
        return math.prod(max(int(d), 0) for d in shape)
    return None


def _arg(args: Sequence[Any], kwargs: dict[str, Any], index: int, name: str) -> Any:
    if name in kwargs:
        return kwargs[name]
    return args[index] if len(args) > index else None


def predict(rule: str, args: Sequence[Any], kwargs: dict[str, Any]) -> int | None:
    """Elements the largest array a call will make has, by ``rule`` (None: no larger than its
    inputs). The rules are listed in ``allowlist/numpy.py``."""
    if rule == "same":
        return max((_size(a) for a in (*args, *kwargs.values())), default=0)
    if rule == "shape":
        return _shape_numel(_arg(args, kwargs, 0, "shape"))
    if rule == "size":  # np.random.normal(loc, scale, size): the size keyword or last
        size = kwargs.get("size", args[-1] if args and rule == "size" else None)
        numel = _shape_numel(size) if size is not None else None
        return max([numel or 0, *(_size(a) for a in args)])
    if rule == "dims":  # np.random.rand(2, 3)
        return _shape_numel([a for a in args if isinstance(a, (int, np.integer))])
    if rule == "range":
        numbers = [a for a in args if isinstance(a, (int, float, np.number))]
        if len(numbers) == 1:
            return max(math.ceil(numbers[0]), 0)
        if len(numbers) >= 2:
            step = numbers[2] if len(numbers) > 2 else kwargs.get("step", 1)
            return max(math.ceil((numbers[1] - numbers[0]) / step), 0) if step else 0
        return None
    if rule == "count":  # linspace(start, stop, num)
        num = _arg(args, kwargs, 2, "num")
        return 50 if num is None else int(num)
    if rule == "eye":
        n = int(_arg(args, kwargs, 0, "N") or 0)
        m = _arg(args, kwargs, 1, "M")
        return n * (n if m is None else int(m))
    if rule == "data":
        return _size(_arg(args, kwargs, 0, "object"))
    if rule == "concat":
        arrays = args[0] if args else kwargs.get("arrays", ())
        return sum(_size(a) for a in arrays) if isinstance(arrays, (list, tuple)) else None
    if rule == "product":
        return math.prod(_size(a) for a in args[:2])
    if rule == "dot":
        return _dot_numel(args[0], args[1]) if len(args) >= 2 else None
    if rule == "tile":
        reps = _arg(args, kwargs, 1, "reps")
        reps_numel = _shape_numel(reps) or 1
        return _size(args[0]) * reps_numel if args else None
    if rule == "repeat":
        repeats = _arg(args, kwargs, 1, "repeats")
        times = max(int(np.max(repeats)), 0) if repeats is not None and np.size(repeats) else 1
        return _size(args[0]) * times if args else None
    if rule == "meshgrid":
        return len(args) * math.prod(_size(a) for a in args)
    if rule == "choice":
        size = kwargs.get("size", args[1] if len(args) > 1 else None)
        return _shape_numel(size) if size is not None else 1
    if rule == "permutation":
        first = args[0] if args else None
        return int(first) if isinstance(first, (int, np.integer)) else _size(first)
    raise SandboxViolation(f"no size rule '{rule}' for this numpy call")


# Filled by the numpy record: the rule of each function numpy itself may call internally.
SIZES_BY_FUNCTION: dict[Any, str] = {}
