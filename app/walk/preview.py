"""Tensor values as PyTorch prints them, abbreviated for large tensors."""

from __future__ import annotations

import dataclasses
import math
import weakref
from typing import Any

import torch

from app.graph_model import TensorValue
from app.tensor_print import DEFAULTS, default_options, shown_elements
from app.walk.tensor_text import (
    EDGE_ITEMS,
    SUMMARY_THRESHOLD,
    one_float32,
    summarised_text,
    summary_slices,
    tensor_text,
)

# PyTorch's own default: tensors over this many elements print abbreviated with "...".
_PRINT_THRESHOLD = SUMMARY_THRESHOLD
# What ``tensor_text`` prints as PyTorch does (tested against ``repr`` for each); any other
# dtype (complex, quantized, float8), layout (sparse) or device (meta) goes to ``repr``.
_OWN_PRINTER_DTYPES = frozenset(
    {
        torch.float32,
        torch.float64,
        torch.float16,
        torch.bfloat16,
        torch.int8,
        torch.int16,
        torch.int32,
        torch.int64,
        torch.uint8,
        torch.bool,
    }
)
_FEW = 16
# A preview's text is at most this long: every tensor of up to 1,000 elements prints whole
# ((1000, 1): 23,000 characters), while PyTorch prints a tensor of many short dimensions
# ([2] * 20) whole too: 28 MB. Longer text is cut, and says so.
MAX_TEXT_CHARS = 100_000
# All the previews of one graph together: past this many characters, each is cut short.
MAX_TOTAL_CHARS = 4_000_000
_SHORT = 200
# All the previews of a large graph (``LARGE_GRAPH_NODES`` nodes or more) together show at most
# this many numbers (formatting costs about 1.5 us a number: a 10,000-op chain of 100-number
# tensors had taken 7 s and 750 MB); past it, a tensor of more than ``SHORT_ELEMENTS`` elements
# is shown by its first ones only (``short_preview``): a large graph's answer stays compact, its
# small values whole. A smaller graph (a course's CNN: a few hundred tensors of thousands of
# numbers) shows every value as PyTorch prints it, within ``MAX_TOTAL_CHARS``.
MAX_TOTAL_ELEMENTS = 100_000
LARGE_GRAPH_NODES = 2_000
SHORT_ELEMENTS = 8
# Printing costs ~10 us per element shown (every 4-D tensor shows at most 7 ** 4 = 2,401,
# counting each "..." as one): a tensor that would show more is previewed by its
# leading part (its first index along the leading dimensions), and says so.
_MAX_SHOWN = 2_500


_DTYPE_NAMES: dict[torch.dtype, str] = {}


def dtype_name(dtype: torch.dtype) -> str:
    """``torch.float32`` -> ``"float32"``."""
    name = _DTYPE_NAMES.get(dtype)
    if name is None:
        name = _DTYPE_NAMES[dtype] = str(dtype).removeprefix("torch.")
    return name


def preview(tensor: torch.Tensor, max_elements: int, max_dims: int = 32) -> TensorValue:
    """The tensor's value: PyTorch's printed form, and its numbers if it has few elements.

    Called for every value and gradient a graph shows (thousands in a large graph), so it
    asks the tensor as little as it can: ``dtype`` flags instead of method calls, and
    ``detach()`` only for PyTorch's own printer (``tolist`` ignores autograd).

    A tensor of more than ``max_dims`` dimensions is shown by its shape and dtype only: its
    numbers would be lists nested as deep (``torch.ones([1] * 1100)``), deeper than JSON
    encoders and printers recurse.
    """
    with torch._C.DisableTorchFunction():
        shape = list(tensor.shape)
        kind = tensor.dtype
        dtype = dtype_name(kind)
        if len(shape) > max_dims:
            text = f"(a tensor of {len(shape):,} dimensions: values are shown up to {max_dims})"
            return TensorValue(text=text, data=None, shape=shape, dtype=dtype)
        numel = tensor.numel()
        if numel == 1 and max_elements >= 1 and not kind.is_complex and len(shape) <= max_dims:
            return _one_number(tensor.tolist(), shape, kind, dtype)
        if numel > _PRINT_THRESHOLD or kind.is_complex:
            plain = tensor.detach()
            text = printed(plain)
            values = plain.tolist() if numel <= max_elements else None
        else:
            values = tensor.tolist()
            text = tensor_text(values, shape, dtype, dtype_name(torch.get_default_dtype()))
        if len(text) > MAX_TEXT_CHARS:
            text = text[:MAX_TEXT_CHARS] + f"\n… (cut: {len(text):,} characters in all)"
        # JSON has no complex numbers: a complex tensor is shown by its printed text alone.
        data = values if numel <= max_elements and not kind.is_complex else None
        if data is not None and kind.is_floating_point and not _finite(tensor, data):
            data = _json_safe(data)
        return TensorValue(text=text, data=data, shape=shape, dtype=dtype)


