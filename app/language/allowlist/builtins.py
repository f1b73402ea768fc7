"""Python's builtins: the names a program sees, and what its plain values expose.

``GUARDED`` builtins are replaced by a guard of the runtime (``print`` writes into the
captured output, ``range`` is bounded, ``list`` counts what it consumes, ...).
"""

from __future__ import annotations

from app.language.allowlist.library import Library, TypeRule, names

# Builtins a program sees as they are.
PLAIN = names("""
    abs all any bool dict enumerate float int isinstance len max min reversed round zip map filter
    frozenset divmod hash next chr ord bin hex
""")
# Builtins a program sees as a guard of the runtime: builtin name -> guard.
GUARDED: dict[str, str] = {
    "print": "print",
    "range": "bounded_range",
    "sorted": "counted_sorted",
    "list": "list_type",
    "tuple": "tuple_type",
    "set": "set_type",
    "str": "str_type",
    "repr": "checked_repr",
    "sum": "checked_sum",
    "iter": "counted_iter",
}

BUILTINS = Library(
    name="builtins",
    modules=(),
    types=(
        TypeRule((dict,), names("keys values items get pop update copy setdefault clear")),
        TypeRule(
            (list,),
            names("append extend pop insert index count reverse sort copy remove clear"),
            wrapped={"extend": "list_extend"},
        ),
        TypeRule(
            (str,),
            names("upper lower strip lstrip rstrip split join startswith endswith title isdigit"),
            wrapped={"join": "str_join"},
        ),
        TypeRule((int, float), names("is_integer bit_length real imag")),
        TypeRule((tuple,), names("index count")),
    ),
)
