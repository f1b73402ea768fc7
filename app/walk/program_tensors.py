"""The tensors a finished program's variables hold, by the names a reader would use."""

from __future__ import annotations

import reprlib
from typing import Any

import torch
from torch import nn

_SHORT = reprlib.Repr()
_SHORT.maxstring = _SHORT.maxother = 40


def named_tensors(namespace: dict[str, Any]) -> list[tuple[str, torch.Tensor]]:
    """Tensors a program's variables hold: directly, in lists/tuples/dicts, or as module parameters."""
    found: list[tuple[str, torch.Tensor]] = []
    for name, value in namespace.items():
        if name.startswith("_"):
            continue
        if isinstance(value, torch.Tensor):
            found.append((name, value))
        elif isinstance(value, nn.Module):
            found.extend(_module_parameters(name, value))
        elif isinstance(value, (list, tuple)):
            found.extend(
                (f"{name}[{i}]", v) for i, v in enumerate(value) if isinstance(v, torch.Tensor)
            )
        elif isinstance(value, dict):
            found.extend(
                (f"{name}[{_SHORT.repr(k)}]", v)
                for k, v in value.items()
                if isinstance(v, torch.Tensor)
            )
    return found


def _module_parameters(name: str, module: nn.Module) -> list[tuple[str, torch.Tensor]]:
    """``named_parameters`` without recursion (torch's own recurses once per nesting level)."""
    found: list[tuple[str, torch.Tensor]] = []
    seen: set[int] = set()
    stack = [(name, module)]
    while stack:
        prefix, current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        for pname, param in current._parameters.items():
            if param is not None and id(param) not in seen:
                seen.add(id(param))
                found.append((_short_name(f"{prefix}.{pname}"), param))
        children = [(f"{prefix}.{c}", m) for c, m in current._modules.items() if m is not None]
        stack.extend(reversed(children))
    return found


def _short_name(name: str, limit: int = 80) -> str:
    return name if len(name) <= limit else name[:40] + "…" + name[-(limit - 41) :]
