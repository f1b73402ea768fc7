"""Python's builtins: the names a program sees, what its plain values expose, what its classes
may define.

``GUARDED`` builtins are replaced by a guard of the runtime (``print`` writes into the
captured output, ``range`` is bounded, ``list`` counts what it consumes, ``type`` never hands
out a class that could build something unchecked...). ``UNAVAILABLE`` builtins are there only
to say so, with a hint, instead of a ``NameError`` that sends a student looking for a typo.
"""

from __future__ import annotations

import types

from app.hints import sandbox
from app.language.children import Children
from app.language.nesting import items_reader, keyed_reader
from app.language.records import Library, TypeRule, bound, names

# Builtins a program sees as they are.
PLAIN = names("""
    abs all any bool dict enumerate float int isinstance issubclass len max min reversed round
    zip map filter divmod next chr ord bin hex oct id callable slice object
    staticmethod classmethod property complex NotImplemented Ellipsis
    Exception ArithmeticError AssertionError AttributeError IndexError KeyError LookupError
    NameError NotImplementedError OverflowError RecursionError RuntimeError StopIteration
    TypeError ValueError ZeroDivisionError FloatingPointError
    Warning UserWarning DeprecationWarning FutureWarning RuntimeWarning
""")
# Builtins a program sees as a guard of the runtime: builtin name -> guard.
GUARDED: dict[str, str] = {
    "print": "print",
    "range": "range_type",
    "sorted": "counted_sorted",
    "list": "list_type",
    "tuple": "tuple_type",
    "set": "set_type",
    "frozenset": "frozenset_type",
    "hash": "checked_hash",
    "str": "str_type",
    "repr": "checked_repr",
    "sum": "checked_sum",
    "iter": "counted_iter",
    "pow": "checked_pow",
    "format": "checked_format",
    "type": "type_of",
    "getattr": "getattr",
    "hasattr": "hasattr",
    "setattr": "setattr",
}
# Builtins that stay out: each says so when called, with what to do instead.
UNAVAILABLE = {
    "open": sandbox.FILES,
    "input": sandbox.BUILTIN,
    "exec": sandbox.BUILTIN,
    "eval": sandbox.BUILTIN,
    "compile": sandbox.BUILTIN,
    "globals": sandbox.BUILTIN,
    "locals": sandbox.BUILTIN,
    "vars": sandbox.BUILTIN,
    "dir": sandbox.BUILTIN,
    "delattr": sandbox.BUILTIN,
    "breakpoint": sandbox.BUILTIN,
    "help": sandbox.BUILTIN,
    "exit": sandbox.BUILTIN,
    "quit": sandbox.BUILTIN,
    "memoryview": sandbox.BUILTIN,
    "bytearray": sandbox.BUILTIN,
    "bytes": sandbox.BUILTIN,
}

# Dunder attributes a program may read (where each may be read: ``attributes.py``).
READABLE_DUNDERS = names("__name__ __module__ __qualname__ __class__ __version__")
# Special methods a program's class may define: Python runs them when the program uses its
# objects (prints, adds, indexes, iterates, calls them), always as program code under the
# limits. Others would run program code behind the interpreter's back or where the limits do
# not reach (__getattr__, __getattribute__, __setattr__, __del__, __init_subclass__,
# __class_getitem__, __set_name__, __get__, __reduce__, __format__, __index__, __enter__...).
SPECIAL_METHODS = names("""
    __init__ __call__ __len__ __getitem__ __setitem__ __contains__ __iter__ __next__
    __repr__ __str__ __bool__ __hash__ __eq__ __ne__ __lt__ __le__ __gt__ __ge__
    __add__ __radd__ __sub__ __rsub__ __mul__ __rmul__ __truediv__ __rtruediv__
    __floordiv__ __rfloordiv__ __mod__ __pow__ __rpow__ __matmul__ __rmatmul__
    __neg__ __pos__ __abs__
""")

# Set methods that hash the items of their arguments (``s.update(xs)``).
_SET_ITEMS_METHODS = names("""update union intersection difference symmetric_difference issubset
    issuperset isdisjoint""")

BUILTINS = Library(
    name="builtins",
    modules=(),
    types=(
        TypeRule(
            (dict,),
            names("keys values items get pop popitem update copy setdefault clear fromkeys"),
            wrapped={"get": "keyed", "pop": "keyed", "setdefault": "keyed"},
        ),
        TypeRule(
            (list,),
            names("append extend pop insert index count reverse sort copy remove clear"),
            wrapped={"extend": "list_extend"},
        ),
        TypeRule(
            (str,),
            names("""upper lower strip lstrip rstrip split rsplit join startswith endswith title
            isdigit isalpha isalnum isspace islower isupper capitalize find rfind index count
            replace splitlines format partition"""),
            wrapped={"join": "str_join", "format": "str_format", "replace": "str_replace"},
        ),
        TypeRule((int, float), names("is_integer bit_length real imag conjugate")),
        TypeRule((tuple,), names("index count")),
        TypeRule(
            (set, frozenset),
            names("""add remove discard pop clear copy union intersection
        difference symmetric_difference issubset issuperset isdisjoint update"""),
            wrapped={
                "add": "keyed",
                "remove": "keyed",
                "discard": "keyed",
                **dict.fromkeys(_SET_ITEMS_METHODS, "keyed_items"),
            },
        ),
        TypeRule((range,), names("start stop step index count")),
        TypeRule((slice,), names("start stop step")),
        TypeRule((BaseException,), names("args")),
        TypeRule((Children, types.MappingProxyType), names("keys values items get")),
    ),
    refused={f"builtins.{name}": hint for name, hint in UNAVAILABLE.items()},
    # list.extend, str.join/format/replace bounded as the operators are (values.py)
    readers={
        "list_extend": bound(lambda runtime: runtime.values.list_extend),
        "str_join": bound(lambda runtime: runtime.values.str_join),
        "str_format": bound(lambda runtime: runtime.values.str_format),
        "str_replace": bound(lambda runtime: runtime.values.str_replace),
        "keyed": keyed_reader,  # what a dict or set hashes: its nesting checked first
        "keyed_items": items_reader,
    },
)
