"""The answer's table of modules: for each module the graph's nodes name (and each module on
the way to one, such as the ``ModuleList`` in ``model.layers.7``), its class, how many
parameter elements it holds and the norm of their gradients at the end of the program.

Read from the modules' own ``_modules`` and ``_parameters`` dicts, as ``named_modules`` and
``parameters`` would walk them, without calling any method a program could override; a
parameter shared by two modules counts once in each.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from app.graph_model import ModuleRow
from app.walk.module_scopes import ModuleScopes

# Modules looked at in all, walking down from each module the graph names.
_VISITS = 100_000


def _parameters(module: nn.Module) -> list[torch.Tensor]:
    """Every parameter of ``module`` and the modules inside it, each once."""
    found: dict[int, torch.Tensor] = {}
    seen: set[int] = set()
    stack = [module]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        for parameter in current._parameters.values():
            if isinstance(parameter, torch.Tensor):
                found.setdefault(id(parameter), parameter)
        stack.extend(child for child in current._modules.values() if child is not None)
    return list(found.values())


def _row(path: str, module: nn.Module) -> ModuleRow:
    parameters = _parameters(module)
    grads = [p.grad for p in parameters if isinstance(p.grad, torch.Tensor)]
    norm: float | None = None
    if grads:
        with torch.no_grad():
            total = sum(float(g.detach().double().pow(2).sum()) for g in grads if not g.is_sparse)
        norm = math.sqrt(total) if math.isfinite(total) else None
    return ModuleRow(
        path=path,
        type=type(module).__name__,
        parameters=sum(p.numel() for p in parameters),
        grad_norm=norm,
    )


def module_table(scopes: ModuleScopes) -> list[ModuleRow]:
    """A row for each module the graph names and each module between it and the module the
    program holds it by, in the order the program first called them."""
    named = {scope.path: module for module, scope in scopes.named()}
    wanted: set[str] = set()
    for path in named:
        pieces = path.split(".")
        wanted.update(".".join(pieces[:k]) for k in range(1, len(pieces) + 1))
    found: dict[str, nn.Module] = {}
    visits = 0
    for path, module in named.items():
        stack: list[tuple[str, nn.Module]] = [(path, module)]
        while stack and visits < _VISITS:
            at, current = stack.pop()
            visits += 1
            found.setdefault(at, current)
            for name, child in current._modules.items():
                inner = f"{at}.{name}"
                if child is not None and inner in wanted and inner not in found:
                    stack.append((inner, child))
    rows: list[ModuleRow] = []
    done: set[str] = set()
    for path in named:  # outer modules are named before the modules they call
        pieces = path.split(".")
        for k in range(1, len(pieces) + 1):
            at = ".".join(pieces[:k])
            if at in found and at not in done:
                done.add(at)
                rows.append(_row(at, found[at]))
    return rows
