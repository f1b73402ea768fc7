"""The only names a program sees, and the guards its rewritten code calls.

``compile_program`` rewrites every attribute read to ``_ag_getattr(obj, "name")``, every
attribute write to ``_ag_setattr``, every loop iterable to ``_ag_iter`` (a ``for``
statement's to ``_ag_loop``), every f-string value to ``_ag_format`` and so on
(``rewrite.py``). A ``Runtime`` is one program's state, made of a part per concern, each in
a module of its own:

- ``values.py``: Python values bounded before they are built; the loop and call budget;
- ``output.py``: what the program prints;
- ``definitions.py``: the program's functions, classes and decorators, kept under the limits;
- ``attributes.py``: attribute reads and writes, ``type()`` and imports, by the allowlist;
- ``readers.py``: what the program gets for the names the allowlist marks ``wrapped`` (each
  record's readers, made for this program);
- ``randomness.py``: whether the program is reproducible;
- ``loops.py``: the running ``for`` loops, and how long each is.

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
from torch.utils import data

from app.hints import sandbox
from app.hints.hint import Hint
from app.language.allowlist import ALLOWLIST
from app.language.allowlist.builtins import GUARDED, PLAIN, UNAVAILABLE
from app.language.allowlist.torch import WITH_MANAGERS
from app.language.allowlist.utils_data import check_loader_arguments
from app.language.attributes import Attributes
from app.language.definitions import Definitions, program_mode
from app.language.errors import SandboxViolation
from app.language.legacy_types import LEGACY_TENSORS
from app.language.live import LiveElements
from app.language.loops import Loops
from app.language.nesting import NestingCheck
from app.language.numpy_arrays import use_limits, wrap
from app.language.output import Output
from app.language.parse import HELPER_PREFIX
from app.language.randomness import RandomWatch
from app.language.readers import readers
from app.language.stand_ins import FROZENSET, LIST, RANGE, SET, STR, TUPLE, activate
from app.language.torch_mode import routed_backward
from app.language.values import ValueLimits, is_int
from app.limits import Limits


class Runtime:
    """One program run: its limits, output, definitions, attribute guard and random state."""

    def __init__(
        self,
        limits: Limits,
        on_bind: Callable[[str, Any], None] | None = None,
        backward_calls: Callable[[], int] = lambda: 0,
    ) -> None:
        """``on_bind`` hears of every value bound to a program variable; ``backward_calls``
        says how many backward calls the program has made so far (its running loops note it)."""
        self.limits = limits
        self.on_bind = on_bind
        self.live = LiveElements(limits.max_live_elements)  # shared with the torch mode
        use_limits(limits, self.live)
        self.values: ValueLimits = ValueLimits(limits)
        self.nesting = NestingCheck(limits.max_nesting_depth)
        self.output = Output(self.values)
        self.definitions = Definitions(self.values)
        self.randomness: RandomWatch = RandomWatch(ALLOWLIST.random_sources)
        self.used: set[str] = set()  # the libraries the program imported
        self.attributes = Attributes(self.definitions, readers(self), self._imported)
        self.notes: list[Hint] = []  # what the answer tells the student besides (plots)
        self.loops = Loops(self.values, backward_calls)
        self._guards = self._guard_table()

    # --- namespace -----------------------------------------------------------------------------
    def namespace(self) -> dict[str, Any]:
        """A fresh globals dict for one program: safe builtins plus the guard helpers.

        This runtime becomes the active one: the stand-ins of ``list``, ``tuple``, ``set``,
        ``str``, ``torch.Tensor`` and ``DataLoader`` count and check against it.
        """
        activate(self)
        builtins_ns = dict(_SAFE_BUILTINS)
        builtins_ns.update({name: self._guards[guard] for name, guard in GUARDED.items()})
        # C code that imports (torch's kernels, the warnings machinery) looks ``__import__`` up
        # in the builtins of the innermost Python frame, which may be the program's. A
        # program itself can never name it (names that start with two underscores).
        builtins_ns.update(
            super=super, __build_class__=builtins.__build_class__, __import__=builtins.__import__
        )
        builtins_ns.update(_UNAVAILABLE)
        values, attributes, definitions = self.values, self.attributes, self.definitions
        helpers: dict[str, Any] = {
            "getattr": attributes.getattr,
            "setattr": attributes.setattr,
            "import_module": attributes.import_module,
            "import_from": attributes.import_from,
            "iter": values.iter,
            "loop": self.loops.loop,
            "tick": values.tick,
            "key": self.nesting.key,
            "add": values.add,
            "mul": values.mul,
            "pow": values.pow,
            "lshift": values.lshift,
            "mod": values.mod,
            "inplace": values.inplace,
            "format": values.format,
            "fstring": values.fstring,
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
        table: dict[str, Callable[..., Any]] = {
            "print": self.output.print,
            "bounded_range": values.bounded_range,
            "counted_sorted": values.counted_sorted,
            "counted_list": values.counted_list,
            "counted_tuple": values.counted_tuple,
            "counted_set": values.counted_set,
            "counted_frozenset": lambda items=(): frozenset(values.counted_set(items)),
            "checked_hash": self.nesting.hash,
            "counted_iter": values.counted_iter,
            "counted_deque": values.counted_deque,
            "checked_str": values.checked_str,
            "checked_repr": values.checked_repr,
            "checked_sum": values.checked_sum,
            "checked_pow": values.checked_pow,
            "checked_format": values.checked_format,
            "type_of": attributes.type_of,
            "getattr": attributes.getattr,
            "hasattr": attributes.hasattr,
            "setattr": attributes.setattr,
            "legacy_tensor": self.legacy_tensor,
            "data_loader": self.data_loader,
            "note_plot": self.note_plot,
            "range_type": RANGE,
            "list_type": LIST,
            "tuple_type": TUPLE,
            "set_type": SET,
            "frozenset_type": FROZENSET,
            "str_type": STR,
        }
        for name, dtype in LEGACY_TENSORS.items():
            table[f"legacy_{name}"] = _typed(self.legacy_tensor, dtype)
        return table

    # --- helpers the rewritten program calls ----------------------------------------------------
    def bind(self, names: tuple[str, ...], values: tuple[Any, ...]) -> None:
        """Report the values just bound to program variables (the graph names tensors by them)."""
        on_bind = self.on_bind
        if on_bind is None:
            return
        if len(names) == 1 == len(values):  # ``x = ...``, most assignments: no zip to build
            on_bind(names[0], values[0])
            return
        for name, value in zip(names, values, strict=True):
            on_bind(name, value)

    def context(self, manager: Any) -> Any:
        """Allow ``with`` only for torch's grad-mode switches and hook handles."""
        if not isinstance(manager, WITH_MANAGERS):
            raise SandboxViolation(
                "'with' is available only for torch.no_grad(), torch.enable_grad(),"
                " torch.set_grad_enabled(), torch.inference_mode(),"
                " torch.autograd.detect_anomaly() and a hook's handle",
                sandbox.CONSTRUCT,
            )
        return manager

    def _imported(self, library: str) -> None:
        if library not in self.used:
            self.used.add(library)
            self.randomness.use(library)

    def note_plot(self) -> None:
        """The program called a plotting function: its answer says plots are not drawn here."""
        if sandbox.PLOTS not in self.notes:
            self.notes.append(sandbox.PLOTS)

    # --- guards of torch names ------------------------------------------------------------------
    def legacy_tensor(self, *args: Any, **kwargs: Any) -> torch.Tensor:
        """``torch.Tensor(...)``: made with torch.empty / torch.tensor, whose sizes the limits check.

        PyTorch's own constructor allocates without a torch call the size limits could see.
        """
        dtype = kwargs.pop("dtype", None) or torch.get_default_dtype()
        if len(args) == 1 and isinstance(args[0], torch.Size):
            args = tuple(args[0])
        if not args:
            return torch.empty(0, dtype=dtype, **kwargs)
        if all(is_int(a) for a in args):
            return torch.empty(args, dtype=dtype, **kwargs)
        if len(args) == 1 and isinstance(args[0], (list, tuple, range)):
            return torch.tensor(args[0], dtype=dtype, **kwargs)
        if len(args) == 1 and isinstance(args[0], torch.Tensor) and not kwargs:
            if dtype == torch.get_default_dtype():
                return torch.Tensor(args[0])  # shares the tensor's memory, as in PyTorch
            return args[0].to(dtype)
        raise TypeError("torch.Tensor() takes sizes, a list of numbers or a tensor")

    def register_hook(self, tensor: torch.Tensor, hook: Callable[..., Any]) -> Any:
        """``tensor.register_hook(hook)``: the hook runs inside backward(), where the limits are
        off; wrapped like a program function (even torch.arange), it runs with them on."""
        return tensor.register_hook(self.definitions.function(hook))  # type: ignore[no-untyped-call]

    def register_module_hook(
        self, register: Callable[..., Any], hook: Callable[..., Any], *args: Any, **kwargs: Any
    ) -> Any:
        """``module.register_forward_hook(hook)`` and its kin: the hook wrapped like a program
        function (a backward hook runs inside backward(), where the limits are off)."""
        return register(self.definitions.function(hook), *args, **kwargs)

    def tensor_numpy(self, tensor: torch.Tensor, *args: Any, **kwargs: Any) -> Any:
        """``tensor.numpy()``: the array shares the tensor's memory, as in PyTorch."""
        if tensor.requires_grad:
            # Let PyTorch raise its own error: students should see the message they will meet.
            raise RuntimeError(
                "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy()"
                " instead."
            )
        return wrap(tensor.numpy(*args, **kwargs))

    def function_apply(self, function: type, *args: Any, **kwargs: Any) -> Any:
        """``MyFunction.apply(x)``: run where the graph recorder sees the node it makes."""
        apply: Callable[..., Any] = function.apply  # type: ignore[attr-defined]
        mode = program_mode()
        if mode is None:
            return apply(*args, **kwargs)
        return mode.observe(apply, "apply", args, kwargs)

    # ``loss.backward(...)``: to the program's mode without torch's Python-level dispatch.
    backward: Callable[..., Any] = staticmethod(routed_backward)

    def unrouted(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """``torch.from_numpy``: PyTorch makes the tensor without a call the torch mode sees;
        the program's mode sizes, checks and counts it as it does every torch call's result."""

        @functools.wraps(func)
        def routed(*args: Any, **kwargs: Any) -> Any:
            mode = program_mode()
            if mode is None:
                name = getattr(func, "__name__", "this call")
                raise SandboxViolation(f"{name} runs only while its program runs")
            return mode.unrouted(func, args, kwargs)

        return routed

    def data_loader(self, *args: Any, **kwargs: Any) -> data.DataLoader[Any]:
        """``DataLoader(...)`` in this process: asked-for worker processes are not started."""
        args, kwargs, in_process = check_loader_arguments(kwargs, args)
        if in_process and sandbox.WORKERS_IN_PROCESS not in self.notes:
            self.notes.append(sandbox.WORKERS_IN_PROCESS)
        return data.DataLoader(*args, **kwargs)


def _typed(make: Callable[..., torch.Tensor], dtype: torch.dtype) -> Callable[..., torch.Tensor]:
    def typed(*args: Any, **kwargs: Any) -> torch.Tensor:
        return make(*args, dtype=dtype, **kwargs)

    return typed


def _unavailable(name: str, hint: Hint) -> Callable[..., Any]:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise SandboxViolation(f"'{name}' is not available here", hint)

    refuse.__name__ = name
    return refuse


_SAFE_BUILTINS: dict[str, Any] = {name: getattr(builtins, name) for name in PLAIN}
_UNAVAILABLE: dict[str, Any] = {
    name: _unavailable(name, hint) for name, hint in UNAVAILABLE.items()
}
