"""The only names a program sees, and the guards the rewritten program calls.

``compile_program`` rewrites every attribute read to ``_ag_getattr(obj, "name")``, every
attribute write to ``_ag_setattr``, every loop iterable to ``_ag_iter``, every f-string value
to ``_ag_format`` and so on; this module supplies those helpers. A helper's name starts with an
underscore, which the policy forbids in programs, so a program cannot reach or replace them.

Python values are bounded as tensors are: a list or string longer than the sequence limit is
refused before it is built, and so is text (``str``, ``repr``, ``print``, f-strings, ``%``,
``join``) whose size, estimated by walking the value, is over ten times that limit, because
nested lists that share sub-lists print far longer than they are.
"""

from __future__ import annotations

import builtins
import contextvars
import functools
import operator
import re
import types
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import torch
from torch import nn
from torch.overrides import _get_current_function_mode_stack

from app.language import allowlist as allow
from app.language.rewrite import HELPER_PREFIX
from app.language.errors import LimitExceeded, SandboxViolation
from app.language.torch_mode import ProgramMode
from app.limits import Limits

_INPLACE_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "+=": operator.iadd,
    "-=": operator.isub,
    "*=": operator.imul,
    "/=": operator.itruediv,
    "//=": operator.ifloordiv,
    "%=": operator.imod,
    "**=": operator.ipow,
    "@=": operator.imatmul,
    "&=": operator.iand,
    "|=": operator.ior,
    "^=": operator.ixor,
    "<<=": operator.ilshift,
    ">>=": operator.irshift,
}
# A %-format field with a width or precision of four digits or more, or one read from the
# arguments (``*``); a mapping key (``%(name)``) may come first.
_PERCENT_WIDTH = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\*|\d{4,}|\d*\.(?:\*|\d{4,}))")
_GRAD_MODE_TYPES = tuple(getattr(torch, name) for name in allow.CONTEXT_MANAGER_NAMES)
# Text may be this many times longer than the sequence limit (a printed list is longer than it).
_TEXT_FACTOR = 10
# Values whose printed form lists their items (the text-size walk looks inside them).
_CONTAINERS: tuple[type, ...] = (
    list,
    tuple,
    set,
    frozenset,
    dict,
    type({}.keys()),
    type({}.values()),
    type({}.items()),
)
# The attributes of nn.Module and its layers a program's class may redefine. Everything else
# stays PyTorch's own: graph extraction calls named_parameters() and repr() after the program
# has ended, outside its limits, and must not run the program's code there.
_OVERRIDABLE = frozenset(["forward", "reset_parameters"])


class _StandIn(type):
    """Metaclass of a builtin type's stand-in: calling it runs a guard, isinstance sees the real type."""

    real: type
    guard: Callable[..., Any]

    def __new__(mcs, name: str, bases: tuple[type, ...], ns: dict[str, Any]) -> _StandIn:
        if any(isinstance(base, _StandIn) for base in bases):
            raise TypeError(f"'{name}': '{bases[0].__name__}' cannot be subclassed in this sandbox")
        return super().__new__(mcs, name, bases, ns)

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        return cls.guard(*args, **kwargs)

    def __instancecheck__(cls, obj: Any) -> bool:
        return isinstance(obj, cls.real)

    def __subclasscheck__(cls, sub: type) -> bool:
        return issubclass(sub, cls.real)


# The runtime whose namespace was made last in this thread (or task): the one running a
# program. A worker makes one namespace per program, right before running it.
_ACTIVE: contextvars.ContextVar[Runtime] = contextvars.ContextVar("active_runtime")


