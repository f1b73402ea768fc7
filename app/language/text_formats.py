"""Python's text formatting, done one field at a time so that the text is bounded as it grows.

``'%s' % x``, ``template.format(...)`` and f-strings may name one long value many times
(``'{0}' * 1000``, ``'%(a)s' * 1000``): checking each argument's text is not enough. Here each
field is formatted by Python itself, alone, and the caller's ``grow(total, more)`` refuses the
text once its length is over the limit (``ValueLimits.grow_text``), before it is joined.
Widths and precisions of more than three digits, or read from the arguments (``*``), are
refused before anything is made.
"""

from __future__ import annotations

import collections
import string
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from app.language.errors import LimitExceeded, SandboxViolation

# How a caller bounds a text being built: the new total length, or a LimitExceeded.
Grow = Callable[[int, int], int]
# A template as string.Formatter parses it: (literal text, field, spec, conversion).
Fields = list[tuple[str, str | None, str | None, str | None]]

_FORMATTER = string.Formatter()
# The conversions of %-formatting, for text and for bytes (``b"%b"``), as Python reads them.
_PERCENT_TYPES = {
    "str": frozenset("sradiuoxXeEfFgGc"),
    "bytes": frozenset("bsradiuoxXeEfFgGc"),
}
_PERCENT_FLAGS = frozenset("-+ #0")
# The arguments %-formatting never takes as a mapping, though they have ``__getitem__``.
_NOT_MAPPINGS: dict[str, tuple[type, ...]] = {
    "str": (tuple, str, collections.deque),
    "bytes": (tuple, str, bytes, bytearray, collections.deque),
}
# Format widths and precisions of more than this many digits are refused (``f"{x:99999999}"``).
_MAX_WIDTH_DIGITS = 3


def check_width(spec: str) -> None:
    """Refuse a format spec with a width or precision of more than three digits."""
    digits = 0
    for char in spec:
        digits = digits + 1 if char.isdigit() else 0
        if digits > _MAX_WIDTH_DIGITS:
            raise LimitExceeded("sequence_length", f"format width '{spec}' is too large")


# --- str.format ---------------------------------------------------------------------------------


def plain_fields(template: str) -> Fields:
    """The fields of ``template``, if each is plain: ``{}``, ``{0}``, ``{name}``, ``{:.4f}``.
    A field that reaches into an attribute or item (``{0.x}``, ``{0[k]}``), a nested field in
    a format spec or a huge width is refused."""
    fields: Fields = list(_FORMATTER.parse(template))
    for _, field, spec, _ in fields:
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
    return fields


def str_format(fields: Fields, args: Sequence[Any], kwargs: Mapping[str, Any], grow: Grow) -> str:
    """``template.format(*args, **kwargs)`` for the ``plain_fields`` of a template: each field
    formatted by Python itself, the text bounded by ``grow`` as it grows."""
    parts: list[str] = []
    total, automatic, index = 0, None, 0
    for literal, field, spec, conversion in fields:
        parts.append(literal)
        total = grow(total, len(literal))
        if field is None:
            continue
        if field == "":
            if automatic is False:
                raise ValueError(
                    "cannot switch from manual field specification to automatic field numbering"
                )
            automatic, field, index = True, str(index), index + 1
        elif field.isdecimal():
            if automatic:
                raise ValueError(
                    "cannot switch from automatic field numbering to manual field specification"
                )
            automatic = False
        piece = _format_field(field, conversion, spec, args, kwargs)
        total = grow(total, len(piece))
        parts.append(piece)
    return "".join(parts)


def _format_field(
    field: str,
    conversion: str | None,
    spec: str | None,
    args: Sequence[Any],
    kwargs: Mapping[str, Any],
) -> str:
    """One plain field, as ``str.format`` formats it (looked up alone: formatting each field
    with the whole of ``kwargs`` would copy it every time)."""
    if field.isdecimal():
        index = int(field)
        if index >= len(args):
            raise IndexError(f"Replacement index {index} out of range for positional args tuple")
        value = args[index]
    else:
        value = kwargs[field]
    if conversion:
        value = _FORMATTER.convert_field(value, conversion)
    return format(value, spec or "")


# --- %-formatting ---------------------------------------------------------------------------------


def percent_format(kind: type[str | bytes], template: Any, args: Any, grow: Grow) -> Any:
    """``template % args`` for a ``str`` or ``bytes`` template, one field at a time as Python
    reads them (a mapping key with nested parentheses, flags, width, precision, a length
    modifier, the conversion), each field formatted by Python itself; the text is refused
    once it grows over the limit."""
    text = template.decode("latin-1") if kind is bytes else template
    # Python's own state: which argument comes next, and whether ``args`` is a mapping.
    arglen, argidx = (len(args), 0) if isinstance(args, tuple) else (-1, -2)
    # (as CPython asks: a type with a mapping subscript, which a deque lacks, and not these)
    not_mappings = _NOT_MAPPINGS[kind.__name__]
    is_mapping = hasattr(type(args), "__getitem__") and not isinstance(args, not_mappings)
    conversions = _PERCENT_TYPES[kind.__name__]
    current, parts, total, pos, end = args, [], 0, 0, len(text)
    while (start := text.find("%", pos)) >= 0:
        parts.append(template[pos:start])
        total = grow(total, start - pos)
        i = start + 1
        if i < end and text[i] == "%":
            parts.append(template[i : i + 1])
            total = grow(total, 1)
            pos = i + 1
            continue
        if i < end and text[i] == "(":
            if not is_mapping:
                raise TypeError("format requires a mapping")
            depth, i = 1, i + 1
            while depth and i < end:
                depth += {"(": 1, ")": -1}.get(text[i], 0)
                i += 1
            if depth:
                raise ValueError("incomplete format key")
            current, arglen, argidx = args[template[start + 2 : i - 1]], -1, -2
        spec_start = i
        while i < end and text[i] in _PERCENT_FLAGS:
            i += 1
        i = _percent_number(text, i)
        if i < end and text[i] == ".":
            i = _percent_number(text, i + 1)
        if i < end and text[i] in "hlL":
            i += 1
        if i >= end:
            raise ValueError("incomplete format")
        if argidx >= arglen:
            raise TypeError("not enough arguments for format string")
        value = current if arglen < 0 else args[argidx]
        argidx += 1
        char = text[i]
        if char not in conversions:
            shown = char if 31 <= ord(char) <= 126 or kind is bytes else "?"
            raise ValueError(
                f"unsupported format character '{shown}' ({ord(char):#x}) at index {i}"
            )
        piece = (template[start : start + 1] + template[spec_start : i + 1]) % (value,)
        total = grow(total, len(piece))
        parts.append(piece)
        pos = i + 1
    parts.append(template[pos:])
    grow(total, end - pos)
    if argidx < arglen and not is_mapping:
        raise TypeError(
            f"not all arguments converted during {'string' if kind is str else 'bytes'} formatting"
        )
    return template[:0].join(parts)


def _percent_number(text: str, i: int) -> int:
    """Past a %-format field's width or precision at ``i``: three digits at most, never ``*``."""
    start = i
    while i < len(text) and "0" <= text[i] <= "9":
        i += 1
    if i - start > _MAX_WIDTH_DIGITS or text.startswith("*", start):
        raise LimitExceeded("sequence_length", "format width in '%' formatting is too large")
    return i
