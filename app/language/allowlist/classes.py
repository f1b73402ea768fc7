"""What a program's classes may build on, what they may redefine, and its decorators.

A class of the program's own may build on nothing (``object``) and define any of the special
methods ``builtins.SPECIAL_METHODS`` lists; or on one of the library classes in ``BASES``,
defining of its own special methods only those the base lets it (``overridable``) and
redefining none of the base's methods but those.
"""

from __future__ import annotations

import types
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn
from torch.utils import data

from app.language.records import Names, names


@dataclass(frozen=True)
class ClassRule:
    """A library class a program's class may build on, and what it may redefine of it."""

    name: str
    overridable: Names
    # Set on every subclass by the base's metaclass after the class body, whatever the body
    # defined (``Function``'s ``_backward_cls``: the class of its nodes in the graph).
    made: Names = frozenset()


BASES: dict[type, ClassRule] = {
    nn.Module: ClassRule(
        "nn.Module",
        names("__init__ forward reset_parameters __len__ __getitem__ __iter__ __contains__"),
    ),
    torch.autograd.Function: ClassRule(
        "torch.autograd.Function",
        names("forward backward setup_context jvp"),
        made=names("_backward_cls"),
    ),
    data.Dataset: ClassRule("Dataset", names("__init__ __len__ __getitem__")),
    data.IterableDataset: ClassRule("IterableDataset", names("__init__ __iter__ __len__")),
}

# Decorators a program may apply to its functions and methods.
DECORATORS = ("@staticmethod", "@classmethod", "@property", "@torch.no_grad()")
_DECORATORS: tuple[Any, ...] = (
    staticmethod,
    classmethod,
    property,
    torch.no_grad,
    torch.enable_grad,
    torch.inference_mode,
)
_GRAD_MODES = (torch.no_grad, torch.enable_grad, torch.inference_mode)


def is_decorator(value: Any) -> bool:
    """Whether ``value`` is a decorator a program may apply (``@x.setter`` included)."""
    if any(value is allowed for allowed in _DECORATORS) or isinstance(value, _GRAD_MODES):
        return True
    return (
        isinstance(value, types.BuiltinMethodType)
        and isinstance(getattr(value, "__self__", None), property)
        and value.__name__ in ("setter", "getter", "deleter")
    )
