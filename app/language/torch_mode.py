"""A TorchFunctionMode that bounds tensor sizes before allocation and lets observers watch calls.

Every torch function, tensor method and operator a program runs passes through
``ProgramMode.__torch_function__`` (PyTorch routes factories, methods, ``backward`` and
``autograd.grad`` through active modes). Before the call, ``result_size.py`` works out the size
of the result where it can exceed the inputs and the call is refused if it is over the limit;
after the call every tensor result is checked and counted towards the program's total.

While the mode is on, Python's own limit on integer text (``int('9' * 4300)``, ``str(n)``) is
the number of digits of the largest integer a program may make (``Limits.max_int_bits``):
an integer read from decimal text is checked before it is made, as ``*`` and ``**`` are.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Sequence
from typing import Any, Protocol, Self

import torch
from torch.overrides import (
    TorchFunctionMode,
    _get_current_function_mode,
    _pop_mode_temporarily,
)

from app.language.allowlist.torch import INDEX_MATRIX, PIECES, SIZES, UNINITIALISED
from app.language.errors import LimitExceeded, SandboxViolation
from app.language.live import LiveElements
from app.language.result_size import (
    elementwise_numel,
    index_matrix_numel,
    pieces,
    result_numel,
)
from app.language.values import ValueLimits
from app.limits import Limits
from app.tensor_print import current, printed_chars
from app.tensor_tree import tensors_in

# The only kinds of tensor a program may hold: CPU, strided, with a real dtype or complex64 /
# complex128. (A meta tensor has no values to show; complex32 is experimental in PyTorch; other
# devices are not here.) Complex values are shown as PyTorch prints them, never as JSON numbers.
_DTYPES = frozenset(
    [
        torch.bool,
        torch.uint8,
        torch.int8,
        torch.int16,
        torch.int32,
        torch.int64,
        torch.float16,
        torch.bfloat16,
        torch.float32,
        torch.float64,
        torch.complex64,
        torch.complex128,
    ]
)
# Every way a tensor becomes text (str, repr, print, f-strings, format) is one of these.
_PRINTS = frozenset(["__repr__", "__str__", "__format__"])
_STRIDED = torch.strided
# Elements of 8 bytes each dtype's element counts as: complex128's 16 bytes are two.
_UNITS = {dtype: max(1, dtype.itemsize // 8) for dtype in _DTYPES}
# The calls with a check before them besides their result's size (or with no size rule).
_SPECIAL = PIECES | INDEX_MATRIX | _PRINTS | UNINITIALISED
# Results that are exactly these classes are checked without a walk through ``tensors_in``.
_PLAIN_TENSORS = frozenset([torch.Tensor, torch.nn.Parameter])
# Arguments that add nothing to an elementwise result's size (``x * 2.0``, ``x ** 3``), known
# without an ``isinstance``.
_NUMBERS = frozenset([float, int, bool, type(None)])


class CallObserver(Protocol):
    """Watches torch calls a program makes (the graph capture implements this)."""

    def around(
        self, func: Callable[..., Any], name: str, args: Sequence[Any], kwargs: dict[str, Any]
    ) -> Any:
        """Run ``func(*args, **kwargs)`` (the real torch call) and return its result, observing
        what it does."""
        ...


class ProgramMode(TorchFunctionMode):
    """Size limits for every torch call of one program, plus hooks for an observer."""

    def __init__(
        self,
        limits: Limits,
        observer: CallObserver | None = None,
        live: LiveElements | None = None,
    ) -> None:
        super().__init__()
        self.limits = limits
        self.max_elements = limits.max_tensor_elements
        self.observer = observer
        self.live = live if live is not None else LiveElements(limits.max_live_elements)
        self.max_text_chars = ValueLimits(limits).max_text_chars
        self.max_int_digits = int_digits(limits.max_int_bits)
        self._digits_before: list[int] = []

    def __enter__(self) -> Self:
        self._digits_before.append(sys.get_int_max_str_digits())
        sys.set_int_max_str_digits(self.max_int_digits)
        super().__enter__()  # type: ignore[no-untyped-call]
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            super().__exit__(*exc)  # type: ignore[no-untyped-call]
        finally:
            sys.set_int_max_str_digits(self._digits_before.pop())

    def __torch_function__(
        self,
        func: Callable[..., Any],
        types: Sequence[type],
        args: Sequence[Any] = (),
        kwargs: dict[str, Any] | None = None,
    ) -> Any:
        kwargs = kwargs or {}
        name = getattr(func, "__name__", "")
        rule = SIZES.get(name)
        if rule == "pass":
            # Nothing to size, count or record: reading or writing a tensor attribute (.grad,
            # .data, .requires_grad, .T; the recorder tags a view's node when an operation
            # uses it), switching grad mode, the profiler marks around each optimizer step.
            # Over half of a training loop's torch calls are these.
            return func(*args, **kwargs)
        if rule is None and name not in _SPECIAL:
            # Most of the rest (arithmetic, math functions, reductions): no rule of their own,
            # so the result is at most the broadcast of the tensor arguments. That broadcast
            # has at most the product of their element counts (each dimension is at most the
            # product of theirs): for plain tensors, no more is needed unless that product is
            # over the limit. A tensor with no elements or of another class goes the exact way
            # (a product of 0 says nothing of the result); other arguments add nothing to it
            # (``elementwise_numel`` sizes by the tensor arguments alone).
            bound = 1
            for value in (*args, *kwargs.values()) if kwargs else args:
                kind = type(value)
                if kind in _PLAIN_TENSORS:
                    bound *= value.numel()
                elif kind not in _NUMBERS and isinstance(value, torch.Tensor):
                    bound = 0  # a tensor of another class: its own numel
                    break
            if not 0 < bound <= self.max_elements:
                if bound and not kwargs and len(args) == 2 and _same_shape(*args):  # y_pred - y
                    numel = args[0].numel()
                else:
                    numel = elementwise_numel(func, name, args, kwargs, self.max_elements)
                if numel is not None and numel > self.max_elements:
                    self._check_tensor(numel, name)
        else:
            self._check_before(func, name, args, kwargs)
        if self.observer is None:
            result = func(*args, **kwargs)
        else:
            result = self.observer.around(func, name, args, kwargs)
        if rule == "uncounted":
            return result
        if type(result) in _PLAIN_TENSORS:  # most results: one tensor, no walk
            self._check_result(result, name)
        else:
            for tensor in tensors_in(result):
                self._check_result(tensor, name)
        if name in UNINITIALISED and isinstance(result, torch.Tensor):
            _zero_new_memory(result, "out" in kwargs)
        return result

    def observe(
        self, func: Callable[..., Any], name: str, args: Sequence[Any], kwargs: dict[str, Any]
    ) -> Any:
        """Run a call that is not a torch call but makes autograd nodes (a program's own
        ``Function.apply``), letting the observer see it as it sees torch calls."""
        if self.observer is None:
            return func(*args, **kwargs)
        return self.observer.around(func, name, args, kwargs)

    def unrouted(
        self, func: Callable[..., Any], args: Sequence[Any], kwargs: dict[str, Any]
    ) -> Any:
        """Run a torch call that PyTorch makes without asking any mode as if it were routed
        here: sized, observed, its result checked (kind, size) and counted like any other.
        ``torch.from_numpy`` is one (no tensor argument, and not a factory modes see)."""
        if _get_current_function_mode() is not self:  # type: ignore[no-untyped-call]
            raise SandboxViolation(
                f"{getattr(func, '__name__', 'this call')} runs only while its program runs"
            )
        with _pop_mode_temporarily():  # as torch calls a mode: not itself active inside
            return self.__torch_function__(func, (), args, kwargs)

    # --- before the call ------------------------------------------------------------------------
    def _check_before(
        self, func: Callable[..., Any], name: str, args: Sequence[Any], kwargs: dict[str, Any]
    ) -> None:
        if name in _PRINTS and args and isinstance(args[0], torch.Tensor):
            self._check_text(args[0])
            return
        if name in PIECES:
            self._check_pieces(pieces(name, args, kwargs), name)
        if name in INDEX_MATRIX:
            self._check_index_matrix(index_matrix_numel(name, args, kwargs), name)
        numel = result_numel(func, name, args, kwargs, self.limits.max_tensor_elements)
        if numel is not None:
            self._check_tensor(numel, name)

    def _check_pieces(self, count: int | None, name: str) -> None:
        """Each tensor or list a call hands back counts as an element, even an empty one."""
        if count is not None and count > self.limits.max_tensor_elements:
            raise LimitExceeded(
                "tensor_elements",
                f"{name} would make {count:,} tensors or lists; "
                f"the limit is {self.limits.max_tensor_elements:,}",
            )

    def _check_index_matrix(self, numel: int | None, name: str) -> None:
        """The hidden matrix of a mask's indices is held, briefly, with all the program holds."""
        room = self.live.limit - self.live.count
        if numel is not None and numel > room:
            raise LimitExceeded(
                "live_elements",
                f"{name} would first list the indices of the mask's nonzero elements, "
                f"{numel:,} numbers, with {self.live.count:,} elements held; "
                f"the limit is {self.live.limit:,}",
            )

    def _check_tensor(self, numel: int, name: str) -> None:
        if numel > self.limits.max_tensor_elements:
            raise LimitExceeded(
                "tensor_elements",
                f"{name or 'this operation'} would make a tensor of {numel:,} elements; "
                f"the limit is {self.limits.max_tensor_elements:,}",
            )

    def _check_text(self, tensor: torch.Tensor) -> None:
        """Refuse to print a tensor whose text could be over the text limit, under the print
        options in force (a tensor of many short dimensions prints whole, 10 us an element)."""
        chars = printed_chars(tensor, current())
        if chars > self.max_text_chars:
            raise LimitExceeded(
                "sequence_length",
                f"the text of this tensor could be {chars:,} characters long; the limit is"
                f" {self.max_text_chars:,}",
            )

    # --- after the call -------------------------------------------------------------------------
    def _check_result(self, tensor: torch.Tensor, name: str) -> None:
        """A tensor a call made: of a kind the sandbox has, within the size limit, counted."""
        dtype = tensor.dtype
        # ``is_cpu`` is a tenth of the cost of ``device.type``; a subclass's own properties
        # (none a program can write, but a library's) get the full check.
        if not (
            type(tensor) in _PLAIN_TENSORS
            and tensor.is_cpu
            and tensor.layout == _STRIDED
            and dtype in _DTYPES
        ):
            _check_kind(tensor, name)
        numel = tensor.numel()
        if numel > self.max_elements:
            self._check_tensor(numel, name)
        if not tensor._is_view():  # a view holds no memory of its own
            # Counted in units of 8 bytes, as arrays are: a complex128 element is two.
            self.live.add(tensor, numel * _UNITS.get(dtype, 1))


