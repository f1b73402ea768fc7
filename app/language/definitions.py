"""What a program defines: its functions, generators, classes and decorators, kept under the limits.

A program's function may run later from inside a torch call (a tensor hook inside
``backward()``, the ``backward`` of its own autograd Function, a generator consumed by
``torch.tensor``), where PyTorch switches the size-limit mode off; each wrapper switches the
mode that was active when the function was defined back on for its body, counts the call and
bounds the depth of nested calls.

A program's class may build on ``object``, on ``nn.Module``, on ``torch.autograd.Function``
or on a ``torch.utils.data`` dataset (``allowlist/classes.py``). A class that builds on a
library class may define only the special methods that class lets it (an ``nn.Module`` keeps
PyTorch's own methods: graph extraction calls ``named_parameters()`` and ``repr()`` after the
program has ended, outside its limits, and must not run the program's code there).
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import weakref
from collections.abc import Callable, Iterator
from typing import Any

from torch.overrides import _get_current_function_mode_stack

from app.hints import sandbox
from app.language.allowlist.classes import BASES, DECORATORS, is_decorator
from app.language.errors import LimitExceeded, SandboxViolation
from app.language.torch_mode import ProgramMode
from app.language.values import ValueLimits


class Definitions:
    """The functions and classes one program defines."""

    def __init__(self, values: ValueLimits) -> None:
        self.values = values
        self.call_depth = 0
        self.user_classes: set[type] = set()
        self.finished = False  # the program has ended: none of its code may run again
        self._generators: list[weakref.ref[Iterator[Any]]] = []

    def function(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        """Wrap a program-defined function: count its calls, bound their depth, keep size limits on.

        A generator function's body runs later, a step at each ``next``: its generator is
        wrapped like a generator expression.
        """
        mode = program_mode()
        values, limit = self.values, self.values.limits.max_call_depth
        generator = inspect.isgeneratorfunction(fn)
        makes_text = getattr(fn, "__name__", "") in _TEXT_METHODS

        @functools.wraps(fn)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if self.finished:
                raise SandboxViolation("the program has ended: its functions no longer run")
            values.tick()
            self.call_depth += 1
            try:
                if self.call_depth > limit:
                    raise LimitExceeded("call_depth", f"calls nested more than {limit} deep")
                result = _under(mode, fn, *args, **kwargs)
            finally:
                self.call_depth -= 1
            if makes_text:
                values.count_program_text(result)
            return self._resumed(result, mode) if generator else result

        return guarded

    def lazy(self, generator: Iterator[Any]) -> Iterator[Any]:
        """Wrap a generator expression: its body, too, runs with the size limits on."""
        return self._resumed(generator, program_mode())

    def _resumed(self, generator: Iterator[Any], mode: ProgramMode | None) -> Iterator[Any]:
        self._generators.append(weakref.ref(generator))

        def resumed() -> Iterator[Any]:
            while True:
                try:
                    item = _under(mode, next, generator)
                except StopIteration:
                    return
                yield item

        return resumed()

    def finish(self) -> None:
        """The program has ended: close its generators now, under its limits (a suspended
        generator's ``finally`` would otherwise run when it is freed, after the answer, on the
        next request's time), then let none of its code run again."""
        mode = program_mode()
        for ref in self._generators:
            generator = ref()
            # What a generator raises as it closes is dropped, as Python drops it when it
            # closes one at the end of a program (a limit it meets stays sticky: errors.py).
            if generator is not None:
                with contextlib.suppress(Exception, SandboxViolation, LimitExceeded):
                    _under(mode, generator.close)  # type: ignore[attr-defined]
        self._generators.clear()
        self.finished = True

    def decorator(self, value: Any) -> Any:
        """A decorator the program applies: one of ``DECORATORS`` only."""
        if not is_decorator(value):
            raise SandboxViolation(
                f"'{getattr(value, '__name__', type(value).__name__)}' cannot be used as a"
                f" decorator here; available: {', '.join(DECORATORS)}",
                sandbox.DECORATOR,
            )
        return value

    def user_class(self, cls: type) -> type:
        """Accept a program-defined class if it builds on what ``BASES`` allows, as it allows."""
        library = [b for b in cls.__mro__[1:] if b not in self.user_classes and b is not object]
        if library:
            key = next((base for base in library if base in BASES), None)
            # Every library class in its ancestry is that base, a subclass of it (nn.Linear)
            # or one of the base's own ancestors.
            if key is None or not all(
                issubclass(base, key) or base in key.__mro__ for base in library
            ):
                raise SandboxViolation(
                    f"class '{cls.__name__}' may build on object, nn.Module,"
                    " torch.autograd.Function or a torch.utils.data dataset only",
                    sandbox.CLASS,
                )
            rule = BASES[key]
            for name in vars(cls):
                if name in rule.overridable or name in rule.made or name in _CLASS_MACHINERY:
                    continue
                dunder = name.startswith("__") and name.endswith("__")
                if dunder or any(name in vars(b) for b in library):
                    raise SandboxViolation(
                        f"class '{cls.__name__}' may not define '{name}' on {rule.name}; of its"
                        f" methods it may define {', '.join(sorted(rule.overridable))}",
                        sandbox.CLASS,
                    )
        self.user_classes.add(cls)
        return cls

    def is_users(self, kind: type) -> bool:
        """Whether ``kind`` or one of its bases is a class the program defined."""
        return any(base in self.user_classes for base in kind.__mro__)


# The methods whose text a print of a container repeats for every item.
_TEXT_METHODS = frozenset(["__str__", "__repr__"])
# What Python itself puts in every class body.
_CLASS_MACHINERY = frozenset(
    {
        "__module__",
        "__qualname__",
        "__doc__",
        "__dict__",
        "__weakref__",
        "__annotations__",
        "__firstlineno__",
        "__static_attributes__",
        "__parameters__",  # a class on a Generic base (torch's Dataset[T]) gets these
        "__orig_bases__",
    }
)


def _active_modes() -> list[Any]:
    """The torch-function modes active now (inside a torch call, its mode is not among them)."""
    modes: list[Any] = _get_current_function_mode_stack()  # type: ignore[no-untyped-call]
    return modes


def program_mode() -> ProgramMode | None:
    """The size-limit mode of the program running now, if any."""
    modes = [m for m in _active_modes() if isinstance(m, ProgramMode)]
    return modes[-1] if modes else None


def _under(mode: ProgramMode | None, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)`` with ``mode`` switched on (torch switches it off inside its calls)."""
    if mode is None or mode in _active_modes():
        return fn(*args, **kwargs)
    with mode:
        return fn(*args, **kwargs)
