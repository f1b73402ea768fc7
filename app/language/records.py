"""The shape of one library's record in the allowlist.

A record says, for one library a program may use: which modules it may import and which
names it may read on each (``ModuleRule``); what it may read and assign on each kind of object
the library makes (``TypeRule``); which of those names the runtime replaces with a guard of
its own (``wrapped``: the runtime's reader or guard of that name, ``app/language/runtime.py``);
what the program gets for each wrapped name (``readers``, made once per program from its
runtime); how the size of each call's result is predicted before it runs (``sizes``); which random
generator the determinism check watches (``random``); how its global settings are put back
after each program (``reset``); and, for names that stay out, what to tell the student
instead (``refused``).

Every step of an attribute path needs its own entry: ``torch.nn.functional.relu`` needs
``nn`` on torch, ``functional`` on torch.nn and ``relu`` on torch.nn.functional, because
libraries re-export modules (``torch.os``, ``numpy.ctypeslib``) under names without an
underscore.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING, Any, Literal

from app.hints.hint import Hint

if TYPE_CHECKING:
    from app.language.runtime import Runtime

Names = frozenset[str]


def names(text: str) -> Names:
    """The whitespace-separated names in ``text``."""
    return frozenset(text.split())


@dataclass(frozen=True)
class ModuleRule:
    """A module a program may import or reach, and the names it may read on it."""

    path: str  # as programs write it: "torch.nn.functional"
    names: Names
    # name -> guard that stands in for the library's own object (see guards.py)
    wrapped: Mapping[str, str] = field(default_factory=dict)
    # module-level flags a program may assign (``torch.backends.cudnn.deterministic = True``):
    # the library's ``reset`` puts each back after every program
    settable: Names = frozenset()


@dataclass(frozen=True)
class TypeRule:
    """Objects of ``types`` (and subclasses): the attributes a program may read and assign.

    ``set`` may hold ``"*"``: any name the library's class does not itself define (the
    program's own fields on ``ctx`` in a custom autograd Function). ``class_read`` are the
    names a program may read on the class itself (``MyFunction.apply``).
    """

    types: tuple[type, ...]
    read: Names
    set: Names = frozenset()
    wrapped: Mapping[str, str] = field(default_factory=dict)  # attribute -> reader
    class_read: Names = frozenset()
    class_wrapped: Mapping[str, str] = field(default_factory=dict)


# What a program gets for a wrapped name: called with the object the name was read on and the
# name, it returns what stands in for the library's own object.
Reader = Callable[[Any, str], Any]
# A library's readers are made once per program, from that program's runtime (its value
# limits, its random-number bookkeeping, its guards).
ReaderFactory = Callable[["Runtime"], Reader]


def given(value: Any) -> ReaderFactory:
    """The reader that gives ``value`` (a stand-in class, a checked function) for the name."""
    return lambda runtime: lambda obj, name: value


def made(make: Callable[[Runtime], Any]) -> ReaderFactory:
    """The reader that gives ``make(runtime)``, made once per program (a function that uses
    the program's limits or its random-number bookkeeping)."""

    def factory(runtime: Runtime) -> Reader:
        value = make(runtime)
        return lambda obj, name: value

    return factory


def limited(function: Callable[..., Any]) -> ReaderFactory:
    """The reader that gives ``function`` with the program's value limits (``ValueLimits``)
    as its first argument: a call sized before it runs."""
    return made(lambda runtime: functools.partial(function, runtime.values))


def bound(make: Callable[[Runtime], Callable[..., Any]]) -> ReaderFactory:
    """The reader that gives ``make(runtime)`` bound to the object the name was read on, as a
    method is (``items.extend`` -> ``list_extend(items, ...)``)."""

    def factory(runtime: Runtime) -> Reader:
        method = make(runtime)
        return lambda obj, name: functools.partial(method, obj)

    return factory


def never_the_same(runtime: Runtime) -> Reader:
    """The reader of a method whose every call differs from run to run (a seed from fresh
    entropy, the clock): each call marks the program as one never answered from the cache."""
    randomness = runtime.randomness

    def reader(obj: Any, name: str) -> Callable[..., Any]:
        method = getattr(obj, name)

        def called(*args: Any, **kwargs: Any) -> Any:
            randomness.made_generator(seeded=False)
            return method(*args, **kwargs)

        return called

    return reader


# How a torch call's result is sized before it runs (see app/language/result_size.py):
#   factory   from size arguments (zeros, randn...), else a dry run on the meta device
#   data      from the leaves of nested Python data (tensor, as_tensor...)
#   concat    the inputs' elements added up (cat, stack)
#   values    from the values of an argument (repeat_interleave, one_hot, batched grad, einsum)
#   matmul    from the shapes of a matrix product (else as meta)
#   index     x[i] / x[i] = v: lists in the index become tensors; tensor indices gather
#   meta      a dry run on meta copies of the inputs (ops that can grow)
#   nonzero   the (count, ndim) matrix of indices: the nonzero elements counted first
#   pass      not sized, counted or recorded (attribute reads, grad-mode switches)
#   uncounted not counted (printing, shape queries)
# Anything not listed is bounded by the broadcast of its tensor arguments; when one of them has
# no elements, which says nothing of the result (``torch.zeros(10**8, 0).sum(1)``), by a dry
# run on the meta device.
SizeRule = Literal[
    "factory",
    "data",
    "concat",
    "values",
    "matmul",
    "index",
    "meta",
    "nonzero",
    "pass",
    "uncounted",
]


@dataclass(frozen=True)
class RandomSource:
    """A global random generator programs draw from, which the determinism check watches.

    ``state()`` reads it (compared before and after the program), ``reseed(seed)`` starts it
    over before each program (``None``: from fresh entropy), and ``seed(value)`` is what the
    program's own seeding call does (``torch.manual_seed``, ``np.random.seed``...).
    """

    name: str
    state: Callable[[], Any]
    reseed: Callable[[int | None], None]
    seed: Callable[[Any], Any]


@dataclass(frozen=True)
class Library:
    """One library's part of the allowlist."""

    name: str
    modules: tuple[ModuleRule, ...]
    types: tuple[TypeRule, ...] = ()
    load: Callable[[str], ModuleType | None] = lambda path: None
    sizes: Mapping[str, SizeRule] = field(default_factory=dict)
    random: RandomSource | None = None
    # Modules and names that stay out, with what to tell the student instead: "os",
    # "numpy.load" (a module's name), "builtins.open" (a builtin).
    refused: Mapping[str, Hint] = field(default_factory=dict)
    # Puts back every global setting of the library a program may change (grad mode, default
    # dtype, print options...): run before and after each program, so nothing leaks.
    reset: Callable[[], None] = lambda: None
    # What the program gets for each name this record marks ``wrapped``, by the reader's name.
    readers: Mapping[str, ReaderFactory] = field(default_factory=dict)