def routed_backward(
    tensor: torch.Tensor,
    gradient: Any = None,
    retain_graph: Any = None,
    create_graph: Any = False,
    inputs: Any = None,
) -> Any:
    """``tensor.backward(...)``, handed to the program's mode as PyTorch hands it: the mode
    gets ``Tensor.backward`` and these arguments, and is off while it runs the call.

    ``Tensor.backward`` is a Python function: PyTorch reaches the mode through its Python
    dispatch (``handle_torch_function``: the arguments' classes looked up, a context manager
    to take the mode off), a fifth of what a light training loop's ``backward()`` costs here.
    Anywhere else (no program mode on top, a tensor of another class) it is PyTorch's own.
    """
    depth = torch._C._len_torch_function_stack()
    if depth and type(tensor) in _PLAIN_TENSORS and torch._C._is_torch_function_mode_enabled():
        mode = torch._C._get_function_stack_at(depth - 1)
        if type(mode) is ProgramMode:
            torch._C._pop_torch_function_stack()
            try:
                kwargs = {
                    "gradient": gradient,
                    "retain_graph": retain_graph,
                    "create_graph": create_graph,
                    "inputs": inputs,
                }
                return mode.__torch_function__(
                    torch.Tensor.backward, (type(tensor),), (tensor,), kwargs
                )
            finally:
                torch._C._push_on_torch_function_stack(mode)
    return torch.Tensor.backward(tensor, gradient, retain_graph, create_graph, inputs)  # type: ignore[no-untyped-call]


