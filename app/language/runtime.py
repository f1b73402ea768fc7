"""The only names a program sees, and the guards its rewritten code calls.

``compile_program`` rewrites every attribute read to ``_ag_getattr(obj, "name")``, every
attribute write to ``_ag_setattr``, every loop iterable to ``_ag_iter``, every f-string value
to ``_ag_format`` and so on (``rewrite.py``). A ``Runtime`` is one program's state, made of a
part per concern, each in a module of its own:

- ``values.py``: Python values bounded before they are built; the loop and call budget;
- ``output.py``: what the program prints;
- ``definitions.py``: the program's functions and classes, kept under the limits;
- ``attributes.py``: attribute reads and writes and imports, by the allowlist's records;
- ``randomness.py``: whether the program is reproducible.

``namespace()`` gives the program its globals: the safe builtins, the guards in place of the
builtins that could build big values, and the helpers, whose names start with an underscore,
which the checks forbid in programs, so a program cannot reach or replace them.
"""

from __future__ import annotations

import builtins
import functools
from collections.abc import Callable
from typing import Any

import torch

from app.hints.hint import Hint
from app.language.allowlist import ALLOWLIST
from app.language.allowlist.builtins import GUARDED, PLAIN, UNAVAILABLE
from app.language.allowlist.torch import GRAD_MODES
from app.language.attributes import Attributes, Reader
from app.language.definitions import Definitions
from app.language.errors import SandboxViolation
from app.language.output import Output
from app.language.randomness import RandomWatch
from app.language.rewrite import HELPER_PREFIX
from app.language.stand_ins import LIST, SET, STR, TENSOR, TUPLE, activate
from app.language.values import ValueLimits, is_int
from app.limits import Limits


