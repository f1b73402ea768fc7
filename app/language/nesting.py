"""How deep a value nests tuples, checked where a program hashes it.

Hashing a tuple hashes its items, in C, one call deeper per level and with no recursion
check: a tuple nested a million deep (``t = ((((t,),),),)`` nests several levels per loop
step) overflows the C stack when it is hashed, and the process dies. Where a program hashes a
value, its depth is checked first: ``hash(x)``, the key of ``d[k]``, ``{k: v}``, ``{k}`` and
their comprehensions, ``k in s``, ``set(xs)``, ``frozenset(xs)``, a dict's or set's methods
that take one key (``s.add(k)``, ``d.get(k)``) and a set's that take items (``s.update(xs)``).
The walk costs what the hash costs, once per distinct tuple of each level. Not checked
(docs/security.md): ``dict(pairs)``, ``d.update(pairs)``, ``dict.fromkeys(xs)``, ``Counter(xs)``.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from app.language.errors import LimitExceeded

_T = TypeVar("_T")


def shallow(value: _T, limit: int) -> _T:
    """``value``, if it nests tuples at most ``limit`` deep; else ``LimitExceeded``."""
    if not isinstance(value, tuple):
        return value
    level: dict[int, tuple[Any, ...]] = {id(value): value}
    depth = 1
    while level:
        if depth > limit:
            raise LimitExceeded(
                "nesting_depth",
                f"a tuple nested more than {limit} levels deep cannot be hashed here"
                " (as a dict key, a set member or by hash())",
            )
        inner: dict[int, tuple[Any, ...]] = {}
        for item in level.values():
            for child in item:
                if isinstance(child, tuple) and child:
                    inner[id(child)] = child
        level = inner
        depth += 1
    return value


class NestingCheck:
    """The checks a program's rewritten code and its ``hash`` builtin call."""

    def __init__(self, limit: int) -> None:
        self.limit = limit

    def key(self, value: _T) -> _T:
        """A value about to be hashed (a key, a member), checked (called for every subscript:
        anything but a tuple returns at once)."""
        if not isinstance(value, tuple):
            return value
        return shallow(value, self.limit)

    def hash(self, value: Hashable) -> int:
        """The builtin ``hash``, the value checked first."""
        return hash(shallow(value, self.limit))


def keyed_reader(runtime: Any) -> Callable[[Any, str], Callable[..., Any]]:
    """The reader of a dict's or set's method that hashes its first argument (``s.add(t)``,
    ``d.get(t)``): the method, that argument checked first."""
    key = runtime.nesting.key

    def read(obj: Any, name: str) -> Callable[..., Any]:
        method = getattr(obj, name)
        return lambda *args: method(key(args[0]), *args[1:]) if args else method()

    return read


def items_reader(runtime: Any) -> Callable[[Any, str], Callable[..., Any]]:
    """The reader of a set's method that hashes the items of its arguments (``s.update(xs)``,
    ``s.union(xs)``): each item checked as it is hashed (a set or dict is already hashed)."""
    key = runtime.nesting.key

    def read(obj: Any, name: str) -> Callable[..., Any]:
        method = getattr(obj, name)

        def checked(*others: Any) -> Any:
            return method(
                *(o if isinstance(o, (set, frozenset, dict)) else map(key, o) for o in others)
            )

        return checked

    return read
