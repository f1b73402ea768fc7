"""How large the arrays a NumPy call makes will be, read from its arguments before it runs.

The rules the numpy record names for its functions (``allowlist/numpy.py``): each takes the
call's arguments, its keywords and the rule's parameter (``size:2``: the position of the
argument it reads), and gives the elements of the largest array the call makes. Pure functions
of the arguments; nested lists are counted without building them, and nothing is walked past
``CAP`` (the element limit of the program running now: a prediction over it is refused).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from app.language.errors import SandboxViolation
from app.language.shapes import broadcast_numel, data_numel
from app.limits import Limits

CAP = [Limits().max_tensor_elements]


# --- sizes of arguments -----------------------------------------------------------------------------


def size(value: Any) -> int:
    """Elements of an array-like argument (nested lists counted without building them)."""
    if isinstance(value, np.ndarray):
        return int(value.size)
    if isinstance(value, (list, tuple, range)):
        numel = data_numel(value, CAP[0])
        return numel if numel is not None else 1
    if hasattr(value, "numel"):  # a tensor
        return int(value.numel())
    if isinstance(value, (str, bytes, dict, np.dtype, type)):
        return 1
    numel = data_numel(value, CAP[0])  # refuses the program's sequences
    return numel if numel is not None else 1


def shape_of(value: Any) -> tuple[int, ...]:
    if isinstance(value, np.ndarray):
        return tuple(value.shape)
    if isinstance(value, (list, tuple)):
        if size(value) > CAP[0]:
            return (size(value),)
        return tuple(np.shape(value))
    shape = getattr(value, "shape", ())
    return tuple(shape) if isinstance(shape, tuple) else ()


def _broadcast(values: Sequence[Any]) -> int:
    """Elements of the broadcast of ``values`` (array-likes), or of the largest if they do not
    broadcast (NumPy will refuse the call)."""
    largest = max((size(v) for v in values), default=1)
    if largest > CAP[0]:
        return largest
    shapes = [shape_of(v) for v in values if not isinstance(v, (str, np.dtype, type))]
    numel = broadcast_numel(shapes) if shapes else None
    return max(largest, numel or 0)


def _int(value: Any) -> int | None:
    """``value`` as a Python int if it is one (or a 0-d array, a one-element tensor)."""
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, np.ndarray) and value.size == 1 and value.dtype.kind in "iu":
        return int(value.reshape(()))
    return None


def _number(value: Any) -> float | None:
    """``value`` as a real number: a Python or NumPy number, a 0-d array, a one-element tensor."""
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, np.ndarray) and value.size == 1 and value.dtype.kind in "iuf":
        return float(value.reshape(()))
    if hasattr(value, "numel") and hasattr(value, "item") and value.numel() == 1:
        item = value.item()
        return float(item) if isinstance(item, (int, float)) else None
    return None


def _shape_numel(shape: Any) -> int:
    """Elements of an array of ``shape`` (an int, or a sequence or array of ints)."""
    single = _int(shape)
    if single is not None:
        return max(single, 0)
    if isinstance(shape, np.ndarray) and shape.ndim == 1 and shape.size <= 64:
        shape = shape.tolist()
    if isinstance(shape, (list, tuple)) and len(shape) <= 64:
        dims = [_int(d) for d in shape]
        if all(d is not None for d in dims):
            return math.prod(max(d or 0, 0) for d in dims)
    raise SandboxViolation(f"a shape here is an int or a tuple of ints, not {type(shape).__name__}")


def _arg(args: Sequence[Any], kwargs: dict[str, Any], index: int, *names: str) -> Any:
    for name in names:
        if name in kwargs:
            return kwargs[name]
    return args[index] if len(args) > index else None


# --- the rules (arguments, keywords, parameter -> elements; see the module's docstring) ---------

Rule = Callable[[Sequence[Any], dict[str, Any], int], "int | None"]


def _same(args: Sequence[Any], kwargs: dict[str, Any], _: int) -> int:
    """No larger than its largest argument (reductions, reshaping, sorting); an array without
    elements counts as its other dimensions: ``np.zeros((10**8, 0)).sum(1)`` has 10**8."""
    sizes = [size(a) or _other_dims(a) for a in (*args, *kwargs.values())]
    return max(sizes, default=0)


def _other_dims(value: Any) -> int:
    return math.prod(int(d) for d in shape_of(value) if d) if hasattr(value, "shape") else 0


def _where(args: Sequence[Any], kwargs: dict[str, Any], _: int) -> int:
    """``where(cond, x, y)``: the broadcast; ``where(cond)`` alone is ``nonzero(cond)``."""
    if len(args) + len(kwargs) == 1:
        return _same(args, kwargs, 0)
    return _elementwise(args, kwargs, 0)


def _elementwise(args: Sequence[Any], kwargs: dict[str, Any], _: int) -> int:
    """The broadcast of all its arguments (``add``, ``where``, ``clip``, ``maximum``)."""
    return _broadcast([*args, *(v for k, v in kwargs.items() if k not in ("out", "dtype"))])


def _like(args: Sequence[Any], kwargs: dict[str, Any], shape_at: int) -> int:
    """``zeros_like(a, ..., shape=None)``: the shape if given, else the first argument's."""
    shape = _arg(args, kwargs, shape_at, "shape")
    prototype = _arg(args, kwargs, 0, "a", "prototype")
    return max(_shape_numel(shape) if shape is not None else size(prototype), _same(args, {}, 0))


