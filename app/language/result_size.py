"""How large a torch call's result will be, found before the call allocates anything.

The allowlist's torch record (``app/language/allowlist/torch.py``, ``SIZES``) says which rule
sizes each call; the rules are pure functions of the call's arguments:

- ``factory``: from the size arguments (``zeros``, ``randn``...), else a dry run on the meta
  device (shape only, no memory);
- ``data``: the leaves of the nested Python data given to ``torch.tensor`` and friends;
- ``concat``: the inputs' elements added up;
- ``values``: from the values of an argument (``repeat_interleave`` reads the repeats,
  ``one_hot`` the largest index, batched ``autograd.grad`` the rows, ``einsum`` each step);
- ``matmul``: from the shapes of a matrix product; ``meta``: a dry run on meta copies of the
  inputs (ops that can grow); ``index``: lists in an index or value, tensor indices;
- ``nonzero``: the (count, ndim) matrix of indices, its nonzero elements counted first;
- anything else is bounded by the broadcast of its tensor arguments, or, when one of them has
  no elements (which says nothing of the result: ``torch.zeros(10**8, 0).sum(1)`` has 10**8),
  by a dry run on the meta device.

Two more counts come before some calls: the pieces a call splits a tensor into (``pieces``),
and the hidden matrix of indices a mask's nonzero elements make (``index_matrix_numel``).
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Sequence
from typing import Any

import torch
from torch.utils._pytree import tree_flatten, tree_map

from app.language.allowlist.torch import PIECES, SIZES
from app.language.errors import SandboxViolation
from app.language.records import names
from app.language.shapes import broadcast_numel, data_numel, gather_numel

# Factory keywords that cannot go to the meta device (and do not change the size).
_NOT_META_KWARGS = names("generator out pin_memory device")


def result_numel(
    func: Callable[..., Any], name: str, args: Sequence[Any], kwargs: dict[str, Any], cap: int
) -> int | None:
    """Elements the largest tensor this call makes will have, found without allocating it.

    ``None`` means the result is no larger than the call's inputs (or the call will fail).
    """
    rule = SIZES.get(name)
    if rule == "factory":
        numel = _factory_numel(name, args, kwargs)
        return numel if numel is not None else _meta_numel(func, args, kwargs, factory=True)
    if rule == "data":
        data = args[1] if name == "new_tensor" and len(args) > 1 else (args[0] if args else None)
        return data_numel(kwargs.get("data", data), cap)
    if rule == "concat":  # exactly the inputs' elements, when the call is valid
        tensors = args[0] if args else kwargs.get("tensors")
        if isinstance(tensors, (list, tuple)) and all(isinstance(t, torch.Tensor) for t in tensors):
            return int(sum(t.numel() for t in tensors))
    elif rule == "values":
        if name == "one_hot":
            return _one_hot_numel(args, kwargs)
        if name == "grad":
            return _batched_grad_numel(args, kwargs)
        if name == "histogram":
            return _histogram_numel(args, kwargs)
        if name in _RECURRENT:
            return _recurrent_numel(args)
        if name == "multi_head_attention_forward":
            return _attention_numel(args, kwargs)
        if name == "einsum":  # more than two operands: contracted in steps, each a tensor
            steps = _einsum_steps_numel(args)
            if steps is not None:
                return max(steps, _meta_numel(func, args, kwargs) or 0)
        else:
            numel = _repeat_interleave_numel(args, kwargs)
            if numel is not None:
                return numel
    elif rule == "index":  # lists in an index or value become tensors
        given = [data_numel(part, cap) for part in _index_data(args)]
        largest = max((n for n in given if n is not None), default=0)
        if largest > cap:
            return largest
        if name == "__getitem__" and _advanced_index(args):  # a gather counted, else meta
            if (gathered := gather_numel(args[0], args[1])) is not None:
                return gathered
            rule = "meta"
    elif rule == "matmul":
        numel = _matmul_numel(name, args, kwargs)
        if numel is not None:
            return numel
    elif rule == "nonzero":
        return _nonzero_numel(args, kwargs)
    if rule in ("concat", "values", "matmul", "meta") or (
        rule is None and name not in PIECES and any(_empty(v) for v in (*args, *kwargs.values()))
    ):
        numel = _meta_numel(func, args, kwargs)
        if numel is not None:
            return numel
    return _broadcast_numel([*args, *kwargs.values()])


def elementwise_numel(
    func: Callable[..., Any], name: str, args: Sequence[Any], kwargs: dict[str, Any], cap: int
) -> int | None:
    """``result_numel`` of a call ``SIZES`` has no rule for, made fast: the broadcast of its
    tensors, unless one has no elements (which says nothing of the result)."""
    count, larger = 0, []  # the tensors, and those of more than one element
    for value in (*args, *kwargs.values()) if kwargs else args:
        if isinstance(value, torch.Tensor):
            count += 1
            if (numel := value.numel()) == 0:
                return result_numel(func, name, args, kwargs, cap)
            if numel > 1:  # a one-element tensor broadcasts to the others' shape, adding nothing
                larger.append(value)
    if count < 2:
        return None
    shapes = [tensor.shape for tensor in larger]
    if not shapes or shapes.count(shapes[0]) == len(shapes):  # none, one, or all alike
        return larger[0].numel() if larger else 1
    return broadcast_numel(shapes)


def pieces(name: str, args: Sequence[Any], kwargs: dict[str, Any]) -> int | None:
    """How many tensors (or, for ``tolist``, inner lists) a call that splits a tensor makes.

    ``None`` when the call is not one of these or will fail (PyTorch then says why).
    """
    tensor = args[0] if args else kwargs.get("input")
    if not isinstance(tensor, torch.Tensor) or name not in PIECES:
        return None
    shape = tensor.shape
    try:
        if name == "tolist":
            return sum(math.prod(shape[:end]) for end in range(1, len(shape)))
        if name == "__iter__":
            return int(shape[0]) if shape else None
        if name == "unbind":
            return int(shape[operator.index(args[1] if len(args) > 1 else kwargs.get("dim", 0))])
        second = args[1] if len(args) > 1 else _first_of(kwargs, _PIECES_KWARGS[name])
        length = int(shape[operator.index(args[2] if len(args) > 2 else kwargs.get("dim", 0))])
        if isinstance(second, (list, tuple)):
            return len(second) + (name == "tensor_split")
        if isinstance(second, torch.Tensor) and second.dim() == 1:
            return second.numel() + 1
        count = operator.index(second)
        if name == "split":
            return -(-length // count) if count > 0 else None
        if name == "chunk":  # pieces of ceil(length / count) each, all ``count`` when empty
            return -(-length // -(-length // count)) if length and count > 0 else count
        return count  # tensor_split into ``count`` sections
    except (IndexError, TypeError, ValueError, RuntimeError, OverflowError):
        return None


_PIECES_KWARGS = {
    "split": ("split_size_or_sections", "split_size"),
    "tensor_split": ("indices_or_sections", "sections", "indices", "tensor_indices_or_sections"),
    "chunk": ("chunks",),
}


def _first_of(kwargs: dict[str, Any], keys: Sequence[str]) -> Any:
    return next((kwargs[key] for key in keys if key in kwargs), None)


def index_matrix_numel(name: str, args: Sequence[Any], kwargs: dict[str, Any]) -> int | None:
    """Elements of the hidden (count, ndim) matrix of indices that ``torch.where(mask)``,
    ``nonzero`` / ``argwhere``, ``x[mask]`` and ``x[mask] = v`` make of a mask's nonzero
    elements before anything else (a mask of 62 dimensions makes it 62 times the mask).

    ``None`` when the call makes no such matrix.
    """
    if name in ("nonzero", "argwhere"):
        masks = args[:1]
    elif name == "where":  # only ``where(mask)``: with values to choose from, it is elementwise
        given = [*args, *kwargs.values()]
        masks = given if len(given) == 1 else []
    else:  # x[index], x[index] = v, x.index_put(indices, v)
        index = args[1] if len(args) > 1 else kwargs.get("indices")
        parts = index if isinstance(index, (tuple, list)) else (index,)
        masks = [p for p in parts if isinstance(p, torch.Tensor) and p.dtype in _MASKS]
    sizes = [_count_nonzero(m) * m.dim() for m in masks if isinstance(m, torch.Tensor)]
    return sum(sizes) if sizes else None


_MASKS = (torch.bool, torch.uint8)


def _nonzero_numel(args: Sequence[Any], kwargs: dict[str, Any]) -> int | None:
    """``nonzero`` / ``argwhere``: a (count, ndim) matrix, or ``ndim`` tensors of ``count``."""
    tensor = args[0] if args else kwargs.get("input")
    if not isinstance(tensor, torch.Tensor):
        return None
    count = _count_nonzero(tensor)
    return count if kwargs.get("as_tuple") else count * max(tensor.dim(), 1)


def _count_nonzero(tensor: torch.Tensor) -> int:
    with torch.no_grad():
        return int(torch.count_nonzero(tensor).item())


def _matmul_numel(name: str, args: Sequence[Any], kwargs: dict[str, Any]) -> int | None:
    """Result size of the everyday matrix products, from shapes alone (no meta-device run).

    These run in every nn.Linear; the meta-device dry run costs more than the product itself.
    Only plain 2-D (and batched ``linear``) cases; anything else returns ``None`` (meta run).
    """
    tensors = [a for a in (*args, *kwargs.values()) if isinstance(a, torch.Tensor)]
    if name == "linear" and len(tensors) >= 2:
        x, weight = tensors[0], tensors[1]
        if weight.dim() == 2 and x.dim() >= 1 and x.shape[-1] == weight.shape[1]:
            return math.prod(x.shape[:-1]) * int(weight.shape[0])
        return None
    if name == "addmm" and len(tensors) == 3:
        tensors = tensors[1:]
    if len(tensors) != 2:
        return None
    a, b = tensors
    if a.dim() == 2 and b.dim() == 2 and a.shape[1] == b.shape[0]:
        return int(a.shape[0] * b.shape[1])
    return None


def _factory_numel(name: str, args: Sequence[Any], kwargs: dict[str, Any]) -> int | None:
    """A factory's size read from plain int/float arguments (the common case, cheaper than meta).

    ``None`` for any other form of call: the caller then asks the meta device.
    """
    try:
        if name.startswith("new_"):
            name, args = name[len("new_") :], args[1:]  # drop the tensor the method is called on
        if name in ("zeros", "ones", "empty", "rand", "randn", "full"):
            given = args[:1] if name == "full" else args
            size = kwargs["size"] if "size" in kwargs else (given[0] if len(given) == 1 else given)
            return _plain_size(size)
        if name == "randint":
            return _plain_size(kwargs["size"] if "size" in kwargs else args[-1])
        if name == "randperm" and _plain(args[0]):
            return max(int(args[0]), 0)
        if name in ("linspace", "logspace"):
            steps = kwargs["steps"] if "steps" in kwargs else args[2]
            return max(int(steps), 0) if _plain(steps) else None
        if name == "eye" and not kwargs.keys() & {"n", "m"} and all(_plain(a) for a in args):
            return max(int(args[0]), 0) * max(int(args[1] if len(args) > 1 else args[0]), 0)
        plain_range = 1 <= len(args) <= 3 and all(_plain(a) for a in args)
        if name == "arange" and plain_range and not kwargs.keys() & {"start", "end", "step"}:
            start, end, step = ([0, *args, 1] if len(args) == 1 else [*args, 1])[:3]
            count: int = math.ceil((end - start) / step)
            return max(count, 0)
    except (IndexError, KeyError, TypeError, ValueError, OverflowError, ZeroDivisionError):
        return None
    return None


def _empty(value: Any) -> bool:
    return isinstance(value, torch.Tensor) and value.numel() == 0


def _plain(value: Any) -> bool:
    return type(value) in (int, float)


def _plain_size(size: Any) -> int | None:
    dims = [size] if type(size) is int else size
    if not isinstance(dims, (list, tuple)) or not all(type(d) is int for d in dims):
        return None
    return int(math.prod(max(d, 0) for d in dims))


def _meta_numel(
    func: Callable[..., Any], args: Sequence[Any], kwargs: dict[str, Any], factory: bool = False
) -> int | None:
    """Size of the result, found by running the op on meta tensors (no memory is allocated)."""

    def to_meta(value: Any) -> Any:
        if not isinstance(value, torch.Tensor):
            return value
        if factory and value.dim() == 0:  # a size or fill value given as a 0-d tensor
            return value.item()
        return value.to("meta")

    meta_kwargs = tree_map(to_meta, kwargs)
    if factory:
        meta_kwargs = {k: v for k, v in meta_kwargs.items() if k not in _NOT_META_KWARGS}
        meta_kwargs["device"] = "meta"
    try:
        with torch.no_grad():
            result = func(*tree_map(to_meta, list(args)), **meta_kwargs)
    except Exception:  # noqa: BLE001 - the real call will raise the user-facing error
        return None
    sizes = [t.numel() for t in tree_flatten(result)[0] if isinstance(t, torch.Tensor)]
    return max(sizes) if sizes else None


def _repeat_interleave_numel(args: Sequence[Any], kwargs: dict[str, Any]) -> int | None:
    """``repeat_interleave`` with a tensor of repeats: its size depends on their values."""
    if len(args) == 1 and not kwargs and isinstance(args[0], torch.Tensor):
        return _int_sum(args[0])  # repeat_interleave(repeats): indices repeated
    source = args[0] if args else kwargs.get("input")
    repeats = args[1] if len(args) > 1 else kwargs.get("repeats")
    dim = args[2] if len(args) > 2 else kwargs.get("dim")
    if not isinstance(source, torch.Tensor) or not isinstance(repeats, torch.Tensor):
        return None
    try:
        length = source.numel() if dim is None else source.shape[dim]
        rest = 1 if dim is None or length == 0 else source.numel() // length
        per = _int_sum(repeats) if repeats.numel() > 1 else int(repeats.item()) * length
    except (IndexError, RuntimeError, TypeError, ValueError):
        return None
    return per * rest


def _one_hot_numel(args: Sequence[Any], kwargs: dict[str, Any]) -> int | None:
    """``one_hot``: one row of ``num_classes`` per index (``-1``: the largest index plus one)."""
    indices = args[0] if args else kwargs.get("input", kwargs.get("tensor"))
    classes = args[1] if len(args) > 1 else kwargs.get("num_classes", -1)
    if not isinstance(indices, torch.Tensor) or indices.numel() == 0:
        return None
    try:
        count = int(classes)
        if count < 0:
            count = int(indices.max().item()) + 1
    except (RuntimeError, TypeError, ValueError, OverflowError):
        return None
    return indices.numel() * max(count, 0)


_RECURRENT = names("lstm gru rnn_tanh rnn_relu")


def _recurrent_numel(args: Sequence[Any]) -> int | None:
    """``nn.LSTM``/``GRU``/``RNN``: one output row per input row (time step and batch entry),
    as wide as the hidden state, twice if bidirectional. The fused op makes it in C: a dry run
    on the meta device would step through the sequence (1 s for 50 steps)."""
    try:
        packed = isinstance(args[3], (list, tuple))  # (data, batch_sizes, hx, params, ...)
        data, hx = args[0], args[2 if packed else 1]
        bidirectional = bool(args[8 if packed else 7])
        state = hx[0] if isinstance(hx, (list, tuple)) else hx  # an LSTM's h, maybe projected
        rows = data.numel() // max(int(data.shape[-1]), 1)
        return int(rows * state.shape[-1] * (2 if bidirectional else 1))
    except (AttributeError, IndexError, TypeError):
        return None


def _attention_numel(args: Sequence[Any], kwargs: dict[str, Any]) -> int | None:
    """``nn.MultiheadAttention`` (and ``nn.TransformerEncoderLayer``, which calls it): its
    output, as large as the query, and the (target, source) weights of each batch entry and
    head, which PyTorch makes whether it returns them, averages them over the heads or keeps
    them only for backward (``need_weights=False`` with dropout: a 3,000-token sequence made
    9,000,000 of them behind a 24,000-element result)."""
    query, key = (args[0], args[1]) if len(args) > 4 else (None, None)
    if not isinstance(query, torch.Tensor) or not isinstance(key, torch.Tensor):
        return None
    batch = int(query.shape[1]) if query.dim() == 3 else 1
    heads = int(args[4])
    return max(query.numel(), batch * heads * int(query.shape[0]) * int(key.shape[0]))


def _histogram_numel(args: Sequence[Any], kwargs: dict[str, Any]) -> int | None:
    """``histogram``: its bin edges, one more than the bins asked for (a count or the edges)."""
    bins = args[1] if len(args) > 1 else kwargs.get("bins", 100)
    if isinstance(bins, torch.Tensor):
        return bins.numel()
    try:
        return max(operator.index(bins), 0) + 1
    except TypeError:
        return None


def _batched_grad_numel(args: Sequence[Any], kwargs: dict[str, Any]) -> int | None:
    """``autograd.grad(..., is_grads_batched=True)``: one gradient per row of ``grad_outputs``."""
    batched = args[7] if len(args) > 7 else kwargs.get("is_grads_batched", False)
    if not batched:
        return None
    inputs = args[1] if len(args) > 1 else kwargs.get("inputs")
    grad_outputs = args[2] if len(args) > 2 else kwargs.get("grad_outputs")
    rows = [
        t.shape[0] for t in tree_flatten(grad_outputs)[0] if isinstance(t, torch.Tensor) and t.dim()
    ]
    sizes = [t.numel() for t in tree_flatten(inputs)[0] if isinstance(t, torch.Tensor)]
    return max(rows, default=1) * max(sizes, default=1)


def _einsum_steps_numel(args: Sequence[Any]) -> int | None:
    """The largest tensor ``einsum`` makes when it contracts three or more operands left to right.

    As PyTorch does (without opt_einsum): first each operand sums away the indices no other
    operand and not the output has; then each step keeps the indices still needed later.
    """
    operands = list(args[1:])
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = list(operands[0])
    if not args or not isinstance(args[0], str) or len(operands) <= 2:
        return None
    equation = args[0].replace(" ", "")
    if "..." in equation or not all(isinstance(t, torch.Tensor) for t in operands):
        raise SandboxViolation(
            "einsum with more than two operands needs an equation of letters, without '...'"
        )
    inputs, _, output = equation.partition("->")
    terms = inputs.split(",")
    if "->" not in equation:
        output = "".join(sorted(c for c in set(inputs) if inputs.count(c) == 1))
    if len(terms) != len(operands) or any(
        len(t) != op.dim() for t, op in zip(terms, operands, strict=False)
    ):
        return None  # einsum itself will explain the mistake
    sizes: dict[str, int] = {}
    for term, operand in zip(terms, operands, strict=True):
        for letter, size in zip(term, operand.shape, strict=True):
            sizes[letter] = max(sizes.get(letter, 1), int(size))

    def needed_after(k: int) -> set[str]:
        return set(output).union(*(set(t) for t in terms[k + 1 :]))

    kept = set(terms[0]) & needed_after(0)
    largest = 0
    for k in range(1, len(terms)):
        kept = (kept | set(terms[k])) & needed_after(k)
        largest = max(largest, math.prod(sizes[c] for c in kept))
    return largest


def _int_sum(values: torch.Tensor) -> int:
    with torch.no_grad():
        return int(values.to(torch.float64).clamp(min=0).sum().item())


def _advanced_index(args: Sequence[Any]) -> bool:
    """Does ``x[index]`` gather with tensors or lists (a copy that can be larger than ``x``)?"""
    index = args[1] if len(args) > 1 else None
    parts = index if isinstance(index, tuple) else (index,)
    return any(isinstance(part, (torch.Tensor, list)) for part in parts)


def _index_data(args: Sequence[Any]) -> list[Any]:
    """The lists in ``x[index]`` / ``x[index] = value`` that torch turns into tensors."""
    index = args[1] if len(args) > 1 else None
    parts = list(index) if isinstance(index, tuple) else [index]
    if len(args) > 2:
        parts.append(args[2])
    return [part for part in parts if isinstance(part, (list, tuple))]


def _broadcast_numel(args: Sequence[Any]) -> int | None:
    shapes = [a.shape for a in args if isinstance(a, torch.Tensor)]
    return broadcast_numel(shapes) if len(shapes) > 1 else None
