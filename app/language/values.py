"""Python values are bounded as tensors are: before a list, string or integer is built.

A list or string longer than the sequence limit is refused before it is built, and so is text
(``str``, ``repr``, ``print``, f-strings, ``%``, ``join``) whose size, estimated by walking the
value, is over ten times that limit, because nested lists that share sub-lists print far
longer than they are. Every loop iteration and every call of a program's function counts
towards one budget (``tick``).
"""

from __future__ import annotations

import collections
import operator
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy as np
import torch

from app.language.errors import _FIRST, _RECORDING, LimitExceeded, SandboxViolation
from app.language.nesting import shallow
from app.language.text_formats import check_width, percent_format, plain_fields, str_format
from app.language.text_size import text_size
from app.limits import Limits

_INPLACE_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "+=": operator.iadd,
    "-=": operator.isub,
    "*=": operator.imul,
    "/=": operator.itruediv,
    "//=": operator.ifloordiv,
    "%=": operator.imod,
    "**=": operator.ipow,
    "@=": operator.imatmul,
    "&=": operator.iand,
    "|=": operator.ior,
    "^=": operator.ixor,
    "<<=": operator.ilshift,
    ">>=": operator.irshift,
}
# The augmented assignments that can grow no value beyond what their operands are (tensors
# are sized by the torch mode): run as they are.
_UNBOUNDED_INPLACE = {
    op: function
    for op, function in _INPLACE_OPS.items()
    if op not in ("*=", "+=", "**=", "<<=", "%=")
}
# Sequences whose length their class reports truly (a program's class may report any).
_TRUE_LENGTHS = (list, tuple, str, bytes, range, collections.deque)
# Text may be this many times longer than the sequence limit (a printed list is longer than it).
_TEXT_FACTOR = 10
# What a program's own __str__ and __repr__ may return in all, in text limits.
_PROGRAM_TEXT_FACTOR = 20


