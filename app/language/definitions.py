"""What a program defines: its functions, generator expressions and classes, kept under the limits.

A program's function may run later from inside a torch call (a tensor hook inside
``backward()``, a generator consumed by ``torch.tensor``), where PyTorch switches the
size-limit mode off; each wrapper switches the mode that was active when the function was
defined back on for its body, counts the call and bounds the depth of nested calls.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any

from torch import nn
from torch.overrides import _get_current_function_mode_stack

from app.language.allowlist.nn import OVERRIDABLE
from app.language.errors import LimitExceeded, SandboxViolation
from app.language.torch_mode import ProgramMode
from app.language.values import ValueLimits


class Definitions:
    """The functions and classes one program defines."""

    def __init__(self, values: ValueLimits) -> None:
        self.values = values
        self.call_depth = 0
        self.user_classes: set[type] = set()

    def function(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        """Wrap a program-defined function: count its calls, bound their depth, keep size limits on."""
        mode = _program_mode()
        values, limit = self.values, self.values.limits.max_call_depth

        @functools.wraps(fn)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            values.tick()
            self.call_depth += 1
            try:
                if self.call_depth > limit:
                    raise LimitExceeded("call_depth", f"calls nested more than {limit} deep")
                return _under(mode, fn, *args, **kwargs)
            finally:
                self.call_depth -= 1

        return guarded

    def lazy(self, generator: Iterator[Any]) -> Iterator[Any]:
        """Wrap a generator expression: its body, too, runs with the size limits on."""
        mode = _program_mode()

        def resumed() -> Iterator[Any]:
            while True:
                try:
                    item = _under(mode, next, generator)
                except StopIteration:
                    return
                yield item

        return resumed()

    def user_class(self, cls: type) -> type:
        """Accept a program-defined class only if it is an nn.Module that keeps PyTorch's methods."""
        if not issubclass(cls, nn.Module):
            raise SandboxViolation(f"class '{cls.__name__}' must subclass nn.Module")
        for name in vars(cls):
            if name.startswith("_") or name in OVERRIDABLE:
                continue
            for base in cls.__mro__[1:]:
                if base not in self.user_classes and name in vars(base):
                    raise SandboxViolation(
                        f"class '{cls.__name__}' may not redefine '{name}' of {base.__name__}; "
                        f"of nn.Module's methods only {', '.join(sorted(OVERRIDABLE))} may be defined"
                    )
        self.user_classes.add(cls)
        return cls

    def is_users(self, kind: type) -> bool:
        """Whether ``kind`` or one of its bases is a class the program defined."""
        return any(base in self.user_classes for base in kind.__mro__)


def _active_modes() -> list[Any]:
    """The torch-function modes active now (inside a torch call, its mode is not among them)."""
    modes: list[Any] = _get_current_function_mode_stack()  # type: ignore[no-untyped-call]
    return modes


def _program_mode() -> ProgramMode | None:
    """The size-limit mode of the program running now, if any."""
    modes = [m for m in _active_modes() if isinstance(m, ProgramMode)]
    return modes[-1] if modes else None


def _under(mode: ProgramMode | None, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)`` with ``mode`` switched on (torch switches it off inside its calls)."""
    if mode is None or mode in _active_modes():
        return fn(*args, **kwargs)
    with mode:
        return fn(*args, **kwargs)