def _shape_first(args: Sequence[Any], kwargs: dict[str, Any], _: int) -> int:
    """A factory whose first argument is the shape (``zeros``, ``full``), and what fills it."""
    fill = _arg(args, kwargs, 1, "fill_value")
    return max(_shape_numel(_arg(args, kwargs, 0, "shape")), size(fill))


def _dims_given(args: Sequence[Any], kwargs: dict[str, Any], _: int) -> int:
    """``np.random.rand(2, 3)``: the shape as separate numbers."""
    return _shape_numel(list(args)) if args else 1


def _drawn(args: Sequence[Any], kwargs: dict[str, Any], size_at: int) -> int:
    """A random draw: ``size`` (keyword, or the argument at ``size_at``), else the broadcast
    of the distribution's parameters."""
    size = _arg(args, kwargs, size_at, "size")
    params = [a for i, a in enumerate(args) if i < size_at]
    params += [v for k, v in kwargs.items() if k not in ("size", "dtype", "out", "endpoint")]
    drawn = _shape_numel(size) if size is not None else 1
    return max(drawn, _broadcast(params) if params else 1)


def _multinomial(args: Sequence[Any], kwargs: dict[str, Any], _: int) -> int:
    """``multinomial(n, pvals, size)``: one count per outcome for each draw."""
    pvals = _arg(args, kwargs, 1, "pvals")
    return _drawn(args, kwargs, 2) * max(shape_of(pvals)[-1:] or (1,))


def _choice(args: Sequence[Any], kwargs: dict[str, Any], _: int) -> int:
    """``choice(a, size=None, replace=True, p=None)``: ``size`` draws; without replacement or
    with weights NumPy first makes a permutation (or copy) of the whole population."""
    size = _arg(args, kwargs, 1, "size")
    drawn = _shape_numel(size) if size is not None else 1
    population = _arg(args, kwargs, 0, "a")
    count = _int(population)
    replace = _arg(args, kwargs, 2, "replace")
    if (replace is not None and not replace) or _arg(args, kwargs, 3, "p") is not None:
        return max(drawn, count if count is not None else size(population))
    return max(drawn, 1 if count is not None else size(population))


def _permutation(args: Sequence[Any], kwargs: dict[str, Any], _: int) -> int:
    first = _arg(args, kwargs, 0, "x")
    count = _int(first)
    return max(count, 0) if count is not None else size(first)


def _arange(args: Sequence[Any], kwargs: dict[str, Any], _: int) -> int:
    """``arange(stop)``, ``arange(start, stop[, step])``, any of them as keywords."""
    given = list(args)
    if len(given) == 1 and "stop" not in kwargs and "start" not in kwargs:
        given = [0, given[0]]
    start, stop, step = (
        _arg(given, kwargs, 0, "start"),
        _arg(given, kwargs, 1, "stop"),
        _arg(given, kwargs, 2, "step"),
    )
    if stop is None:
        start, stop = 0, start
    numbers = [_number(v) for v in (start if start is not None else 0, stop, step or 1)]
    if any(n is None for n in numbers):
        raise SandboxViolation("arange here takes numbers (start, stop, step)")
    first, last, stride = (n or 0.0 for n in numbers)
    if stride == 0:
        return 0
    span = (last - first) / stride
    return max(math.ceil(span), 0) if math.isfinite(span) else CAP[0] + 1


def _spaced(args: Sequence[Any], kwargs: dict[str, Any], num_at: int) -> int:
    """``linspace(start, stop, num=50)``: ``num`` points between each pair of bounds."""
    num = _arg(args, kwargs, num_at, "num")
    count = 50 if num is None else _int(num)
    if count is None:
        raise SandboxViolation("the number of points here is an int")
    bounds = [_arg(args, kwargs, 0, "start"), _arg(args, kwargs, 1, "stop")]
    return max(count, 0) * _broadcast([b for b in bounds if b is not None])


