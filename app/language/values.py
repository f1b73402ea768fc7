"""Python values are bounded as tensors are: before a list, string or integer is built.

A list or string longer than the sequence limit is refused before it is built, and so is text
(``str``, ``repr``, ``print``, f-strings, ``%``, ``join``) whose size, estimated by walking the
value, is over ten times that limit, because nested lists that share sub-lists print far
longer than they are. Every loop iteration and every call of a program's function counts
towards one budget (``tick``).
"""

from __future__ import annotations

import operator
import re
import string
import types
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy as np
import torch
from torch import nn

from app.language.errors import _FIRST, _RECORDING, LimitExceeded, SandboxViolation
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
# A %-format field with a width or precision of four digits or more, or one read from the
# arguments (``*``); a mapping key (``%(name)``) may come first.
_PERCENT_WIDTH = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\*|\d{4,}|\d*\.(?:\*|\d{4,}))")
_FORMATTER = string.Formatter()
# Format widths and precisions of more than this many digits are refused (``f"{x:99999999}"``).
_MAX_WIDTH_DIGITS = 3
# Text may be this many times longer than the sequence limit (a printed list is longer than it).
_TEXT_FACTOR = 10
# Values whose printed form lists their items (the text-size walk looks inside them).
_CONTAINERS: tuple[type, ...] = (
    list,
    tuple,
    set,
    frozenset,
    dict,
    type({}.keys()),
    type({}.values()),
    type({}.items()),
)


class ValueLimits:
    """The bounds on one program's Python values, and its count of loop steps and calls."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.iterations = 0

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
        if _sized(left) and _sized(right):
            self._check_length(len(left) + len(right))
        return left + right

    def mul(self, left: Any, right: Any) -> Any:
        """``left * right`` with bounds on repeated sequences and on integer size."""
        self._check_product(left, right)
        return left * right

    def pow(self, base: Any, exponent: Any) -> Any:
        """``base ** exponent`` with a bound on the size of integer results."""
        if is_int(base) and is_int(exponent) and exponent > 0 and abs(base) > 1:
            self._check_int_bits(abs(base).bit_length() * exponent)
        return base**exponent

    def checked_pow(self, base: Any, exponent: Any, mod: Any = None) -> Any:
        """The builtin ``pow``: as ``**``, or with a modulus (which bounds the result)."""
        if mod is None:
            return self.pow(base, exponent)
        return pow(base, exponent, mod)

    def lshift(self, left: Any, right: Any) -> Any:
        """``left << right`` with a bound on the size of integer results."""
        if is_int(left) and is_int(right) and right > 0 and left != 0:
            self._check_int_bits(abs(left).bit_length() + right)
        return left << right

    def mod(self, left: Any, right: Any) -> Any:
        """``left % right``; for %-formatting, refuse huge field widths and huge arguments."""
        if isinstance(left, (str, bytes)):
            text = left.decode("latin-1") if isinstance(left, bytes) else left
            if _PERCENT_WIDTH.search(text):
                raise LimitExceeded(
                    "sequence_length", "format width in '%' formatting is too large"
                )
            self.check_text(right)
        return left % right

    def inplace(self, op: str, target: Any, value: Any) -> Any:
        """``target op= value`` with the same bounds as the plain operators."""
        if op == "*=":
            self._check_product(target, value)
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
            if _sized(seq) and is_int(count):
                self._check_length(len(seq) * max(count, 0))
        if is_int(left) and is_int(right):
            self._check_int_bits(abs(left).bit_length() + abs(right).bit_length())

    def _check_length(self, length: int) -> None:
        if length > self.limits.max_sequence_length:
            raise LimitExceeded(
                "sequence_length",
                f"a list or string of {length} items is over the limit of {self.limits.max_sequence_length}",
            )

    def _check_int_bits(self, bits: int) -> None:
        if bits > self.limits.max_int_bits:
            raise LimitExceeded(
                "int_size",
                f"an integer of about {bits} bits is over the limit of {self.limits.max_int_bits}",
            )

    def list_extend(self, target: list[Any], items: Iterable[Any]) -> None:
        if _sized(items):
            self._check_length(len(target) + len(items))  # type: ignore[arg-type]
        else:
            items = self.iter(items)
        target.extend(items)

    # --- text -------------------------------------------------------------------------------------
    @property
    def max_text_chars(self) -> int:
        """The longest text a program may make with str/repr/print/f-strings/%/join."""
        return self.limits.max_sequence_length * _TEXT_FACTOR

    def check_text(self, value: Any) -> None:
        """Refuse ``value`` if its printed form would be longer than the text limit."""
        size = _text_size(value, self.max_text_chars)
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
        for _, field, spec, _ in _FORMATTER.parse(template):
            if field is None:
                continue
            if "." in field or "[" in field:
                raise SandboxViolation(
                    f"the format field '{{{field}}}' reaches into an attribute or item; only"
                    " plain fields such as '{}', '{0}' or '{name}' are available here"
                )
            if spec and "{" in spec:
                raise SandboxViolation("nested format fields are not available here")
            check_width(spec or "")
        for value in (*args, *kwargs.values()):
            self.check_text(value)
        return template.format(*args, **kwargs)

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
        """``set`` that counts the items it consumes against the loop limit."""
        return set(self.iter(iterable))

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


def _text_size(value: Any, budget: int) -> int:
    """Roughly how many characters ``str(value)`` has, counted until it is over ``budget``.

    Walks containers, modules (their repr lists every child) and optimizers (their param
    groups) without recursion; a sub-list shared N times counts N times, as print repeats it,
    while a container met again inside itself counts once, as repr prints it as ``[...]``.
    """
    size = 0
    on_path: set[int] = set()
    stack: list[tuple[Any, bool]] = [(value, False)]
    while stack:
        item, leaving = stack.pop()
        if leaving:
            on_path.discard(id(item))
            continue
        children: Iterable[Any] = ()
        if isinstance(item, (str, bytes)):
            size += len(item) + 3
        elif isinstance(item, (bool, float, complex)) or item is None:
            size += 4
        elif isinstance(item, int):
            size += item.bit_length() // 4 + 1
        elif isinstance(item, torch.Tensor):
            size += 20 + 4 * min(item.numel(), 1000)
        elif isinstance(item, _CONTAINERS):
            container: Any = item
            size += 2 + 2 * len(container)
            children = list(container.items()) if isinstance(container, dict) else container
        elif isinstance(item, nn.Module):
            size += 40
            children = [m for m in item._modules.values() if m is not None]
        elif isinstance(item, torch.optim.Optimizer):
            size += 40
            children = item.param_groups
        elif isinstance(item, (types.GenericAlias, types.UnionType)):
            size += 10
            children = item.__args__
        else:
            size += 40
        if size > budget:
            return size
        if children:
            if id(item) in on_path:
                continue
            on_path.add(id(item))
            stack.append((item, True))
            stack.extend((child, False) for child in children)
    return size


def check_width(spec: str) -> None:
    """Refuse a format spec with a width or precision of more than three digits."""
    digits = 0
    for char in spec:
        digits = digits + 1 if char.isdigit() else 0
        if digits > _MAX_WIDTH_DIGITS:
            raise LimitExceeded("sequence_length", f"format width '{spec}' is too large")


def showable(text: str) -> str:
    """``text`` with lone surrogates (``chr(0xD800)``) written as escapes: they cannot be UTF-8."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


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