def _same_shape(first: Any, second: Any) -> bool:
    """Two plain tensors of one shape (an elementwise result of that shape, too)."""
    both = type(first) in _PLAIN_TENSORS and type(second) in _PLAIN_TENSORS
    return both and bool(first.shape == second.shape)


# A program holds it as ``x.backward``, a method of x: it prints as PyTorch's does.
routed_backward.__qualname__ = "Tensor.backward"


def _zero_new_memory(tensor: torch.Tensor, into_out: bool) -> None:
    """Zeros in the memory an 'empty' factory just handed out, which held whatever the
    allocator last freed: in a long-lived worker, an earlier program's values.

    A new tensor's whole storage is filled (the gaps an ``empty_strided`` leaves between its
    elements too) without touching the tensor, so it is plain PyTorch's in every other way:
    no graph node, ``_version`` 0. A tensor given as ``out=`` is the program's own, perhaps a
    view into a larger one: its elements become zeros, as ``torch.zeros(..., out=t)`` makes them.
    """
    with torch.no_grad():
        if into_out:
            tensor.zero_()
        else:
            tensor.untyped_storage().fill_(0)  # type: ignore[attr-defined]  # untyped in torch


def _check_kind(tensor: torch.Tensor, name: str) -> None:
    if tensor.device.type != "cpu":
        raise SandboxViolation(
            f"{name} made a tensor on device '{tensor.device.type}'; only CPU tensors are available"
        )
    if tensor.layout != torch.strided:
        raise SandboxViolation(
            f"{name} made a {tensor.layout} tensor; only dense tensors are available"
        )
    if tensor.dtype not in _DTYPES:
        raise SandboxViolation(
            f"{name} made a {tensor.dtype} tensor; that dtype is not available in this sandbox"
        )


def int_digits(max_bits: int) -> int:
    """Decimal digits of the largest integer of ``max_bits`` bits (1,234 for 4,096): the text
    ``int()`` may read and ``str()`` may write. Python takes no limit under 640."""
    return max(math.ceil(max_bits * math.log10(2)), 640)
