"""Stand-ins for builtin types a program may call: they print and isinstance-check like the real
type, but calling one runs a guard of the active runtime (``list(x)`` counts what it consumes,
``torch.Tensor(n)`` goes through the size limits).

Made once per process, not per program: a class costs ~12 us to make and, being a cycle, more
to collect, and a program's namespace needs five of them. Each program's runtime makes itself
the active one (``activate``) right before the program runs.
"""

from __future__ import annotations

import collections
import contextvars
from collections.abc import Callable
from typing import Any, Protocol

import numpy as np
import torch
from torch.utils import data

from app.language.errors import SandboxViolation
from app.language.numpy_arrays import array


class GuardSource(Protocol):
    """What a stand-in calls: the active runtime's guard of a given name."""

    def guard(self, name: str) -> Callable[..., Any]:
        """The guard called ``name``."""
        ...


# The runtime whose namespace was made last in this thread (or task): the one running a
# program. A worker makes one namespace per program, right before running it.
_ACTIVE: contextvars.ContextVar[GuardSource] = contextvars.ContextVar("active_runtime")


def activate(runtime: GuardSource) -> None:
    """Make ``runtime`` the one the stand-ins call."""
    _ACTIVE.set(runtime)


def active() -> GuardSource:
    """The runtime running a program now."""
    return _ACTIVE.get()


class StandIn(type):
    """Metaclass of a builtin type's stand-in: calling it runs a guard, isinstance sees the real type."""

    real: type
    guard: Callable[..., Any]

    def __new__(mcs, name: str, bases: tuple[type, ...], ns: dict[str, Any]) -> StandIn:
        if any(isinstance(base, StandIn) for base in bases):
            raise TypeError(f"'{name}': '{bases[0].__name__}' cannot be subclassed in this sandbox")
        return super().__new__(mcs, name, bases, ns)

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        return cls.guard(*args, **kwargs)

    def __instancecheck__(cls, obj: Any) -> bool:
        return isinstance(obj, cls.real)

    def __subclasscheck__(cls, sub: type) -> bool:
        return issubclass(sub, cls.real)


def stand_in(real: type, guard_name: str) -> type:
    """A class that prints and isinstance-checks like ``real`` but builds values through the
    active runtime's guard ``guard_name``."""

    def guard(*args: Any, **kwargs: Any) -> Any:
        return _ACTIVE.get().guard(guard_name)(*args, **kwargs)

    ns: dict[str, Any] = {
        "real": real,
        "guard": staticmethod(guard),
        "__module__": real.__module__,
        "__qualname__": real.__qualname__,
        "__doc__": real.__doc__,
    }
    if hasattr(real, "__class_getitem__"):  # ``list[int]`` in annotations
        ns["__class_getitem__"] = classmethod(lambda cls, item: real[item])  # type: ignore[index]
    return StandIn(real.__name__, (), ns)


def opaque(real: type) -> type:
    """A class that prints and isinstance-checks like ``real`` but cannot be called: what
    ``type(x)`` gives for classes a program may look at but not use to build things
    (``type(x.grad_fn)``, ``type(print)``). One per class, so ``type(a) == type(b)`` holds."""
    made = _OPAQUE.get(real)
    if made is None:

        def refuse(*args: Any, **kwargs: Any) -> Any:
            raise SandboxViolation(f"calling the class '{real.__name__}' is not available here")

        ns: dict[str, Any] = {
            "real": real,
            "guard": staticmethod(refuse),
            "__module__": real.__module__,
            "__qualname__": real.__qualname__,
        }
        made = _OPAQUE[real] = StandIn(real.__name__, (), ns)
    return made


_OPAQUE: dict[type, type] = {}

RANGE = stand_in(range, "bounded_range")
LIST = stand_in(list, "counted_list")
TUPLE = stand_in(tuple, "counted_tuple")
SET = stand_in(set, "counted_set")
FROZENSET = stand_in(frozenset, "counted_frozenset")
STR = stand_in(str, "checked_str")
DEQUE = stand_in(collections.deque, "counted_deque")
TENSOR = stand_in(torch.Tensor, "legacy_tensor")
DATA_LOADER = stand_in(data.DataLoader, "data_loader")
NDARRAY = opaque(np.ndarray)  # np.ndarray(shape) would allocate without a size check
# The stand-in ``type(x)`` gives for an object of each of these classes.
STAND_INS: dict[type, type] = {
    range: RANGE,
    list: LIST,
    tuple: TUPLE,
    set: SET,
    frozenset: FROZENSET,
    str: STR,
    collections.deque: DEQUE,
    torch.Tensor: TENSOR,
    data.DataLoader: DATA_LOADER,
    array: NDARRAY,
    np.ndarray: NDARRAY,
}