def _eye(args: Sequence[Any], kwargs: dict[str, Any], _: int) -> int:
    """``eye(N, M=None)``, ``identity(n)``."""
    rows = _shape_numel(_arg(args, kwargs, 0, "N", "n"))
    columns = _arg(args, kwargs, 1, "M")
    return rows * (rows if columns is None else _shape_numel(columns))


def _data(args: Sequence[Any], kwargs: dict[str, Any], _: int) -> int:
    """``array(object)``, ``asarray(a)``: the elements of the nested data."""
    return size(_arg(args, kwargs, 0, "object", "a"))


def _concat(args: Sequence[Any], kwargs: dict[str, Any], _: int) -> int:
    """``concatenate(arrays)``, ``stack``...: the inputs added up."""
    arrays = _arg(args, kwargs, 0, "arrays", "tup")
    if isinstance(arrays, (list, tuple)):
        return sum(size(a) for a in arrays)
    return size(arrays)


def _append(args: Sequence[Any], kwargs: dict[str, Any], _: int) -> int:
    """``append(arr, values)``: both."""
    return size(_arg(args, kwargs, 0, "arr")) + size(_arg(args, kwargs, 1, "values"))


def _product(args: Sequence[Any], kwargs: dict[str, Any], _: int) -> int:
    """``outer(a, b)``, ``kron(a, b)``: every pair."""
    return size(_arg(args, kwargs, 0, "a")) * size(_arg(args, kwargs, 1, "b"))


def _dot(args: Sequence[Any], kwargs: dict[str, Any], _: int) -> int:
    """``dot(a, b)``, ``matmul``, ``a @ b``."""
    a, b = _arg(args, kwargs, 0, "a", "x1"), _arg(args, kwargs, 1, "b", "x2")
    return max(_dot_numel(a, b), size(a), size(b))


def _inner(args: Sequence[Any], kwargs: dict[str, Any], _: int) -> int:
    """``inner(a, b)``: shape ``a.shape[:-1] + b.shape[:-1]``."""
    a, b = _arg(args, kwargs, 0, "a"), _arg(args, kwargs, 1, "b")
    sa, sb = shape_of(a), shape_of(b)
    if not sa or not sb:
        return max(size(a), size(b))
    return max(math.prod(sa[:-1]) * math.prod(sb[:-1]), size(a), size(b))


def _tile(args: Sequence[Any], kwargs: dict[str, Any], _: int) -> int:
    """``tile(A, reps)``: A's elements times every repetition."""
    return size(_arg(args, kwargs, 0, "A")) * _shape_numel(_arg(args, kwargs, 1, "reps"))


def _repeat(args: Sequence[Any], kwargs: dict[str, Any], _: int) -> int:
    """``repeat(a, repeats)``: each element up to the largest count of times."""
    repeats = _arg(args, kwargs, 1, "repeats")
    if repeats is None or not size(repeats):
        return size(args[0]) if args else 0
    if size(repeats) > CAP[0]:
        return size(repeats)
    return size(_arg(args, kwargs, 0, "a")) * max(int(np.max(np.asarray(repeats))), 0)


def _meshgrid(args: Sequence[Any], kwargs: dict[str, Any], _: int) -> int:
    """``meshgrid(x, y...)``: one grid per argument, each of all their points."""
    return len(args) * math.prod(size(a) for a in args)


def _diag(args: Sequence[Any], kwargs: dict[str, Any], _: int) -> int:
    """``diag(v, k=0)``: a vector becomes a square matrix of side ``len(v) + |k|``."""
    v = _arg(args, kwargs, 0, "v")
    if len(shape_of(v)) >= 2:
        return size(v)
    offset = abs(_int(_arg(args, kwargs, 1, "k")) or 0)
    return (size(v) + offset) ** 2


def _histogram(args: Sequence[Any], kwargs: dict[str, Any], _: int) -> int:
    """``histogram(a, bins=10)``: one count per bin and their edges."""
    bins = _arg(args, kwargs, 1, "bins")
    count = 10 if bins is None else _int(bins)
    if count is None and isinstance(bins, str):
        raise SandboxViolation("histogram here takes bins as a number or as a list of edges")
    edges = count + 1 if count is not None else size(bins)
    return max(edges, size(_arg(args, kwargs, 0, "a")))


