"""The only names a program sees, and the guards the rewritten program calls.

``compile_program`` rewrites every attribute read to ``_ag_getattr(obj, "name")``, every
attribute write to ``_ag_setattr``, every loop iterable to ``_ag_iter`` and so on; this
module supplies those helpers. A helper's name starts with an underscore, which the policy
forbids in programs, so a program cannot reach or replace them.
"""

from __future__ import annotations

import functools
import operator
import re
import types
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import torch
from torch import nn

from app.sandbox import allowlist as allow
from app.sandbox.errors import LimitExceeded, SandboxViolation
from app.sandbox.limits import Limits
from app.sandbox.policy import HELPER_PREFIX

_INPLACE_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "+=": operator.iadd, "-=": operator.isub, "*=": operator.imul, "/=": operator.itruediv,
    "//=": operator.ifloordiv, "%=": operator.imod, "**=": operator.ipow, "@=": operator.imatmul,
    "&=": operator.iand, "|=": operator.ior, "^=": operator.ixor, "<<=": operator.ilshift,
    ">>=": operator.irshift,
}
_SEQUENCES = (str, list, tuple, bytes)
_PERCENT_WIDTH = re.compile(r"%[-#0 +]*(\*|\d{4,})|%[-#0 +]*\d*\.(\*|\d{4,})")
_GRAD_MODE_TYPES = tuple(getattr(torch, name) for name in allow.CONTEXT_MANAGER_NAMES)


def _builtin(name: str) -> Any:
    import builtins

    return getattr(builtins, name)


