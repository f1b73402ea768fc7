"""The answer's table of modules: for each module the graph's nodes name (and each module on
the way to one, such as the ``ModuleList`` in ``model.layers.7``), its class, how many
parameter elements it holds and the norm of their gradients at the end of the program.

Read from the modules' own ``_modules`` and ``_parameters`` dicts (from each instance's
``vars``), as ``named_modules`` and ``parameters`` would walk them, without calling any method
or property a program could define; a parameter shared by two modules counts once in each,
and each parameter's gradient is read once.

Bounded: the walk down from the named modules reads ``_VISITS`` modules at most, and the rows'
parameter counts read ``_ROW_VISITS`` modules and parameters in all (a module shared by every
block of a model is read again for each block's row): past it, the modules left get no row,
and the page counts their parameters from the graph's parameter nodes.
"""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import nn

from app.graph_model import ModuleRow
from app.walk.module_scopes import ModuleScopes

# Modules looked at in all, walking down from each module the graph names.
_VISITS = 100_000
# Modules and parameters read in all for the rows' parameter counts and gradient norms.
_ROW_VISITS = 200_000


class _Budget:
    """What is left of ``_ROW_VISITS``."""

    def __init__(self, left: int = _ROW_VISITS) -> None:
        self.left = left

    def spend(self, count: int = 1) -> bool:
        """Take ``count`` reads; whether the budget had them."""
        self.left -= count
        return self.left >= 0


def _own(module: nn.Module, name: str) -> dict[str, Any]:
    """The module's ``_modules`` or ``_parameters`` dict as its instance holds it (read from
    ``vars``, so no property or method of the program's class runs)."""
    found = vars(module).get(name)
    return found if type(found) is dict else {}


def _parameters(module: nn.Module, budget: _Budget) -> list[torch.Tensor] | None:
    """Every parameter of ``module`` and the modules inside it, each once (None: the budget
    ran out)."""
    found: dict[int, torch.Tensor] = {}
    seen: set[int] = set()
    stack = [module]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        own = _own(current, "_parameters")
        children = _own(current, "_modules")
        if not budget.spend(1 + len(own) + len(children)):
            return None
        for parameter in own.values():
            if isinstance(parameter, torch.Tensor):
                found.setdefault(id(parameter), parameter)
        stack.extend(c for c in children.values() if isinstance(c, nn.Module))
    return list(found.values())


class _Squares:
    """Each parameter's squared gradient norm, computed once however many modules hold it."""

    def __init__(self) -> None:
        self.known: dict[int, float | None] = {}

    def of(self, parameter: torch.Tensor) -> float | None:
        if id(parameter) not in self.known:
            grad = parameter.grad
            value: float | None = None
            if isinstance(grad, torch.Tensor) and not grad.is_sparse:
                with torch.no_grad():
                    value = float(torch.linalg.vector_norm(grad, dtype=torch.float64)) ** 2
            self.known[id(parameter)] = value
        return self.known[id(parameter)]


def _row(path: str, module: nn.Module, squares: _Squares, budget: _Budget) -> ModuleRow | None:
    parameters = _parameters(module, budget)
    if parameters is None:
        return None
    found = [v for v in (squares.of(p) for p in parameters) if v is not None]
    total = sum(found)
    return ModuleRow(
        path=path,
        type=type(module).__name__,
        parameters=sum(p.numel() for p in parameters),
        grad_norm=math.sqrt(total) if found and math.isfinite(total) else None,
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
            for name, child in _own(current, "_modules").items():
                inner = f"{at}.{name}"
                if isinstance(child, nn.Module) and inner in wanted and inner not in found:
                    stack.append((inner, child))
    rows: list[ModuleRow] = []
    done: set[str] = set()
    squares = _Squares()
    budget = _Budget()
    for path in named:  # outer modules are named before the modules they call
        pieces = path.split(".")
        for k in range(1, len(pieces) + 1):
            at = ".".join(pieces[:k])
            if at in found and at not in done:
                done.add(at)
                row = _row(at, found[at], squares, budget)
                if row is None:
                    return rows
                rows.append(row)
    return rows