# One-number previews by (dtype, shape, the number, the default dtype): a graph shows the
# same constant many times (each step of ``y * 1.001`` saves 1.001), and every ``tensor(1.)``.
_ONE_NUMBER: dict[tuple[Any, ...], TensorValue] = {}
_ONE_NUMBER_MAX = 4096


def _one_number(value: Any, shape: list[int], kind: torch.dtype, dtype: str) -> TensorValue:
    """The preview of a one-element tensor whose ``tolist()`` is ``value`` (any rank)."""
    while isinstance(value, list):
        value = value[0]
    default = torch.get_default_dtype()
    # float.hex tells -0.0 from 0.0 (equal as keys) and keeps NaN a key equal to itself.
    number = value.hex() if isinstance(value, float) else value
    key = (kind, tuple(shape), number, default)
    cached = _ONE_NUMBER.get(key)
    if cached is not None:
        return cached
    return _new_number(key, value, shape, dtype, default)


def _new_number(
    key: tuple[Any, ...], value: Any, shape: list[int], dtype: str, default: torch.dtype
) -> TensorValue:
    """``_one_number``'s preview, not cached yet (``key``: its key in the cache)."""
    if not shape and dtype == "float32" and default == torch.float32:  # the most common
        text = one_float32(value, 0)
        data: Any = value
    else:
        data = value
        for _ in shape:
            data = [data]
        text = tensor_text(data, shape, dtype, dtype_name(default))
    if isinstance(value, float) and not math.isfinite(value):
        data = _json_safe(data)
    made = TensorValue(text, data, shape, dtype)
    if len(_ONE_NUMBER) >= _ONE_NUMBER_MAX:
        _ONE_NUMBER.clear()
    _ONE_NUMBER[key] = made
    return made


def short_preview(tensor: torch.Tensor, max_dims: int = 32) -> TensorValue:
    """The tensor shown by its first ``SHORT_ELEMENTS`` numbers (flattened), with its real
    shape and dtype, ``data`` None and a text that says it is cut and why."""
    with torch._C.DisableTorchFunction():
        first = preview(tensor.detach().reshape(-1)[:SHORT_ELEMENTS], SHORT_ELEMENTS, max_dims)
        shape = list(tensor.shape)
        cut = f"\n… (the first {SHORT_ELEMENTS} of {tensor.numel():,}: a large graph)"
        return TensorValue(text=first.text + cut, data=None, shape=shape, dtype=first.dtype)


def printed(tensor: torch.Tensor) -> str:
    """``repr(tensor)`` under PyTorch's default print options, whatever the program set (its
    default dtype stays: PyTorch names a dtype only where it is not the default).

    A tensor PyTorch would show more than ``_MAX_SHOWN`` elements of is printed by its
    leading part (only the first index of as many leading dimensions as it takes: the same
    nesting, fewer rows), marked as cut.
    """
    part, dim = tensor, 0
    while dim < part.dim() and shown_elements(part.shape, DEFAULTS) > _MAX_SHOWN:
        part = part.narrow(dim, 0, 1)
        dim += 1
    own = part.dtype in _OWN_PRINTER_DTYPES and part.layout == torch.strided
    if own and part.device.type == "cpu":
        text = _own_print(part)
    else:
        with default_options():
            text = repr(part)
    if part is tensor:
        return text
    return text + f"\n… (cut: the first {part.numel():,} of {tensor.numel():,} elements)"


def _own_print(tensor: torch.Tensor) -> str:
    """``repr`` of a detached strided tensor of a dtype in ``_OWN_PRINTER_DTYPES`` under the
    default print options, by ``app/walk/tensor_text.py`` (a conv weight's summary: 0.2 ms,
    against PyTorch's 3 to 8 ms)."""
    shape = list(tensor.shape)
    dtype, default = dtype_name(tensor.dtype), dtype_name(torch.get_default_dtype())
    if tensor.numel() <= SUMMARY_THRESHOLD:
        return tensor_text(tensor.tolist(), shape, dtype, default)
    summary = tensor
    for dim, cut in enumerate(summary_slices(shape)):
        if cut:  # its first and last few, as PyTorch's summary shows them
            last = summary.narrow(dim, shape[dim] - EDGE_ITEMS, EDGE_ITEMS)
            summary = torch.cat([summary.narrow(dim, 0, EDGE_ITEMS), last], dim)
    return summarised_text(summary.tolist(), shape, dtype, default)