def _bincount(args: Sequence[Any], kwargs: dict[str, Any], _: int) -> int:
    """``bincount(x, weights=None, minlength=0)``: one count per value up to the largest."""
    x = _arg(args, kwargs, 0, "x")
    if size(x) > CAP[0]:
        return size(x)
    values = np.asarray(x)
    largest = int(values.max()) + 1 if values.size and values.dtype.kind in "iub" else 0
    minlength = _int(_arg(args, kwargs, 2, "minlength")) or 0
    return max(largest, minlength, size(x))


def _quantile(args: Sequence[Any], kwargs: dict[str, Any], _: int) -> int:
    """``percentile(a, q, axis=None)``: one result per ``q`` for each position off the axes."""
    a, q = _arg(args, kwargs, 0, "a"), _arg(args, kwargs, 1, "q")
    axis = _arg(args, kwargs, 2, "axis")
    shape = shape_of(a)
    axes = (axis,) if _int(axis) is not None else tuple(axis) if isinstance(axis, tuple) else ()
    reduced = math.prod([shape[int(i)] for i in axes if -len(shape) <= int(i) < len(shape)])
    rest = 1 if axis is None else size(a) // max(reduced, 1)
    return max(size(q) * rest, size(a))


def _polyfit(args: Sequence[Any], kwargs: dict[str, Any], _: int) -> int:
    """``polyfit(x, y, deg)``: a Vandermonde matrix of ``deg + 1`` columns per point."""
    degree = _int(_arg(args, kwargs, 2, "deg"))
    if degree is None:
        raise SandboxViolation("polyfit here takes the degree as an int")
    return max(size(_arg(args, kwargs, 0, "x")), 1) * (max(degree, 0) + 1) + size(
        _arg(args, kwargs, 1, "y")
    )


def _argwhere(args: Sequence[Any], kwargs: dict[str, Any], _: int) -> int:
    """``argwhere(a)``: a row of ``a.ndim`` indices per element."""
    a = _arg(args, kwargs, 0, "a")
    return size(a) * max(len(shape_of(a)), 1)


def _svd(args: Sequence[Any], kwargs: dict[str, Any], _: int) -> int:
    """``svd(a, full_matrices=True)``: square factors of each side of the matrix."""
    a = _arg(args, kwargs, 0, "a")
    shape = shape_of(a)
    full = _arg(args, kwargs, 1, "full_matrices")
    if len(shape) < 2 or (full is not None and not full):
        return size(a)
    batch = math.prod(shape[:-2])
    return max(size(a), batch * max(shape[-1], shape[-2]) ** 2)


RULES: dict[str, Rule] = {
    "same": _same,
    "nonzero": _same,
    "where": _where,
    "elementwise": _elementwise,
    "like": _like,
    "shape": _shape_first,
    "dims": _dims_given,
    "size": _drawn,
    "multinomial": _multinomial,
    "choice": _choice,
    "permutation": _permutation,
    "range": _arange,
    "count": _spaced,
    "eye": _eye,
    "data": _data,
    "concat": _concat,
    "append": _append,
    "product": _product,
    "dot": _dot,
    "inner": _inner,
    "tile": _tile,
    "repeat": _repeat,
    "meshgrid": _meshgrid,
    "diag": _diag,
    "histogram": _histogram,
    "bincount": _bincount,
    "quantile": _quantile,
    "polyfit": _polyfit,
    "argwhere": _argwhere,
    "svd": _svd,
}


def predict(rule: str, args: Sequence[Any], kwargs: dict[str, Any]) -> int | None:
    """Elements the largest array a call will make has, by ``rule``: a name of ``RULES``,
    with the position of the argument it reads after a colon (``size:2``)."""
    name, _, position = rule.partition(":")
    if name not in RULES:
        raise SandboxViolation(f"no size rule '{rule}' for this numpy call")
    return RULES[name](args, kwargs, int(position or 0))


def ufunc_numel(ufunc: np.ufunc, method: str, inputs: Sequence[Any]) -> int | None:
    if method == "outer":
        return math.prod(size(i) for i in inputs)
    if method != "__call__":  # reduce, accumulate, at...: no larger than the input
        return max((size(i) or _other_dims(i) for i in inputs), default=0)
    if ufunc is np.matmul and len(inputs) == 2:
        return max(_dot_numel(inputs[0], inputs[1]), *(size(i) for i in inputs))
    return _broadcast(inputs)


def _dot_numel(a: Any, b: Any) -> int:
    sa, sb = shape_of(a), shape_of(b)
    if not sa or not sb:
        return max(size(a), size(b))
    if len(sb) == 1:
        return math.prod(sa[:-1])
    return math.prod(sa[:-1]) * math.prod(sb[:-2]) * sb[-1]