class ValueLimits:
    """The bounds on one program's Python values, and its count of loop steps and calls."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.iterations = 0
        self.program_text = 0  # characters the program's own __str__/__repr__ returned

    # One budget per program: a stand-in that holds it (the program's ``itertools.chain``, a
    # bound method) copied by ``copy.copy`` / ``copy.deepcopy`` still counts against it.
    def __copy__(self) -> ValueLimits:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> ValueLimits:
        return self

    # --- loop steps and calls --------------------------------------------------------------------
    def tick(self) -> bool:
        """Count one loop iteration or call; raise once the program's total is over the limit,
        or again the refusal or limit the program already met (it is never gone past)."""
        if _FIRST and _RECORDING[0]:
            raise _FIRST[0]
        self.iterations += 1
        if self.iterations > self.limits.max_loop_iterations:
            raise LimitExceeded(
                "loop_iterations",
                f"program ran more than {self.limits.max_loop_iterations} loop iterations "
                "and function calls in total",
            )
        return True

    def iter(self, iterable: Iterable[Any]) -> Iterator[Any]:
        """Iterate ``iterable``, counting every step against the loop limit."""
        for item in iterable:
            self.tick()
            yield item

    # --- operators that can grow Python values ---------------------------------------------------
    def add(self, left: Any, right: Any) -> Any:
        """``left + right`` with a bound on the length of concatenated sequences."""
        if (type(left), type(right)) in _NUMERIC_PAIRS:  # tensor or float arithmetic
            return left + right
        if _sized(left) and _sized(right):
            self._check_length(len(left) + len(right))
        return left + right

    def mul(self, left: Any, right: Any) -> Any:
        """``left * right`` with bounds on repeated sequences and on integer size."""
        if (type(left), type(right)) in _NUMERIC_PAIRS:  # tensor or float arithmetic
            return left * right
        self._check_product(left, right)
        return left * right

    def pow(self, base: Any, exponent: Any) -> Any:
        """``base ** exponent`` with a bound on the size of integer results."""
        if type(base) in _TENSORS and type(exponent) in _EXPONENTS:
            # What ``Tensor.__pow__`` runs, minus its detour through Python's torch-function
            # dispatch (half the time of ``x ** 2`` under the torch mode, which sizes it).
            return torch._C.TensorBase.pow(base, exponent)
        if (
            isinstance(base, _INTEGERS)
            and isinstance(exponent, _INTEGERS)
            and exponent > 0
            and abs(int(base)) > 1
        ):
            self.check_int_bits(_bits(base) * int(exponent))
        return base**exponent

    def checked_pow(self, base: Any, exponent: Any, mod: Any = None) -> Any:
        """The builtin ``pow``: as ``**``, or with a modulus (which bounds the result)."""
        if mod is None:
            return self.pow(base, exponent)
        return pow(base, exponent, mod)

    def lshift(self, left: Any, right: Any) -> Any:
        """``left << right`` with a bound on the size of integer results."""
        if isinstance(left, _INTEGERS) and isinstance(right, _INTEGERS) and right > 0 and left:
            self.check_int_bits(_bits(left) + int(right))
        return left << right

    def mod(self, left: Any, right: Any) -> Any:
        """``left % right``; %-formatting is done a field at a time, its text bounded as it grows."""
        kind: type[str | bytes]
        if isinstance(left, str):
            kind = str
        elif isinstance(left, bytes):
            kind = bytes
        else:
            return left % right
        # (as Any: typeshed does not list the slot wrappers str and bytes have for '%')
        own: Any = kind
        left_type: Any = type(left)
        right_type: Any = type(right)
        reflected = isinstance(right, kind) and right_type.__rmod__ is not own.__rmod__
        if left_type.__mod__ is not own.__mod__ or reflected:  # another class's own '%'
            raise SandboxViolation(
                f"'%' formatting with a '{type(left).__name__}' and a"
                f" '{type(right).__name__}' is not available here"
            )
        self.check_text(right)
        return percent_format(kind, left, right, self.grow_text)

    def inplace(self, op: str, target: Any, value: Any) -> Any:
        """``target op= value`` with the same bounds as the plain operators."""
        unbounded = _UNBOUNDED_INPLACE.get(op)  # ``w -= lr * w.grad``: nothing to bound
        if unbounded is not None:
            return unbounded(target, value)
        if op == "*=":
            self._check_product(target, value)
        elif op == "+=" and type(target) in (list, collections.deque):
            self._extend(target.extend, target, value)  # what a list's or deque's += does
            return target
        elif op == "+=" and _sized(target):
            self._check_length(len(target) + _length_hint(value))
        elif op == "**=":
            return self.pow(target, value)
        elif op == "<<=":
            return self.lshift(target, value)
        elif op == "%=":
            return self.mod(target, value)
        return _INPLACE_OPS[op](target, value)

    def _check_product(self, left: Any, right: Any) -> None:
        for seq, count in ((left, right), (right, left)):
            if _sized(seq):
                times = as_count(count)  # a repeat count may be np.int64 or a tensor
                if times is not None:
                    self._check_length(len(seq) * max(times, 0))
        if isinstance(left, _INTEGERS) and isinstance(right, _INTEGERS):
            self.check_int_bits(_bits(left) + _bits(right))

    def _check_length(self, length: int) -> None:
        if length > self.limits.max_sequence_length:
            raise LimitExceeded(
                "sequence_length",
                f"a list or string of {length} items is over the limit of {self.limits.max_sequence_length}",
            )

    def check_int_bits(self, bits: float) -> None:
        """Refuse an integer result of about ``bits`` bits, if that is over the limit."""
        if bits > self.limits.max_int_bits:
            raise LimitExceeded(
                "int_size",
                f"an integer of about {int(bits)} bits is over the limit of"
                f" {self.limits.max_int_bits}",
            )

    def list_extend(self, target: list[Any] | collections.deque[Any], items: Iterable[Any]) -> None:
        """``target.extend(items)``, a list's or a deque's, with the sequence limit on the result."""
        self._extend(target.extend, target, items)

    def deque_extendleft(self, target: collections.deque[Any], items: Iterable[Any]) -> None:
        """``deque.extendleft(items)``, bounded as ``extend`` is."""
        self._extend(target.extendleft, target, items)

    def counted_deque(self, iterable: Iterable[Any] = (), maxlen: int | None = None) -> Any:
        """``collections.deque(iterable, maxlen)``: filled as ``extend`` fills it."""
        made: collections.deque[Any] = collections.deque(maxlen=maxlen)
        self._extend(made.extend, made, iterable)
        return made

    def _extend(
        self,
        extend: Callable[[Iterable[Any]], None],
        target: list[Any] | collections.deque[Any],
        items: Iterable[Any],
    ) -> None:
        """Grow ``target`` by ``items``: a sequence whose length is known is checked first (a
        deque keeps at most ``maxlen`` items), any other iterable is counted as it is read."""
        if isinstance(items, _TRUE_LENGTHS):
            length = len(target) + len(items)
            maxlen = target.maxlen if isinstance(target, collections.deque) else None
            self._check_length(length if maxlen is None else min(length, maxlen))
        else:
            items = self.iter(items)
        extend(items)

    # --- text -------------------------------------------------------------------------------------
    @property
    def max_text_chars(self) -> int:
        """The longest text a program may make with str/repr/print/f-strings/%/join."""
        return self.limits.max_sequence_length * _TEXT_FACTOR

    def grow_text(self, total: int, more: int) -> int:
        """``total + more``: the length of a text being built, refused once over the limit."""
        total += more
        if total > self.max_text_chars:
            raise LimitExceeded(
                "sequence_length",
                f"the text being built would be over {self.max_text_chars} characters long",
            )
        return total

    def fstring(self, *parts: str) -> str:
        """An f-string's pieces (its text and its formatted fields), joined once their total
        length is known to be under the text limit."""
        total = 0
        for part in parts:
            total = self.grow_text(total, len(part))
        return "".join(parts)

    def count_program_text(self, text: Any) -> None:
        """Count what a program's own ``__str__`` or ``__repr__`` returned: a container prints
        each of its items' text, which no estimate made beforehand can know (a list of 300
        objects whose ``__repr__`` is a long text), so the program's total is bounded."""
        if isinstance(text, str):
            self.program_text += len(text)
            limit = self.max_text_chars * _PROGRAM_TEXT_FACTOR
            if self.program_text > limit:
                raise LimitExceeded(
                    "sequence_length",
                    f"the program's own __str__ and __repr__ made over {limit:,} characters",
                )

    def check_text(self, value: Any) -> None:
        """Refuse ``value`` if its printed form would be longer than the text limit."""
        size = text_size(value, self.max_text_chars)
        if size > self.max_text_chars:
            raise LimitExceeded(
                "sequence_length",
                f"the text of this value would be over {self.max_text_chars} characters long",
            )

    def format(self, value: Any) -> Any:
        """An f-string value: checked like ``str(value)``, then formatted as usual."""
        self.check_text(value)
        return value

    def checked_format(self, value: Any, spec: str = "") -> str:
        """The builtin ``format(value, spec)``: the same bounds as an f-string field."""
        if not isinstance(spec, str):
            raise TypeError("format() argument 2 must be str")
        check_width(spec)
        self.check_text(value)
        return format(value, spec)

    def str_format(self, template: str, *args: Any, **kwargs: Any) -> str:
        """``template.format(...)`` with plain fields only: ``{}``, ``{0}``, ``{name}``,
        ``{:.4f}``. A field that reaches into an attribute or item (``{0.x}``, ``{0[k]}``), a
        nested field in a format spec or a huge width is refused."""
        fields = plain_fields(template)
        for value in (*args, *kwargs.values()):
            self.check_text(value)
        return str_format(fields, args, kwargs, self.grow_text)

    def str_replace(self, text: str, old: str, new: str, count: int = -1) -> str:
        """``text.replace(old, new)`` with the text limit on the result."""
        if isinstance(old, str) and isinstance(new, str) and len(new) > len(old):
            times = text.count(old) if old else len(text) + 1
            if count >= 0:
                times = min(times, count)
            length = len(text) + times * (len(new) - len(old))
            if length > self.max_text_chars:
                raise LimitExceeded(
                    "sequence_length",
                    f"replaced text of {length} characters is over the limit of"
                    f" {self.max_text_chars}",
                )
        return text.replace(old, new, count)

    def message(self, value: Any) -> str:
        """An ``assert`` message: checked like ``str(value)``, and made valid Unicode to show."""
        self.check_text(value)
        return showable(str(value))

    def str_join(self, separator: str, items: Iterable[Any]) -> str:
        parts = items if isinstance(items, (list, tuple)) else list(self.iter(items))
        length = sum(len(p) for p in parts if isinstance(p, str)) + len(separator) * max(
            len(parts) - 1, 0
        )
        if length > self.max_text_chars:
            raise LimitExceeded(
                "sequence_length",
                f"joined text of {length} characters is over the limit of {self.max_text_chars}",
            )
        return separator.join(parts)

    # --- builtins that could build big values ---------------------------------------------------
    def bounded_range(self, *args: int) -> range:
        """``range`` whose length stays under the loop limit."""
        result = range(*args)
        if len(result) > self.limits.max_loop_iterations:
            raise LimitExceeded(
                "loop_iterations",
                f"range of {len(result)} numbers is over the limit of {self.limits.max_loop_iterations}",
            )
        return result

    def counted_list(self, iterable: Iterable[Any] = ()) -> list[Any]:
        """``list`` that counts the items it consumes against the loop limit."""
        return [item for item in self.iter(iterable)]

    def counted_tuple(self, iterable: Iterable[Any] = ()) -> tuple[Any, ...]:
        """``tuple`` that counts the items it consumes against the loop limit."""
        return tuple(self.iter(iterable))

    def counted_set(self, iterable: Iterable[Any] = ()) -> set[Any]:
        """``set`` that counts the items it consumes against the loop limit (and checks how
        deep each nests: ``nesting.py``)."""
        depth = self.limits.max_nesting_depth
        return {shallow(item, depth) for item in self.iter(iterable)}

    def counted_sorted(
        self, iterable: Iterable[Any], *, key: Any = None, reverse: bool = False
    ) -> list[Any]:
        """``sorted`` that counts the items it consumes against the loop limit."""
        return sorted(self.iter(iterable), key=key, reverse=reverse)

    def counted_iter(self, *args: Any) -> Iterator[Any]:
        """``iter(x)`` and ``iter(f, sentinel)``, each step counted (the second form never ends)."""
        return self.iter(iter(*args))

    def checked_str(self, *args: Any, **kwargs: Any) -> str:
        """``str`` with the text limit."""
        if args:
            self.check_text(args[0])
        return str(*args, **kwargs)

    def checked_repr(self, value: Any) -> str:
        """``repr`` with the text limit."""
        self.check_text(value)
        return repr(value)

    def checked_sum(self, iterable: Iterable[Any], /, start: Any = 0) -> Any:
        """``sum``; adding up lists or tuples goes through ``+`` with its length limit."""
        if not _sized(start) or isinstance(start, (str, bytes)):  # sum() refuses strings itself
            return sum(iterable, start)
        total = start
        for item in self.iter(iterable):
            total = self.add(total, item)
        return total


