"""Attribute reads and writes, ``type()``, and imports: only what the allowlist's records list.

The rewritten program reads ``obj.name`` as ``_ag_getattr(obj, "name")`` and writes it as
``_ag_setattr``; ``import x`` becomes ``_ag_import_module("x")``; the builtins ``getattr``,
``hasattr``, ``setattr`` and ``type`` are these same guards. Which names each kind of object
exposes comes from the records in ``app/language/allowlist/``; a name a record lists under
``wrapped`` is replaced by the runtime's reader of that name (``readers``). Objects of the
program's own classes also expose what the program defined on them.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np
import torch
from torch import nn

from app.hints import sandbox
from app.hints.names import attach_hint, attribute_hint
from app.language.allowlist import ALLOWLIST
from app.language.allowlist.builtins import READABLE_DUNDERS, SPECIAL_METHODS
from app.language.children import Children
from app.language.definitions import Definitions
from app.language.errors import SandboxViolation
from app.language.numpy_arrays import array
from app.language.stand_ins import STAND_INS, TENSOR, StandIn, opaque

Reader = Callable[[Any, str], Any]
_MISSING = object()
_HEAP_TYPE = 1 << 9  # Py_TPFLAGS_HEAPTYPE: a class made by a class statement, not written in C
# Types ``type(x)`` hands out as they are: calling them builds nothing the limits miss.
_PLAIN_TYPES = frozenset({int, float, bool, complex, dict, frozenset, slice, object, type(None)})
# Values whose ``__name__`` a program may read: classes, functions, modules.
_NAMED = (type, types.FunctionType, types.BuiltinFunctionType, types.MethodType, types.ModuleType)
# Tensor classes no program can subclass or change: what their record lists is all they have.
_PLAIN_TENSORS = frozenset([torch.Tensor, nn.Parameter])
# A plain tensor's fields (``w.grad``, ``x.shape``, ``p.requires_grad``): C getters and
# setters that run no Python code. Through the torch mode each read or write is a torch call
# that the mode only passes on (``__get__`` / ``__set__``: nothing to size, count or record),
# at the cost of a torch call; these are read and written past it (a training loop reads and
# clears every ``.grad`` each iteration). Methods (``x.sum``) are plain attribute reads.
_TENSOR_FIELDS = frozenset(
    name
    for kind in reversed(torch.Tensor.__mro__)
    for name, value in vars(kind).items()
    if type(value) is types.GetSetDescriptorType
)
_FIELD = "<field>"  # what ``_known`` notes for a plain tensor's field (no reader's name)
_PAST_TORCH_MODE = torch._C.DisableTorchFunction
# The tables of a module a program may look at (``_modules`` may also be set).
_MODULE_TABLES = frozenset({"_modules", "_parameters", "_buffers"})
# What nn.Module keeps on every instance (``_parameters``, ``_modules``, hooks...).
_MODULE_INTERNALS = frozenset(vars(nn.Module()))


class Attributes:
    """The attribute guard of one program."""

    def __init__(
        self,
        definitions: Definitions,
        readers: Mapping[str, Reader],
        on_import: Callable[[str], None] = lambda library: None,
    ) -> None:
        self.definitions = definitions
        self.readers = readers
        self.on_import = on_import  # told the library of every module the program imports
        # The names already found readable on a library module or a plain tensor, whose rules
        # never change while a program runs: name -> its reader ("" for none), by the module
        # object or the tensor class. A training loop reads the same few thousands of times.
        self._known: dict[Any, dict[str, str]] = {}
        self._settable: dict[type, frozenset[str]] = {}  # the same for a plain tensor's writes

    # --- reading ---------------------------------------------------------------------------------
    def getattr(self, obj: Any, name: str, default: Any = _MISSING) -> Any:
        """Read ``obj.name`` if the allowlist has it for this kind of object (``getattr`` too)."""
        kind = type(obj)
        known = self._known.get(obj if kind is types.ModuleType else kind)
        if known is not None and name in known:  # the same answer as the first time
            reader = known[name]
            if reader is _FIELD:
                with _PAST_TORCH_MODE():  # see _TENSOR_FIELDS
                    return (
                        getattr(obj, name) if default is _MISSING else getattr(obj, name, default)
                    )
            return self._read(obj, name, reader, default)
        if name.startswith("__"):
            return self._dunder(obj, name)
        if isinstance(obj, nn.Module) and name in _MODULE_TABLES:
            # Course notes print a module's tables; d2l's MySequential sets children with
            # self._modules[str(i)] = block: modules only go in (add_module's check).
            if name == "_modules":
                return Children(obj)
            return types.MappingProxyType(getattr(obj, name))  # read only
        if not self.permits(obj, name):
            absent = not self.hasattr(obj, name)
            if default is not _MISSING and absent:
                return default  # getattr(x, "nope", 7): there is no such attribute here
            if absent and not isinstance(obj, (types.ModuleType, StandIn)):
                # ``w.grad.zero_()`` before any backward, ``x.zero()``: Python's own error (a
                # module stays refused: asking it would import its submodules; the sandbox's
                # stand-in for a class has none of the real class's names).
                raise _no_attribute(obj, name, self.readable(obj))
            raise SandboxViolation(
                f"attribute '{name}' of {describe(obj)} is not available in this sandbox",
                _refusal_hint(obj, name),
            )
        reader = self._wrapped(obj).get(name) or ""
        if _listed(obj, name):
            field = kind in _PLAIN_TENSORS and not reader and name in _TENSOR_FIELDS
            known_as = _FIELD if field else reader
            self._known.setdefault(obj if kind is types.ModuleType else kind, {})[name] = known_as
        return self._read(obj, name, reader, default)

    def _read(self, obj: Any, name: str, reader: str, default: Any) -> Any:
        """``obj.name``, a name the program may read: by its reader if the records wrap it."""
        if reader:
            return self.readers[reader](obj, name)
        try:
            value = getattr(obj, name) if default is _MISSING else getattr(obj, name, default)
        except AttributeError as error:
            # A name listed for the kind of object that this one lacks (``x.zero()``)
            if type(error) is AttributeError and error.name == name and error.obj is obj:
                attach_hint(error, attribute_hint(name, self.readable(obj)))
            raise
        if value is torch.Tensor:  # calling torch.Tensor(...) allocates without a torch call
            return TENSOR
        return value

    def hasattr(self, obj: Any, name: str) -> bool:
        """``hasattr``: whether ``obj`` has ``name``, for any name (``hasattr(x, "__len__")``
        in d2l's plotting helper). It hands out no value, only the answer.

        A library module has only the names its record lists: asking it for any other would
        run its ``__getattr__``, which imports submodules (``hasattr(torch, "onnx")``)."""
        if not isinstance(name, str):
            raise TypeError("hasattr(): attribute name must be string")
        if isinstance(obj, types.ModuleType):
            listed = name in READABLE_DUNDERS if name.startswith("__") else self.permits(obj, name)
            return listed and hasattr(obj, name)
        return hasattr(obj, name)

    def permits(self, obj: Any, name: str) -> bool:
        """Whether a program may read ``obj.name``."""
        if name.startswith("_"):
            return self._own_private(obj, name) or _listed_private(obj, name)
        if name in self.readable(obj):
            return True
        # An object of a class the program wrote, on no library class: any name it may have.
        kind = obj if isinstance(obj, type) else type(obj)
        return self.definitions.is_users(kind) and not self._library_base(kind)

    def readable(self, obj: Any) -> frozenset[str] | set[str]:
        """The names a program may read on ``obj``."""
        if isinstance(obj, types.ModuleType):
            module_rule = ALLOWLIST.module_rule(obj)
            return module_rule.names if module_rule is not None else frozenset()
        if isinstance(obj, type):
            return self._class_names(obj)
        rule = ALLOWLIST.type_rule(type(obj))
        names = rule.read if rule is not None else frozenset()
        if self.definitions.is_users(type(obj)):
            return names | self._own_names(obj)
        if isinstance(obj, nn.Module):  # its children, parameters and buffers, by name
            return names | _structure(obj)
        if "*" in names:  # the program's own fields on a library object (ctx.constant)
            return names | {n for n in getattr(obj, "__dict__", ()) if not n.startswith("_")}
        return names

    def type_of(self, obj: Any, *more: Any) -> type:
        """``type(obj)`` (one argument), as a class the program may safely hold and call."""
        if more:
            raise SandboxViolation(
                "type() with three arguments (making a class) is not available here;"
                " write a class statement"
            )
        kind = type(obj)
        stand_in = STAND_INS.get(kind)
        if stand_in is not None:
            return stand_in
        if kind in _PLAIN_TYPES or self.definitions.is_users(kind) or ALLOWLIST.is_listed(kind):
            return kind
        return opaque(kind)

    def _dunder(self, obj: Any, name: str) -> Any:
        """``__name__`` of classes, functions and modules; ``__class__``; a module's version."""
        if name == "__class__":
            return self.type_of(obj)
        if name in ("__name__", "__module__", "__qualname__") and isinstance(obj, _NAMED):
            return getattr(obj, name)
        if name == "__module__" and isinstance(getattr(obj, name, None), str):
            return getattr(obj, name)  # an object's class's module: d2l checks torch's own
        if name == "__version__" and ALLOWLIST.module_rule(obj) is not None:
            return getattr(obj, "__version__", None)
        if name in SPECIAL_METHODS and self._defined_by_program(obj, name):
            return getattr(obj, name)  # self.__getitem__(token): the program's own method
        raise SandboxViolation(
            f"attribute '{name}' of {describe(obj)} is not available in this sandbox",
            sandbox.UNDERSCORE,
        )

    def _wrapped(self, obj: Any) -> Mapping[str, str]:
        if isinstance(obj, types.ModuleType):
            module_rule = ALLOWLIST.module_rule(obj)
            return module_rule.wrapped if module_rule is not None else {}
        rule = ALLOWLIST.type_rule(obj if isinstance(obj, type) else type(obj))
        if isinstance(obj, type):
            return rule.class_wrapped if rule is not None else {}
        return rule.wrapped if rule is not None else {}

    def _class_names(self, kind: type) -> set[str] | frozenset[str]:
        """What a program may read on a class: what the program defined on its own classes,
        and what the allowlist lists for the class itself (``MyFunction.apply``)."""
        rule = ALLOWLIST.type_rule(kind)
        names: set[str] = set(rule.class_read) if rule is not None else set()
        for cls in kind.__mro__:
            if cls in self.definitions.user_classes:
                names.update(n for n in vars(cls) if not n.startswith("_"))
        return names

    def _own_names(self, obj: Any) -> set[str]:
        """What an object of the program's own class adds: its fields, children, methods."""
        names = set(getattr(obj, "__dict__", ()))
        if isinstance(obj, nn.Module):
            names.update(_structure(obj))
        for cls in type(obj).__mro__:
            if cls in self.definitions.user_classes:
                names.update(vars(cls))
        return {n for n in names if not n.startswith("_")}

    def _defined_by_program(self, obj: Any, name: str) -> bool:
        kind = obj if isinstance(obj, type) else type(obj)
        return any(name in vars(c) for c in kind.__mro__ if c in self.definitions.user_classes)

    def _own_private(self, obj: Any, name: str) -> bool:
        """A name with one leading underscore is readable and settable on the program's own
        objects and classes (micrograd's ``self._prev``), except where the library a class
        builds on keeps its own (``nn.Module``'s ``_parameters``...)."""
        kind = obj if isinstance(obj, type) else type(obj)
        if not self.definitions.is_users(kind):
            return False
        library = [c for c in kind.__mro__ if c not in self.definitions.user_classes]
        if any(name in vars(c) for c in library):
            return False
        return not (isinstance(obj, nn.Module) and name in _MODULE_INTERNALS)

    def _library_base(self, kind: type) -> bool:
        """Whether the program's class ``kind`` builds on a library class (nn.Module...)."""
        return any(
            cls is not object and cls not in self.definitions.user_classes for cls in kind.__mro__
        )

    # --- writing ---------------------------------------------------------------------------------
    def setattr(self, obj: Any, name: str, value: Any) -> None:
        """Write ``obj.name = value`` where a program may: tensor flags, its own objects' fields."""
        if not isinstance(name, str):
            raise TypeError("attribute name must be string")
        kind = type(obj)
        if kind in _PLAIN_TENSORS:  # ``w.grad = None``: no more to it than what the tensor
            settable = self._settable.get(kind)  # record lets be set
            if settable is None:
                settable = self._settable[kind] = _settable(kind)
            if name in settable:
                with _PAST_TORCH_MODE():  # see _TENSOR_FIELDS
                    setattr(obj, name, value)
                return
        if name.startswith("__") or (name.startswith("_") and not self._own_private(obj, name)):
            raise SandboxViolation(f"attribute '{name}' cannot be assigned", sandbox.UNDERSCORE)
        rule = ALLOWLIST.type_rule(type(obj))
        allowed = rule is not None and (name in rule.set or "*" in rule.set)
        if "*" in (rule.set if rule is not None else ()) and hasattr(type(obj), name):
            allowed = False  # a name of the library's own (ctx.saved_tensors...)
        if self.definitions.is_users(obj if isinstance(obj, type) else type(obj)):
            allowed = not self._redefines_library(obj, name)
        if isinstance(obj, nn.Module):
            allowed = allowed and not callable(getattr(type(obj), name, None))
        if not allowed:
            raise SandboxViolation(
                f"attribute '{name}' of {describe(obj)} cannot be assigned in this sandbox"
            )
        setattr(obj, name, value)

    def _redefines_library(self, obj: Any, name: str) -> bool:
        """Setting ``name`` on a program's class would replace a method of the library class it
        builds on (what the class statement itself may not do: ``definitions.user_class``)."""
        if not isinstance(obj, type):
            return False
        library = [c for c in obj.__mro__ if c not in self.definitions.user_classes]
        return any(name in vars(c) for c in library if c is not object) or name.startswith("__")

    # --- imports -------------------------------------------------------------------------------
    def import_module(self, name: str) -> Any:
        """``import torch`` and friends: only the allowlisted modules exist. A module its
        parent's record wraps is what reading it there gives (``import torch.backends.cudnn
        as cudnn``: the program's own flags, as ``torch.backends.cudnn`` is)."""
        library = ALLOWLIST.library_of(name)
        if library is not None:
            self.on_import(library)
        module = ALLOWLIST.load(name)
        if module is None:
            raise SandboxViolation(
                f"import of '{name}' is not available",
                ALLOWLIST.refusal(name) or sandbox.UNUSED_IMPORT,
            )
        parent_name, _, leaf = name.rpartition(".")
        parent = ALLOWLIST.load(parent_name) if parent_name else None
        if parent is not None and leaf in self._wrapped(parent):
            return self.getattr(parent, leaf)
        return module

    def import_from(self, module_name: str, name: str) -> Any:
        """``from torch import nn``: the name must be on that module's allowlist."""
        return self.getattr(self.import_module(module_name), name)


def _listed(obj: Any, name: str) -> bool:
    """Whether a name is readable for good on this object, whatever the program does: a name
    a library module's record lists, or one the tensor record lists, on a plain tensor (not a
    dunder: those ``_dunder`` answers by the object)."""
    if name.startswith("__"):
        return False
    kind = type(obj)
    if kind is types.ModuleType:
        module_rule = ALLOWLIST.module_rule(obj)
        return module_rule is not None and not name.startswith("_") and name in module_rule.names
    rule = ALLOWLIST.type_rule(kind) if kind in _PLAIN_TENSORS else None
    return rule is not None and name in rule.read


def _settable(kind: type) -> frozenset[str]:
    """The names the record of a plain tensor class lets a program set (none private)."""
    rule = ALLOWLIST.type_rule(kind)
    if rule is None or "*" in rule.set:
        return frozenset()
    return frozenset(name for name in rule.set if not name.startswith("_"))


def _listed_private(obj: Any, name: str) -> bool:
    """A name with one leading underscore that a library object's record lists by name, to be
    read only (a tensor's ``_version``): the setter refuses every such name."""
    if isinstance(obj, (type, types.ModuleType)):
        return False
    rule = ALLOWLIST.type_rule(type(obj))
    return rule is not None and name in rule.read


def _structure(module: nn.Module) -> set[str]:
    """The names of a module's children, parameters and buffers (``net.linear``, ``lstm.weight_ih_l0``)."""
    return {
        name
        for table in (module._modules, module._parameters, module._buffers)
        for name in table
        if isinstance(name, str) and not name.startswith("_")
    }


def describe(obj: Any) -> str:
    """How a refusal names the object: ``module 'torch'`` or ``'Tensor' objects``."""
    if isinstance(obj, types.ModuleType):
        return f"module '{obj.__name__}'"
    if isinstance(obj, type):
        return f"class '{obj.__name__}'"
    return f"'{type(obj).__name__}' objects"


def _refusal_hint(obj: Any, name: str) -> Any:
    """The hint for a name that stays out: the records' own, else the general one."""
    if isinstance(obj, types.ModuleType):
        rule = ALLOWLIST.module_rule(obj)
        if rule is not None:
            return ALLOWLIST.refusal(f"{rule.path}.{name}") or sandbox.ATTRIBUTE
    return sandbox.ATTRIBUTE


def _no_attribute(obj: Any, name: str, readable: Iterable[str]) -> AttributeError:
    """The ``AttributeError`` Python raises for a name ``obj`` does not have, worded as Python's,
    with the readable names nearest to it as its hint (``x.zero()``: ``zero_``)."""
    if isinstance(obj, type):
        error = AttributeError(f"type object '{obj.__name__}' has no attribute '{name}'")
    else:
        error = AttributeError(f"'{_type_name(type(obj))}' object has no attribute '{name}'")
    attach_hint(error, attribute_hint(name, readable))
    return error


def _type_name(kind: type) -> str:
    """A class's name as Python's messages give it: a class written in C with its module
    (``numpy.ndarray``), any other by its name (``Tensor``, ``NoneType``)."""
    if kind is array:  # the sandbox's sized NumPy array is an ndarray to the program
        kind = np.ndarray
    if kind.__flags__ & _HEAP_TYPE or kind.__module__ == "builtins":
        return kind.__name__
    return f"{kind.__module__}.{kind.__qualname__}"
