"""Attribute reads and writes, and imports: only what the allowlist's records list.

The rewritten program reads ``obj.name`` as ``_ag_getattr(obj, "name")`` and writes it as
``_ag_setattr``; ``import x`` becomes ``_ag_import_module("x")``. Which names each kind of
object exposes comes from the records in ``app/language/allowlist/``; a name a record lists
under ``wrapped`` is replaced by the runtime's reader of that name (``readers``).
"""

from __future__ import annotations

import types
from collections.abc import Callable, Mapping
from typing import Any

import torch
from torch import nn

from app.language.allowlist import ALLOWLIST
from app.language.definitions import Definitions
from app.language.errors import SandboxViolation
from app.language.stand_ins import TENSOR

Reader = Callable[[Any], Any]


class Attributes:
    """The attribute guard of one program."""

    def __init__(self, definitions: Definitions, readers: Mapping[str, Reader]) -> None:
        self.definitions = definitions
        self.readers = readers

    def getattr(self, obj: Any, name: str) -> Any:
        """Read ``obj.name`` if the allowlist has it for this kind of object."""
        if name.startswith("_") or name not in self.readable(obj):
            raise SandboxViolation(
                f"attribute '{name}' of {describe(obj)} is not available in this sandbox"
            )
        reader = self._wrapped(obj).get(name)
        if reader is not None:
            return self.readers[reader](obj)
        value = getattr(obj, name)
        if value is torch.Tensor:  # calling torch.Tensor(...) allocates without a torch call
            return TENSOR
        return value

    def setattr(self, obj: Any, name: str, value: Any) -> None:
        """Write ``obj.name = value`` where a program may: tensor flags, its own modules' fields."""
        if name.startswith("_"):
            raise SandboxViolation(f"attribute '{name}' cannot be assigned")
        rule = ALLOWLIST.type_rule(type(obj))
        allowed = rule is not None and name in rule.set
        if isinstance(obj, nn.Module):
            allowed = allowed or type(obj) in self.definitions.user_classes
            allowed = allowed and not callable(getattr(type(obj), name, None))
        if not allowed:
            raise SandboxViolation(
                f"attribute '{name}' of {describe(obj)} cannot be assigned in this sandbox"
            )
        setattr(obj, name, value)

    def readable(self, obj: Any) -> frozenset[str] | set[str]:
        """The names a program may read on ``obj``."""
        if isinstance(obj, types.ModuleType):
            module_rule = ALLOWLIST.module_rule(obj)
            return module_rule.names if module_rule is not None else frozenset()
        rule = ALLOWLIST.type_rule(type(obj))
        names = rule.read if rule is not None else frozenset()
        if isinstance(obj, nn.Module) and self.definitions.is_users(type(obj)):
            return names | self._own_names(obj)
        return names

    def _wrapped(self, obj: Any) -> Mapping[str, str]:
        if isinstance(obj, types.ModuleType):
            module_rule = ALLOWLIST.module_rule(obj)
            return module_rule.wrapped if module_rule is not None else {}
        rule = ALLOWLIST.type_rule(type(obj))
        return rule.wrapped if rule is not None else {}

    def _own_names(self, module: nn.Module) -> set[str]:
        """What a module of the program's own class adds: its fields, children, methods."""
        names = set(vars(module))
        names.update(module._parameters, module._modules, module._buffers)
        for cls in type(module).__mro__:
            if cls in self.definitions.user_classes:
                names.update(vars(cls))
        return {n for n in names if not n.startswith("_")}

    # --- imports -------------------------------------------------------------------------------
    def import_module(self, name: str) -> types.ModuleType:
        """``import torch`` and friends: only the allowlisted modules exist."""
        module = ALLOWLIST.load(name)
        if module is None:
            raise SandboxViolation(f"import of '{name}' is not available")
        return module

    def import_from(self, module_name: str, name: str) -> Any:
        """``from torch import nn``: the name must be on that module's allowlist."""
        return self.getattr(self.import_module(module_name), name)


def describe(obj: Any) -> str:
    """How a refusal names the object: ``module 'torch'`` or ``'Tensor' objects``."""
    if isinstance(obj, types.ModuleType):
        return f"module '{obj.__name__}'"
    return f"'{type(obj).__name__}' objects"