def showable(text: str) -> str:
    """``text`` with lone surrogates (``chr(0xD800)``) written as escapes: they cannot be UTF-8."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# Integers that can meet a Python int in '*' or '<<' (bool is an int; NumPy's are not).
_INTEGERS = (int, np.integer)


def _bits(value: int | np.integer[Any]) -> int:
    return abs(int(value)).bit_length()


def as_count(value: Any) -> int | None:
    """``value`` as the whole number Python would repeat a sequence by (``operator.index``:
    an int, a bool, ``np.int64``, a one-element integer tensor), or None if it is none."""
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float) or not hasattr(type(value), "__index__"):
        return None
    try:
        return operator.index(value)
    except (TypeError, ValueError, RuntimeError):
        return None


# Operands of '+' and '*' that build no sequence and no integer when one is of the
# first kind: the torch mode sizes a tensor result, a float is a float. (Exact classes: a
# subclass may define its own operators.)
_TENSORS = frozenset([torch.Tensor, torch.nn.Parameter])
_TENSORS_AND_FLOATS = _TENSORS | {float}
_EXPONENTS = frozenset([int, float])
_NUMBERS = _TENSORS_AND_FLOATS | {int, bool}


# The pairs of operand classes whose ``+`` and ``*`` need no check of their own: a tensor or a
# float with any number (a training loop's every line is tensor and float arithmetic).
_NUMERIC_PAIRS = frozenset(
    (left, right)
    for left in _NUMBERS
    for right in _NUMBERS
    if left in _TENSORS_AND_FLOATS or right in _TENSORS_AND_FLOATS
)


def _sized(value: Any) -> bool:
    """A sequence-like value whose ``+`` and ``*`` build a longer one (lists, strings, Sequential...)."""
    return hasattr(type(value), "__len__") and not isinstance(
        value, (torch.Tensor, np.ndarray, dict, set, frozenset)
    )


def _length_hint(value: Any) -> int:
    try:
        return len(value)
    except TypeError:
        return 0