class Runtime:
    """One program run: its limits, output, definitions, attribute guard and random state."""

    def __init__(self, limits: Limits, on_bind: Callable[[str, Any], None] | None = None) -> None:
        self.limits = limits
        self.on_bind = on_bind
        self.values = ValueLimits(limits)
        self.output = Output(self.values)
        self.definitions = Definitions(self.values)
        self.randomness = RandomWatch(ALLOWLIST.random_sources)
        self.attributes = Attributes(self.definitions, self._readers())
        self._guards = self._guard_table()

    # --- namespace -----------------------------------------------------------------------------
    def namespace(self) -> dict[str, Any]:
        """A fresh globals dict for one program: safe builtins plus the guard helpers.

        This runtime becomes the active one: the stand-ins of ``list``, ``tuple``, ``set``,
        ``str`` and ``torch.Tensor`` count and check against it.
        """
        activate(self)
        builtins_ns = dict(_SAFE_BUILTINS)
        builtins_ns.update({name: self._guards[guard] for name, guard in GUARDED.items()})
        builtins_ns.update(super=super, __build_class__=builtins.__build_class__)
        builtins_ns.update(_UNAVAILABLE)
        values, attributes, definitions = self.values, self.attributes, self.definitions
        helpers: dict[str, Any] = {
            "getattr": attributes.getattr,
            "setattr": attributes.setattr,
            "import_module": attributes.import_module,
            "import_from": attributes.import_from,
            "iter": values.iter,
            "tick": values.tick,
            "add": values.add,
            "mul": values.mul,
            "pow": values.pow,
            "lshift": values.lshift,
            "mod": values.mod,
            "inplace": values.inplace,
            "format": values.format,
            "message": values.message,
            "function": definitions.function,
            "decorator": definitions.decorator,
            "lazy": definitions.lazy,
            "user_class": definitions.user_class,
            "context": self.context,
            "bind": self.bind,
        }
        # Run as a script is: ``if __name__ == "__main__":`` blocks run.
        ns: dict[str, Any] = {"__builtins__": builtins_ns, "__name__": "__main__"}
        # Pre-bound as in a notebook, so snippets without import lines run as written.
        ns.update(torch=torch, nn=torch.nn, F=torch.nn.functional, optim=torch.optim)
        ns.update({HELPER_PREFIX + name: fn for name, fn in helpers.items()})
        return ns

    def guard(self, name: str) -> Callable[..., Any]:
        """The guard called ``name`` (what a stand-in class runs when a program calls it)."""
        return self._guards[name]

    def _guard_table(self) -> dict[str, Callable[..., Any]]:
        values, attributes = self.values, self.attributes
        return {
            "checked_pow": values.checked_pow,
            "checked_format": values.checked_format,
            "type_of": attributes.type_of,
            "getattr": attributes.getattr,
            "hasattr": attributes.hasattr,
            "setattr": attributes.setattr,
            "print": self.output.print,
            "bounded_range": values.bounded_range,
            "counted_sorted": values.counted_sorted,
            "counted_list": values.counted_list,
            "counted_tuple": values.counted_tuple,
            "counted_set": values.counted_set,
            "counted_iter": values.counted_iter,
            "checked_str": values.checked_str,
            "checked_repr": values.checked_repr,
            "checked_sum": values.checked_sum,
            "legacy_tensor": self.legacy_tensor,
            "list_type": LIST,
            "tuple_type": TUPLE,
            "set_type": SET,
            "str_type": STR,
        }

    def _readers(self) -> dict[str, Reader]:
        """What a program gets for each name the allowlist's records mark ``wrapped``."""
        values = self.values
        return {
            "tensor_numpy": lambda tensor: functools.partial(_numpy_refusal, tensor),
            "register_hook": lambda tensor: functools.partial(self._register_hook, tensor),
            "list_extend": lambda target: functools.partial(values.list_extend, target),
            "str_join": lambda separator: functools.partial(values.str_join, separator),
            "str_format": lambda template: functools.partial(values.str_format, template),
            "str_replace": lambda text: functools.partial(values.str_replace, text),
            "seed_torch": lambda _: functools.partial(self.randomness.seed, "torch"),
            "tensor_type": lambda _: TENSOR,
        }

    # --- helpers the rewritten program calls ----------------------------------------------------
    def bind(self, names: tuple[str, ...], values: tuple[Any, ...]) -> None:
        """Report the values just bound to program variables (the graph names tensors by them)."""
        if self.on_bind is not None:
            for name, value in zip(names, values, strict=True):
                self.on_bind(name, value)

    def context(self, manager: Any) -> Any:
        """Allow ``with`` only for torch's grad-mode switches."""
        if not isinstance(manager, GRAD_MODES):
            raise SandboxViolation(
                "'with' is available only for torch.no_grad(), torch.enable_grad() "
                "and torch.set_grad_enabled()"
            )
        return manager

    # --- guards of torch names ------------------------------------------------------------------
    def legacy_tensor(self, *args: Any, **kwargs: Any) -> torch.Tensor:
        """``torch.Tensor(...)``: made with torch.empty / torch.tensor, whose sizes the limits check.

        PyTorch's own constructor allocates without a torch call the size limits could see.
        """
        if len(args) == 1 and isinstance(args[0], torch.Size):
            args = tuple(args[0])
        if not args:
            return torch.empty(0, **kwargs)
        if all(is_int(a) for a in args):
            return torch.empty(args, dtype=torch.get_default_dtype(), **kwargs)
        if len(args) == 1 and isinstance(args[0], (list, tuple, range)):
            return torch.tensor(args[0], dtype=torch.get_default_dtype(), **kwargs)
        if len(args) == 1 and isinstance(args[0], torch.Tensor) and not kwargs:
            return torch.Tensor(args[0])  # shares the tensor's memory, as in PyTorch
        raise TypeError("torch.Tensor() takes sizes, a list of numbers or a tensor")

    def _register_hook(self, tensor: torch.Tensor, hook: Callable[..., Any]) -> Any:
        # Any callable, even torch.arange, runs inside backward() where the limits are off:
        # wrapped like a program function, it runs with them on.
        return tensor.register_hook(self.definitions.function(hook))  # type: ignore[no-untyped-call]


def _numpy_refusal(tensor: torch.Tensor, *args: Any, **kwargs: Any) -> Any:
    if tensor.requires_grad:
        # Let PyTorch raise its own error: students should see the message they will meet.
        raise RuntimeError(
            "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead."
        )
    raise SandboxViolation(
        "numpy is not available in this sandbox; use .tolist() or print the tensor"
    )


def _unavailable(name: str, hint: Hint) -> Callable[..., Any]:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise SandboxViolation(f"'{name}' is not available here", hint)

    refuse.__name__ = name
    return refuse


_SAFE_BUILTINS: dict[str, Any] = {name: getattr(builtins, name) for name in PLAIN}
_UNAVAILABLE: dict[str, Any] = {
    name: _unavailable(name, hint) for name, hint in UNAVAILABLE.items()
}