def _stand_in(real: type, guard_name: str) -> type:
    """A class that prints and isinstance-checks like ``real`` but builds values through the
    active runtime's method ``guard_name``.

    Made once per process, not per program: a class costs ~12 us to make and, being a cycle,
    more to collect, and a program's namespace needs five of them.
    """

    def guard(*args: Any, **kwargs: Any) -> Any:
        return getattr(_ACTIVE.get(), guard_name)(*args, **kwargs)

    ns: dict[str, Any] = {
        "real": real,
        "guard": staticmethod(guard),
        "__module__": real.__module__,
        "__qualname__": real.__qualname__,
        "__doc__": real.__doc__,
    }
    if hasattr(real, "__class_getitem__"):  # ``list[int]`` in annotations
        ns["__class_getitem__"] = classmethod(lambda cls, item: real[item])  # type: ignore[index]
    return _StandIn(real.__name__, (), ns)


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
        """A fresh globals dict for one program: safe builtins plus the guard helpers.

        This runtime becomes the active one: the stand-ins of ``list``, ``tuple``, ``set``,
        ``str`` and ``torch.Tensor`` count and check against it.
        """
        _ACTIVE.set(self)
        builtins_ns = dict(_SAFE_BUILTINS)
        builtins_ns.update(
            print=self.print,
            range=self.bounded_range,
            sorted=self.counted_sorted,
            list=_LIST,
            tuple=_TUPLE,
            set=_SET,
            str=_STR,
            repr=self.checked_repr,
            sum=self.checked_sum,
            iter=self.counted_iter,
            super=super,
            __build_class__=builtins.__build_class__,
        )
        helpers: dict[str, Any] = {
            "getattr": self.getattr,
            "setattr": self.setattr,
            "iter": self.iter,
            "tick": self.tick,
            "context": self.context,
            "function": self.function,
            "user_class": self.user_class,
            "import_module": self.import_module,
            "import_from": self.import_from,
            "add": self.add,
            "mul": self.mul,
            "pow": self.pow,
            "lshift": self.lshift,
            "mod": self.mod,
            "inplace": self.inplace,
            "bind": self.bind,
            "format": self.format,
            "message": self.message,
            "lazy": self.lazy,
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
            raise SandboxViolation(
                f"attribute '{name}' of {_describe(obj)} is not available in this sandbox"
            )
        if isinstance(obj, torch.Tensor) and name == "numpy":
            return functools.partial(_numpy_refusal, obj)
        if isinstance(obj, torch.Tensor) and name == "register_hook":
            return functools.partial(self._register_hook, obj)
        if isinstance(obj, list) and name == "extend":
            return functools.partial(self._list_extend, obj)
        if isinstance(obj, str) and name == "join":
            return functools.partial(self._str_join, obj)
        if obj is torch and name == "manual_seed":
            return self.manual_seed
        value = getattr(obj, name)
        if value is torch.Tensor:  # calling torch.Tensor(...) allocates without a torch call
            return _TENSOR
        return value

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
            raise SandboxViolation(
                f"attribute '{name}' of {_describe(obj)} cannot be assigned in this sandbox"
            )
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
            (dict, allow.DICT_ATTRS),
            (list, allow.LIST_ATTRS),
            (str, allow.STR_ATTRS),
            (torch.dtype, allow.DTYPE_ATTRS),
            (torch.device, allow.DEVICE_ATTRS),
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
        if type(module) in self.user_classes or any(
            c in self.user_classes for c in type(module).__mro__
        ):
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
        """Count one loop iteration or call; raise once the program's total is over the limit."""
        self.iterations += 1
        if self.iterations > self.limits.max_loop_iterations:
            raise LimitExceeded(
                "loop_iterations",
                f"program ran more than {self.limits.max_loop_iterations} loop iterations "
                "and function calls in total",
            )
        return True

    def iter(self, iterable: Iterable[Any]) -> Iterator[Any]:
        """Iterate ``iterable``, counting every step against the loop limit."""
        for item in iterable:
            self.tick()
            yield item

    def function(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        """Wrap a program-defined function: count its calls, bound their depth, keep size limits on.

        PyTorch calls some program functions from inside a torch call (tensor hooks run inside
        ``backward()``), where the size-limit mode is switched off; the wrapper switches the
        mode that was active when the function was defined back on for the function's body.
        """
        mode = _program_mode()

        @functools.wraps(fn)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            self.tick()
            self.call_depth += 1
            try:
                if self.call_depth > self.limits.max_call_depth:
                    raise LimitExceeded(
                        "call_depth", f"calls nested more than {self.limits.max_call_depth} deep"
                    )
                return _under(mode, fn, *args, **kwargs)
            finally:
                self.call_depth -= 1

        return guarded

    def lazy(self, generator: Iterator[Any]) -> Iterator[Any]:
        """Wrap a generator expression: its body, too, runs with the size limits on.

        Like a function, a generator expression is program code that may run later, inside a
        torch call that consumes it.
        """
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
            if name.startswith("_") or name in _OVERRIDABLE:
                continue
            for base in cls.__mro__[1:]:
                if base not in self.user_classes and name in vars(base):
                    raise SandboxViolation(
                        f"class '{cls.__name__}' may not redefine '{name}' of {base.__name__}; "
                        f"of nn.Module's methods only {', '.join(sorted(_OVERRIDABLE))} may be defined"
                    )
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
        if _sized(left) and _sized(right):
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
        """``left % right``; for %-formatting, refuse huge field widths and huge arguments."""
        if isinstance(left, (str, bytes)):
            text = left.decode("latin-1") if isinstance(left, bytes) else left
            if _PERCENT_WIDTH.search(text):
                raise LimitExceeded(
                    "sequence_length", "format width in '%' formatting is too large"
                )
            self.check_text(right)
        return left % right

    def inplace(self, op: str, target: Any, value: Any) -> Any:
        """``target op= value`` with the same bounds as the plain operators."""
        if op == "*=":
            self._check_product(target, value)
        elif op == "+=" and _sized(target):
            self._check_length(len(target) + _length_hint(value))
        elif op == "**=":
            return self.pow(target, value)
        elif op == "<<=":
            return self.lshift(target, value)
        elif op == "%=":
            return self.mod(target, value)
        return _INPLACE_OPS[op](target, value)

    def _check_product(self, left: Any, right: Any) -> None:
        for seq, count in ((left, right), (right, left)):
            if _sized(seq) and _is_int(count):
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
                "int_size",
                f"an integer of about {bits} bits is over the limit of {self.limits.max_int_bits}",
            )

    def _register_hook(self, tensor: torch.Tensor, hook: Callable[..., Any]) -> Any:
        # Any callable, even torch.arange, runs inside backward() where the limits are off:
        # wrapped like a program function, it runs with them on.
        return tensor.register_hook(self.function(hook))  # type: ignore[no-untyped-call]

    def _list_extend(self, target: list[Any], items: Iterable[Any]) -> None:
        if _sized(items):
            self._check_length(len(target) + len(items))  # type: ignore[arg-type]
        else:
            items = self.iter(items)
        target.extend(items)

    # --- text -------------------------------------------------------------------------------------
    @property
    def max_text_chars(self) -> int:
        """The longest text a program may make with str/repr/print/f-strings/%/join."""
        return self.limits.max_sequence_length * _TEXT_FACTOR

    def check_text(self, value: Any) -> None:
        """Refuse ``value`` if its printed form would be longer than the text limit."""
        size = _text_size(value, self.max_text_chars)
        if size > self.max_text_chars:
            raise LimitExceeded(
                "sequence_length",
                f"the text of this value would be over {self.max_text_chars} characters long",
            )

    def format(self, value: Any) -> Any:
        """An f-string value: checked like ``str(value)``, then formatted as usual."""
        self.check_text(value)
        return value

    def message(self, value: Any) -> str:
        """An ``assert`` message: checked like ``str(value)``, and made valid Unicode to show."""
        self.check_text(value)
        return _showable(str(value))

    def _str_join(self, separator: str, items: Iterable[Any]) -> str:
        parts = items if isinstance(items, (list, tuple)) else list(self.iter(items))
        length = sum(len(p) for p in parts if isinstance(p, str)) + len(separator) * max(
            len(parts) - 1, 0
        )
        if length > self.max_text_chars:
            raise LimitExceeded(
                "sequence_length",
                f"joined text of {length} characters is over the limit of {self.max_text_chars}",
            )
        return separator.join(parts)

    # --- builtins that could build big values ---------------------------------------------------
    def bounded_range(self, *args: int) -> range:
        """``range`` whose length stays under the loop limit."""
        result = range(*args)
        if len(result) > self.limits.max_loop_iterations:
            raise LimitExceeded(
                "loop_iterations",
                f"range of {len(result)} numbers is over the limit of {self.limits.max_loop_iterations}",
            )
        return result

    def counted_list(self, iterable: Iterable[Any] = ()) -> list[Any]:
        """``list`` that counts the items it consumes against the loop limit."""
        return [item for item in self.iter(iterable)]

    def counted_tuple(self, iterable: Iterable[Any] = ()) -> tuple[Any, ...]:
        """``tuple`` that counts the items it consumes against the loop limit."""
        return tuple(self.iter(iterable))

    def counted_set(self, iterable: Iterable[Any] = ()) -> set[Any]:
        """``set`` that counts the items it consumes against the loop limit."""
        return set(self.iter(iterable))

    def counted_sorted(
        self, iterable: Iterable[Any], *, key: Any = None, reverse: bool = False
    ) -> list[Any]:
        """``sorted`` that counts the items it consumes against the loop limit."""
        return sorted(self.iter(iterable), key=key, reverse=reverse)

    def counted_iter(self, *args: Any) -> Iterator[Any]:
        """``iter(x)`` and ``iter(f, sentinel)``, each step counted (the second form never ends)."""
        return self.iter(iter(*args))

    def checked_str(self, *args: Any, **kwargs: Any) -> str:
        """``str`` with the text limit."""
        if args:
            self.check_text(args[0])
        return str(*args, **kwargs)

    def checked_repr(self, value: Any) -> str:
        """``repr`` with the text limit."""
        self.check_text(value)
        return repr(value)

    def checked_sum(self, iterable: Iterable[Any], /, start: Any = 0) -> Any:
        """``sum``; adding up lists or tuples goes through ``+`` with its length limit."""
        if not _sized(start) or isinstance(start, (str, bytes)):  # sum() refuses strings itself
            return sum(iterable, start)
        total = start
        for item in self.iter(iterable):
            total = self.add(total, item)
        return total

    def legacy_tensor(self, *args: Any, **kwargs: Any) -> torch.Tensor:
        """``torch.Tensor(...)``: made with torch.empty / torch.tensor, whose sizes the limits check.

        PyTorch's own constructor allocates without a torch call the size limits could see.
        """
        if len(args) == 1 and isinstance(args[0], torch.Size):
            args = tuple(args[0])
        if not args:
            return torch.empty(0, **kwargs)
        if all(_is_int(a) for a in args):
            return torch.empty(args, dtype=torch.get_default_dtype(), **kwargs)
        if len(args) == 1 and isinstance(args[0], (list, tuple, range)):
            return torch.tensor(args[0], dtype=torch.get_default_dtype(), **kwargs)
        if len(args) == 1 and isinstance(args[0], torch.Tensor) and not kwargs:
            return torch.Tensor(args[0])  # shares the tensor's memory, as in PyTorch
        raise TypeError("torch.Tensor() takes sizes, a list of numbers or a tensor")

    def print(self, *args: Any, sep: str | None = " ", end: str | None = "\n") -> None:
        """``print`` into the captured output, truncated at the output limit."""
        for arg in (*args, sep, end):
            self.check_text(arg)
        sep = " " if sep is None else str(sep)
        end = "\n" if end is None else str(end)
        text = _showable(sep.join(str(arg) for arg in args) + end)
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


def _text_size(value: Any, budget: int) -> int:
    """Roughly how many characters ``str(value)`` has, counted until it is over ``budget``.

    Walks containers, modules (their repr lists every child) and optimizers (their param
    groups) without recursion; a sub-list shared N times counts N times, as print repeats it,
    while a container met again inside itself counts once, as repr prints it as ``[...]``.
    """
    size = 0
    on_path: set[int] = set()
    stack: list[tuple[Any, bool]] = [(value, False)]
    while stack:
        item, leaving = stack.pop()
        if leaving:
            on_path.discard(id(item))
            continue
        children: Iterable[Any] = ()
        if isinstance(item, (str, bytes)):
            size += len(item) + 3
        elif isinstance(item, (bool, float, complex)) or item is None:
            size += 4
        elif isinstance(item, int):
            size += item.bit_length() // 4 + 1
        elif isinstance(item, torch.Tensor):
            size += 20 + 4 * min(item.numel(), 1000)
        elif isinstance(item, _CONTAINERS):
            container: Any = item
            size += 2 + 2 * len(container)
            children = list(container.items()) if isinstance(container, dict) else container
        elif isinstance(item, nn.Module):
            size += 40
            children = [m for m in item._modules.values() if m is not None]
        elif isinstance(item, torch.optim.Optimizer):
            size += 40
            children = item.param_groups
        elif isinstance(item, (types.GenericAlias, types.UnionType)):
            size += 10
            children = item.__args__
        else:
            size += 40
        if size > budget:
            return size
        if children:
            if id(item) in on_path:
                continue
            on_path.add(id(item))
            stack.append((item, True))
            stack.extend((child, False) for child in children)
    return size


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


def _showable(text: str) -> str:
    """``text`` with lone surrogates (``chr(0xD800)``) written as escapes: they cannot be UTF-8."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _numpy_refusal(tensor: torch.Tensor, *args: Any, **kwargs: Any) -> Any:
    if tensor.requires_grad:
        # Let PyTorch raise its own error: students should see the message they will meet.
        raise RuntimeError(
            "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead."
        )
    raise SandboxViolation(
        "numpy is not available in this sandbox; use .tolist() or print the tensor"
    )


def _allowed_module(name: str) -> types.ModuleType | None:
    if name not in allow.IMPORTABLE_MODULES:
        return None
    module: Any = torch
    for part in name.split(".")[1:]:
        module = getattr(module, part)
    return module if isinstance(module, types.ModuleType) else None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _sized(value: Any) -> bool:
    """A sequence-like value whose ``+`` and ``*`` build a longer one (lists, strings, Sequential...)."""
    return hasattr(type(value), "__len__") and not isinstance(
        value, (torch.Tensor, dict, set, frozenset)
    )


def _length_hint(value: Any) -> int:
    try:
        return len(value)
    except TypeError:
        return 0


def _describe(obj: Any) -> str:
    if isinstance(obj, types.ModuleType):
        return f"module '{obj.__name__}'"
    return f"'{type(obj).__name__}' objects"


_LIST = _stand_in(list, "counted_list")
_TUPLE = _stand_in(tuple, "counted_tuple")
_SET = _stand_in(set, "counted_set")
_STR = _stand_in(str, "checked_str")
_TENSOR = _stand_in(torch.Tensor, "legacy_tensor")
_SAFE_BUILTINS: dict[str, Any] = {
    name: getattr(builtins, name) for name in allow.SAFE_BUILTIN_NAMES
}