class Runtime:
    """The state of one program run: counters, captured output, and the guard helpers."""

    def __init__(self, limits: Limits, on_bind: Callable[[str, Any], None] | None = None) -> None:
        self.limits = limits
        self.on_bind = on_bind
        self.iterations = 0
        self.call_depth = 0
        self.stdout_parts: list[str] = []
        self.stdout_chars = 0
        self.stdout_truncated = False
        self.user_classes: set[type] = set()
        self.rng_start: torch.Tensor | None = None
        self.seeded_before_drawing = False

    # --- namespace -----------------------------------------------------------------------------
    def namespace(self) -> dict[str, Any]:
        """A fresh globals dict for one program: safe builtins plus the guard helpers."""
        builtins_ns: dict[str, Any] = {name: _builtin(name) for name in allow.SAFE_BUILTIN_NAMES}
        builtins_ns.update(
            print=self.print, range=self.range, list=self.list, tuple=self.tuple, sorted=self.sorted,
            set=self.set, enumerate=self.enumerate, super=super, __build_class__=_builtin("__build_class__"),
        )
        helpers: dict[str, Any] = {
            "getattr": self.getattr, "setattr": self.setattr, "iter": self.iter, "tick": self.tick,
            "context": self.context, "function": self.function, "user_class": self.user_class,
            "import_module": self.import_module, "import_from": self.import_from,
            "add": self.add, "mul": self.mul, "pow": self.pow, "lshift": self.lshift, "mod": self.mod,
            "inplace": self.inplace, "bind": self.bind,
        }
        ns: dict[str, Any] = {"__builtins__": builtins_ns, "__name__": "__program__"}
        # Pre-bound as in a notebook, so snippets without import lines run as written.
        ns.update(torch=torch, nn=torch.nn, F=torch.nn.functional, optim=torch.optim)
        ns.update({HELPER_PREFIX + name: fn for name, fn in helpers.items()})
        return ns

    # --- attribute access ----------------------------------------------------------------------
    def getattr(self, obj: Any, name: str) -> Any:
        """Read ``obj.name`` if the allowlist has it for this kind of object."""
        if name.startswith("_") or name not in self._readable(obj):
            raise SandboxViolation(f"attribute '{name}' of {_describe(obj)} is not available in this sandbox")
        if name == "numpy" and isinstance(obj, torch.Tensor):
            return functools.partial(_numpy_refusal, obj)
        if obj is torch and name == "manual_seed":
            return self.manual_seed
        return getattr(obj, name)

    # --- randomness ------------------------------------------------------------------------------
    def watch_randomness(self) -> None:
        """Remember the random state the program starts from (call right before running it)."""
        self.rng_start = torch.default_generator.get_state()

    def manual_seed(self, seed: int) -> torch.Generator:
        """``torch.manual_seed``, noting whether the program seeded before drawing any number."""
        if self.rng_start is not None and torch.equal(
            torch.default_generator.get_state(), self.rng_start
        ):
            self.seeded_before_drawing = True
        return torch.default_generator.manual_seed(int(seed))

    @property
    def deterministic(self) -> bool:
        """Whether a rerun gives the same result: no random draw, or a seed before the first."""
        if self.seeded_before_drawing or self.rng_start is None:
            return self.seeded_before_drawing
        return bool(torch.equal(torch.default_generator.get_state(), self.rng_start))

    def setattr(self, obj: Any, name: str, value: Any) -> None:
        """Write ``obj.name = value`` where a program may: tensor flags, its own modules' fields."""
        if name.startswith("_"):
            raise SandboxViolation(f"attribute '{name}' cannot be assigned")
        if isinstance(obj, torch.Tensor):
            allowed = name in allow.TENSOR_SETTABLE
        elif isinstance(obj, nn.Module):
            allowed = type(obj) in self.user_classes or name in ("weight", "bias")
            allowed = allowed and not callable(getattr(type(obj), name, None))
        else:
            allowed = False
        if not allowed:
            raise SandboxViolation(f"attribute '{name}' of {_describe(obj)} cannot be assigned in this sandbox")
        setattr(obj, name, value)

    def _readable(self, obj: Any) -> frozenset[str] | set[str]:
        if isinstance(obj, types.ModuleType):
            return allow.MODULE_ATTRS.get(obj.__name__, frozenset())
        if isinstance(obj, torch.Tensor):
            return allow.TENSOR_ATTRS
        if isinstance(obj, nn.Module):
            return self._module_attrs(obj)
        if isinstance(obj, torch.optim.Optimizer):
            return allow.OPTIMIZER_ATTRS
        if isinstance(obj, torch.autograd.graph.Node):
            return allow.GRAD_FN_ATTRS
        if isinstance(obj, torch.Size):
            return allow.SIZE_ATTRS
        for kind, attrs in (
            (dict, allow.DICT_ATTRS), (list, allow.LIST_ATTRS), (str, allow.STR_ATTRS),
            (torch.dtype, allow.DTYPE_ATTRS), (torch.device, allow.DEVICE_ATTRS),
            ((int, float), allow.NUMBER_ATTRS),
        ):
            if isinstance(obj, kind):
                return attrs
        if isinstance(obj, tuple):
            if type(obj).__module__ == "torch.return_types":
                return allow.RETURN_TYPE_ATTRS | allow.TUPLE_ATTRS
            return allow.TUPLE_ATTRS
        return frozenset()

    def _module_attrs(self, module: nn.Module) -> set[str]:
        names = set(allow.MODULE_INSTANCE_ATTRS)
        if type(module) in self.user_classes or any(c in self.user_classes for c in type(module).__mro__):
            names.update(vars(module))
            names.update(module._parameters, module._modules, module._buffers)
            for cls in type(module).__mro__:
                if cls in self.user_classes:
                    names.update(vars(cls))
        return {n for n in names if not n.startswith("_")}

    def bind(self, names: tuple[str, ...], values: tuple[Any, ...]) -> None:
        """Report the values just bound to program variables (the graph names tensors by them)."""
        if self.on_bind is not None:
            for name, value in zip(names, values, strict=True):
                self.on_bind(name, value)

    # --- imports -------------------------------------------------------------------------------
    def import_module(self, name: str) -> types.ModuleType:
        """``import torch`` and friends: only the allowlisted modules exist."""
        module = _allowed_module(name)
        if module is None:
            raise SandboxViolation(f"import of '{name}' is not available")
        return module

    def import_from(self, module_name: str, name: str) -> Any:
        """``from torch import nn``: the name must be on that module's allowlist."""
        return self.getattr(self.import_module(module_name), name)

    # --- control flow --------------------------------------------------------------------------
    def tick(self) -> bool:
        """Count one loop iteration; raise once the program's total is over the limit."""
        self.iterations += 1
        if self.iterations > self.limits.max_loop_iterations:
            raise LimitExceeded(
                "loop_iterations",
                f"program ran more than {self.limits.max_loop_iterations} loop iterations in total",
            )
        return True

    def iter(self, iterable: Iterable[Any]) -> Iterator[Any]:
        """Iterate ``iterable``, counting every step against the loop limit."""
        for item in iterable:
            self.tick()
            yield item

    def function(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        """Wrap a program-defined function so the depth of nested calls is bounded."""

        @functools.wraps(fn)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            self.call_depth += 1
            try:
                if self.call_depth > self.limits.max_call_depth:
                    raise LimitExceeded(
                        "call_depth", f"calls nested more than {self.limits.max_call_depth} deep"
                    )
                return fn(*args, **kwargs)
            finally:
                self.call_depth -= 1

        return guarded

    def user_class(self, cls: type) -> type:
        """Accept a program-defined class only if it is an nn.Module."""
        if not issubclass(cls, nn.Module):
            raise SandboxViolation(f"class '{cls.__name__}' must subclass nn.Module")
        self.user_classes.add(cls)
        return cls

    def context(self, manager: Any) -> Any:
        """Allow ``with`` only for torch's grad-mode switches."""
        if not isinstance(manager, _GRAD_MODE_TYPES):
            raise SandboxViolation(
                "'with' is available only for torch.no_grad(), torch.enable_grad() "
                "and torch.set_grad_enabled()"
            )
        return manager

    # --- operators that can grow Python values ---------------------------------------------------
    def add(self, left: Any, right: Any) -> Any:
        """``left + right`` with a bound on the length of concatenated sequences."""
        if isinstance(left, _SEQUENCES) and isinstance(right, _SEQUENCES):
            self._check_length(len(left) + len(right))
        return left + right

    def mul(self, left: Any, right: Any) -> Any:
        """``left * right`` with bounds on repeated sequences and on integer size."""
        self._check_product(left, right)
        return left * right

    def pow(self, base: Any, exponent: Any) -> Any:
        """``base ** exponent`` with a bound on the size of integer results."""
        if _is_int(base) and _is_int(exponent) and exponent > 0 and abs(base) > 1:
            self._check_int_bits(abs(base).bit_length() * exponent)
        return base**exponent

    def lshift(self, left: Any, right: Any) -> Any:
        """``left << right`` with a bound on the size of integer results."""
        if _is_int(left) and _is_int(right) and right > 0 and left != 0:
            self._check_int_bits(abs(left).bit_length() + right)
        return left << right

    def mod(self, left: Any, right: Any) -> Any:
        """``left % right``; for %-formatting of strings, refuse huge field widths."""
        if isinstance(left, str) and _PERCENT_WIDTH.search(left):
            raise LimitExceeded("sequence_length", "format width in '%' formatting is too large")
        return left % right

    def inplace(self, op: str, target: Any, value: Any) -> Any:
        """``target op= value`` with the same bounds as the plain operators."""
        if op == "*=":
            self._check_product(target, value)
        elif op == "+=" and isinstance(target, _SEQUENCES) and isinstance(value, _SEQUENCES):
            self._check_length(len(target) + len(value))
        elif op == "**=":
            return self.pow(target, value)
        elif op == "<<=":
            return self.lshift(target, value)
        elif op == "%=":
            return self.mod(target, value)
        elif op == "+=" and isinstance(target, list):
            self._check_length(len(target) + _length_hint(value))
        return _INPLACE_OPS[op](target, value)

    def _check_product(self, left: Any, right: Any) -> None:
        for seq, count in ((left, right), (right, left)):
            if isinstance(seq, _SEQUENCES) and _is_int(count):
                self._check_length(len(seq) * max(count, 0))
        if _is_int(left) and _is_int(right):
            self._check_int_bits(abs(left).bit_length() + abs(right).bit_length())

    def _check_length(self, length: int) -> None:
        if length > self.limits.max_sequence_length:
            raise LimitExceeded(
                "sequence_length",
                f"a list or string of {length} items is over the limit of {self.limits.max_sequence_length}",
            )

    def _check_int_bits(self, bits: int) -> None:
        if bits > self.limits.max_int_bits:
            raise LimitExceeded(
                "int_size", f"an integer of about {bits} bits is over the limit of {self.limits.max_int_bits}"
            )

    # --- builtins that could build big values ---------------------------------------------------
    def range(self, *args: int) -> range:
        """``range`` whose length stays under the loop limit."""
        result = range(*args)
        if len(result) > self.limits.max_loop_iterations:
            raise LimitExceeded(
                "loop_iterations",
                f"range of {len(result)} numbers is over the limit of {self.limits.max_loop_iterations}",
            )
        return result

    def list(self, iterable: Iterable[Any] = ()) -> list[Any]:
        """``list`` that counts the items it consumes against the loop limit."""
        return [item for item in self.iter(iterable)]

    def tuple(self, iterable: Iterable[Any] = ()) -> tuple[Any, ...]:
        """``tuple`` that counts the items it consumes against the loop limit."""
        return tuple(self.iter(iterable))

    def set(self, iterable: Iterable[Any] = ()) -> set[Any]:
        """``set`` that counts the items it consumes against the loop limit."""
        return set(self.iter(iterable))

    def sorted(self, iterable: Iterable[Any], *, key: Any = None, reverse: bool = False) -> list[Any]:
        """``sorted`` that counts the items it consumes against the loop limit."""
        return sorted(self.iter(iterable), key=key, reverse=reverse)

    def enumerate(self, iterable: Iterable[Any], start: int = 0) -> Iterator[tuple[int, Any]]:
        """``enumerate`` (iteration is counted by the loop that consumes it)."""
        return enumerate(iterable, start)

    def print(self, *args: Any, sep: str | None = " ", end: str | None = "\n") -> None:
        """``print`` into the captured output, truncated at the output limit."""
        sep = " " if sep is None else str(sep)
        end = "\n" if end is None else str(end)
        text = sep.join(str(arg) for arg in args) + end
        room = self.limits.max_stdout_chars - self.stdout_chars
        if room <= 0:
            self.stdout_truncated = True
            return
        if len(text) > room:
            text = text[:room]
            self.stdout_truncated = True
        self.stdout_parts.append(text)
        self.stdout_chars += len(text)

    @property
    def stdout(self) -> str:
        """Everything the program printed (up to the limit)."""
        return "".join(self.stdout_parts)


def _numpy_refusal(tensor: torch.Tensor, *args: Any, **kwargs: Any) -> Any:
    if tensor.requires_grad:
        # Let PyTorch raise its own error: students should see the message they will meet.
        raise RuntimeError(
            "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead."
        )
    raise SandboxViolation("numpy is not available in this sandbox; use .tolist() or print the tensor")


def _allowed_module(name: str) -> types.ModuleType | None:
    if name not in allow.IMPORTABLE_MODULES:
        return None
    module: Any = torch
    for part in name.split(".")[1:]:
        module = getattr(module, part)
    return module if isinstance(module, types.ModuleType) else None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _length_hint(value: Any) -> int:
    try:
        return len(value)
    except TypeError:
        return 0


def _describe(obj: Any) -> str:
    if isinstance(obj, types.ModuleType):
        return f"module '{obj.__name__}'"
    return f"'{type(obj).__name__}' objects"
