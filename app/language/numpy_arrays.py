"""NumPy under the size limits: arrays that check what they will make before they make it.

Torch routes every call through a TorchFunctionMode; NumPy has no such hook, but an array
subclass sees every ufunc (``+``, ``*``, ``np.exp``, comparisons, ``@``: ``__array_ufunc__``),
every array function (``np.concatenate``...: ``__array_function__``) and every index
(``__getitem__``) it takes part in. Every array a program gets is such an ``array`` (named
so: NumPy prints a subclass by its class name, and prints its own arrays as ``array(...)``):
the numpy functions and methods a program may call are wrapped by ``numpy_call``, which
checks the size of the result before the call, by the rule the numpy record gives
(``allowlist/numpy.py``; the rules are ``RULES`` below), and turns the arrays it returns into
this class.

Sizes are counted in elements of 8 bytes: an element of a wider dtype (``'U100'``, ``'S1000'``)
counts as many. Object arrays (Python numbers of any size, the program's own objects, run in
Python by NumPy where nothing sizes them) and structured or subarray dtypes are refused. What
a prediction misses, the check of every result catches (``wrap``): no array over the limit
reaches the program, and every array that owns its memory counts towards what it holds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from app.language.errors import LimitExceeded, SandboxViolation
from app.language.live import LiveElements
from app.language.numpy_index import index_matrix_numel, index_numel
from app.language.numpy_sizes import CAP, predict, ufunc_numel
from app.language.shapes import data_numel
from app.language.values import ValueLimits
from app.limits import Limits
from app.tensor_print import array_chars

# The element limits of the program running now, and what it holds (set by its runtime).
_LIMITS = [Limits()]
_LIVE: list[LiveElements | None] = [None]
_ELEMENT_BYTES = 8  # an element of a dtype wider than this counts as several
_INT64 = (-(2**63), 2**64)  # Python ints NumPy stores as numbers; others become objects


def use_limits(limits: Limits, live: LiveElements | None = None) -> None:
    """The limits numpy calls are checked against from now on (one program at a time)."""
    _LIMITS[0] = limits
    CAP[0] = limits.max_tensor_elements
    _LIVE[0] = live


class array(np.ndarray):
    """A NumPy array whose operations are sized before they run."""

    __module__ = "numpy"

    def __array_finalize__(self, obj: Any) -> None:
        # Every array of this class NumPy makes passes here: copies made in C (``a.copy()``,
        # ``copy.deepcopy``) are counted too.
        if self.base is None:
            _count(self)

    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
        for value in (*inputs, *kwargs.values()):
            _check_data(value, ufunc.__name__)
        _check_dtype(kwargs.get("dtype"))
        _check(ufunc_numel(ufunc, method, inputs), ufunc.__name__)
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
        _check(index_numel(self, index), "indexing")
        return wrap(super().__getitem__(index))

    # Every way an array becomes text (print, str, repr, f-strings, format) is one of these.
    def __repr__(self) -> str:
        _check_print(self)
        return super().__repr__()

    def __str__(self) -> str:
        _check_print(self)
        return super().__str__()


def wrap(value: Any) -> Any:
    """``value`` with every array in it (a tuple of results too) as a sized ``array``, each
    checked against the limits and counted while the program holds it."""
    if isinstance(value, np.ndarray):
        return _checked(value)
    if isinstance(value, tuple) and any(isinstance(v, np.ndarray) for v in value):
        return (
            type(value)(*(wrap(v) for v in value))
            if hasattr(value, "_fields")
            else tuple(wrap(v) for v in value)
        )
    if isinstance(value, list) and value and isinstance(value[0], np.ndarray):
        return [wrap(v) for v in value]
    return value


def _checked(value: np.ndarray) -> array:
    """A result, checked: its dtype, its size; counted if it owns its memory."""
    _check_result_dtype(value.dtype)
    numel = int(value.size) * _units(value.dtype)
    _check(numel, "this operation")
    _count(value)
    return value if type(value) is array else value.view(array)


def _count(value: np.ndarray) -> None:
    """Count the array that owns ``value``'s memory (``value`` itself, or the array it is a
    view of: a fancy index returns a view of a copy) while the program holds it."""
    live = _LIVE[0]
    if live is None:
        return
    owner = value
    while isinstance(owner.base, np.ndarray):
        owner = owner.base
    if owner.base is None:  # memory NumPy allocated (not a tensor's, counted by torch)
        live.add(owner, int(owner.size) * _units(owner.dtype))


def numpy_call(func: Callable[..., Any], rule: str, bound: Any = None) -> Callable[..., Any]:
    """``func`` sized by ``rule`` before it runs, its arrays wrapped after (``bound``: the
    object a method was read on, sized as its first argument). ``np.empty`` and
    ``np.empty_like`` give zeros: their memory would hold what the allocator last freed, the
    values of an earlier program in the same worker."""
    name = getattr(func, "__name__", "numpy")
    func = _ZEROED.get(func, func)

    def call(*args: Any, **kwargs: Any) -> Any:
        sized = args if bound is None else (bound, *args)
        for value in (*args, *kwargs.values()):
            _check_data(value, name)
        units = max((_dtype_units(value) for value in (*args, *kwargs.values())), default=1)
        numel = predict(rule, sized, kwargs)
        _check(None if numel is None else numel * units, name)
        _check_held(index_matrix_numel(rule, sized, kwargs), name)
        return wrap(func(*args, **kwargs))

    call.__name__ = name
    call.__doc__ = getattr(func, "__doc__", None)
    return call


def _check(numel: int | None, name: str) -> None:
    limit = _LIMITS[0].max_tensor_elements
    if numel is not None and numel > limit:
        raise LimitExceeded(
            "tensor_elements",
            f"{name} would make an array of {numel:,} elements; the limit is {limit:,}",
        )


def _check_held(numel: int | None, name: str) -> None:
    """A matrix NumPy fills first and the result's arrays keep, counted with what the program
    holds before it is made."""
    live = _LIVE[0]
    if numel is not None and live is not None and live.count + numel > live.limit:
        raise LimitExceeded(
            "live_elements",
            f"{name} would first list the indices of the nonzero elements, {numel:,} numbers,"
            f" with {live.count:,} elements held; the limit is {live.limit:,}",
        )


def _check_print(value: np.ndarray) -> None:
    """Refuse to print an array whose text could be over the text limit under NumPy's print
    options in force (``threshold=sys.maxsize`` prints every element: 3 MB for a million
    zeros, and minutes for a million numbers to 30 digits)."""
    chars = array_chars(value)
    limit = ValueLimits(_LIMITS[0]).max_text_chars
    if chars > limit:
        raise LimitExceeded(
            "sequence_length",
            f"the text of this array could be {chars:,} characters long; the limit is {limit:,}",
        )


def _plain(value: Any) -> Any:
    return value.view(np.ndarray) if isinstance(value, array) else value


_ZEROED: dict[Any, Callable[..., Any]] = {np.empty: np.zeros, np.empty_like: np.zeros_like}


# --- dtypes ---------------------------------------------------------------------------------------


def _units(dtype: np.dtype[Any]) -> int:
    """Elements of 8 bytes one element of ``dtype`` counts as."""
    return max(1, -(-dtype.itemsize // _ELEMENT_BYTES))


def _check_result_dtype(dtype: np.dtype[Any]) -> None:
    if dtype.kind == "O":
        raise SandboxViolation(
            "NumPy would make an array of Python objects here (numbers too large for 64 bits,"
            " or objects of your own); only arrays of numbers, booleans and text are available"
        )
    if dtype.fields is not None or dtype.subdtype is not None:
        raise SandboxViolation("structured and subarray dtypes are not available here")


def _check_dtype(value: Any) -> None:
    if value is not None:
        _dtype_units(value)


def _dtype_units(value: Any) -> int:
    """If ``value`` names a dtype: the units an element of it counts as (after checking it is
    one an array may have here); 1 for anything else."""
    if not isinstance(value, (str, type, np.dtype)):
        return 1
    try:
        dtype = np.dtype(value)
    except (TypeError, ValueError, SyntaxError):  # a string that is no dtype ('ij', 'C')
        return 1
    _check_result_dtype(dtype)
    return _units(dtype)


def _check_data(value: Any, name: str) -> None:
    """Refuse nested lists of more elements than an array may have (NumPy would make one of
    them to read them), and nested lists that hold integers NumPy could only store as Python
    objects (whose arithmetic then runs unsized: ``np.power([3 ** 1000], 10 ** 6)``)."""
    if isinstance(value, np.ndarray):
        if value.dtype.kind == "O":
            _check_result_dtype(value.dtype)
        return
    if isinstance(value, (list, tuple)):
        # Counted first (the count stops just past the limit: three thousand references to
        # one list of three thousand are nine million elements, walked in seconds).
        numel = data_numel(value, _LIMITS[0].max_tensor_elements)
        if numel is None:
            return
        _check(numel, name)
        stack: list[Any] = [value]
        while stack:
            item = stack.pop()
            if isinstance(item, (list, tuple)):
                stack.extend(item)
            elif isinstance(item, int) and not _INT64[0] <= item < _INT64[1]:
                raise SandboxViolation(
                    f"the integer {item.bit_length()} bits long is too large for NumPy here"
                    " (arrays hold numbers of at most 64 bits)"
                )
    elif isinstance(value, int) and not _INT64[0] <= value < _INT64[1]:
        _check_data([value], name)


# Filled by the numpy record: the rule of each function numpy itself may call internally.
SIZES_BY_FUNCTION: dict[Any, str] = {}