class Previewer:
    """``preview`` with memory: the same tensor, unchanged, is formatted once per program.

    A graph shows many values more than once (an op's saved input is another node's value;
    the gradient one node sends is the one the next receives). Entries hold their tensor by a
    weak reference: the memory never keeps a program's tensors (a long loop's gradients)
    alive, and an entry whose tensor is gone is never taken for a new one at its address.
    """

    def __init__(self, max_elements: int, max_dims: int = 32) -> None:
        self.max_elements = max_elements
        self.max_dims = max_dims
        self._seen: dict[int, tuple[weakref.ref[torch.Tensor], int, TensorValue]] = {}
        self.budgeted = False
        self.large = False  # a large graph's previews: numbers past MAX_TOTAL_ELEMENTS shown short
        self.text_chars = 0  # of every preview made since the budget started
        self.elements = 0  # numbers shown by those previews

    def __call__(self, tensor: torch.Tensor) -> TensorValue:
        if tensor.is_inference():  # no version counter to tell whether it changed
            return self._budgeted(self._made(tensor))
        version = tensor._version
        entry = self._seen.get(id(tensor))
        if entry is not None and entry[0]() is tensor and entry[1] == version:
            return entry[2]
        value = self._scalar(tensor) or self._budgeted(self._made(tensor))
        self._seen[id(tensor)] = (weakref.ref(tensor), version, value)
        return value

    def _scalar(self, tensor: torch.Tensor) -> TensorValue | None:
        """A 0-d tensor of a real dtype (a loss, a scalar's gradient, a constant): what
        ``_budgeted(_made(tensor))`` gives, in fewer calls (a 10,000-op chain makes 30,000 of
        them); None for any other tensor."""
        with torch._C.DisableTorchFunction():
            if tensor.dim() or self.max_elements < 1 or self.max_dims < 0:
                return None
            kind = tensor.dtype
            if kind.is_complex:
                return None
            value = tensor.tolist()
        default = torch.get_default_dtype()
        key = (kind, (), value.hex() if isinstance(value, float) else value, default)
        made = _ONE_NUMBER.get(key)
        if made is None:
            made = _new_number(key, value, [], dtype_name(kind), default)
        # Never cut by the budget of text (far shorter than _SHORT); one number.
        self.elements += self.large
        self.text_chars += len(made.text)
        return made

    def _made(self, tensor: torch.Tensor) -> TensorValue:
        """A new preview of ``tensor``: whole while the graph's numbers are within
        ``MAX_TOTAL_ELEMENTS``, then short for any tensor of more than ``SHORT_ELEMENTS``."""
        numel = tensor.numel()
        if not self.large:
            return preview(tensor, self.max_elements, self.max_dims)
        over = self.elements >= MAX_TOTAL_ELEMENTS
        if over and numel > SHORT_ELEMENTS and tensor.dim() <= self.max_dims:
            self.elements += SHORT_ELEMENTS
            return short_preview(tensor, self.max_dims)
        self.elements += min(numel, _MAX_SHOWN)
        return preview(tensor, self.max_elements, self.max_dims)

    def _budgeted(self, value: TensorValue) -> TensorValue:
        """``value``, its text cut short once the graph's previews are over ``MAX_TOTAL_CHARS``
        (6,000 nodes of 1,000 numbers each would make an answer of 50 MB). Counted from
        ``clear(budget=True)``, which extraction calls: a training loop's earlier passes,
        whose values the answer never shows, spend none of it."""
        if (
            self.budgeted
            and self.text_chars + len(value.text) > MAX_TOTAL_CHARS
            and len(value.text) > _SHORT
        ):
            cut = f"\n… (cut: this graph's values are over {MAX_TOTAL_CHARS:,} characters)"
            value = dataclasses.replace(value, text=value.text[:_SHORT] + cut)
        self.text_chars += len(value.text)
        return value

    def release(self) -> None:
        """The program has ended: forget every entry, and the one-number previews cached for
        it (kept, they would pin the worker's memory: after a 20,000-node graph, about 35 MiB
        of Python's arenas that the worker could not give back)."""
        self.clear()
        _ONE_NUMBER.clear()

    def clear(self, budget: bool = False, nodes: int = 0) -> None:
        """Forget every entry (and release the tensors); with ``budget``, start counting the
        text of the previews from here on, and their numbers for a graph of ``nodes`` nodes
        from ``LARGE_GRAPH_NODES`` on."""
        self._seen.clear()
        self.budgeted, self.text_chars, self.elements = budget, 0, 0
        self.large = budget and nodes >= LARGE_GRAPH_NODES


def _finite(tensor: torch.Tensor, values: Any) -> bool:
    """Whether every number is finite: in Python for a few numbers (a torch call costs more)."""
    if isinstance(values, float):
        return math.isfinite(values)
    if tensor.numel() <= _FEW:  # a 4x4 weight too: nested lists walked in Python
        rows = [values]
        for _ in range(tensor.dim() - 1):
            rows = [item for row in rows for item in row]
        return all(math.isfinite(v) for row in rows for v in row)
    return bool(tensor.isfinite().all())


def _json_safe(value: Any) -> Any:
    """JSON has no NaN or infinity: spell them as JavaScript's ``Number()`` reads them."""
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    return value
