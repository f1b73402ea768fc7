"""The shape of app/ (docs/architecture.md), read from the source with ``ast``, nothing imported:
no import cycle, no import that runs up a floor, no module over 450 lines.

Floors, top to bottom: the entries, ``api``, ``workers`` and ``draw``, ``evaluate``,
``language`` and ``walk``, then the plain data and settings at the bottom. A module imports
from its own package and from lower floors only (the bottom's modules, the leaves everything
shares, also from each other: the cycle tests keep them apart).

Every import counts, also one inside a function (it runs later, but it is a dependency all the
same); an import under ``if TYPE_CHECKING:`` never runs, so it counts for the floors (types
follow the floors too) but cannot close a cycle. Importing ``a.b.c`` first runs
``a/__init__.py`` and ``a/b/__init__.py``: a cycle through a package's ``__init__`` is a cycle.
"""

from __future__ import annotations

import ast
import itertools
from dataclasses import dataclass
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "app"
MAX_LINES = 450

FLOORS: tuple[tuple[str, ...], ...] = (  # top to bottom
    ("app.cli",),  # the command line: serves (app.serve) and runs programs (app.main)
    ("app.main", "app.zygote", "app.serve"),
    ("app.api",),
    ("app.workers", "app.draw"),
    ("app.evaluate",),
    ("app.language", "app.walk"),
    (
        "app.record",
        "app.graph_model",
        "app.drawn_fields",  # the fields a drawing reads: the worker's early part, the server's
        "app.limits",
        "app.config",
        "app.schemas",
        "app.graph_schemas",  # the graph's parts in the contract (app.schemas puts them together)
        "app.collector",
        "app.bounded_lru",  # the LRU of the response cache and the SVG cache
        "app.background_tasks",  # the tasks the worker and drawing pools do not wait for
        "app.tensor_tree",
        "app.tensor_print",
        "app.hints",
        "app.examples",  # the gallery's loader (its programs are data, not modules)
        "app.assets",  # where static/ and templates/ are (checkout or installed wheel)
        "app.syscall_filter",  # the seccomp filter of the workers and the drawing processes
    ),
)
FLOOR = {unit: level for level, units in enumerate(FLOORS) for unit in units}
BOTTOM = len(FLOORS) - 1


@dataclass(frozen=True)
class Import:
    """One import statement's target module, where it is, and whether it ever runs."""

    target: str
    line: int
    type_only: bool


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(APP.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    """Every module of app/ by name (the gallery's numbered programs are not modules)."""
    found: dict[str, Path] = {}
    for path in sorted(APP.rglob("*.py")):
        name = _module_name(path)
        if all(part.isidentifier() for part in name.split(".")):
            found[name] = path
    return found


MODULES = _modules()


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(name: str, path: Path) -> list[Import]:
    """The modules of app/ that module ``name`` imports."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[Import] = []

    def target_of(module: str) -> str:
        """The module itself, or the package whose attribute it is."""
        while module not in MODULES and "." in module:
            module = module.rpartition(".")[0]
        return module

    def visit(node: ast.AST, type_only: bool) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "app" or alias.name.startswith("app."):
                    found.append(Import(target_of(alias.name), node.lineno, type_only))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(parent + ([node.module] if node.module else []))
            if base == "app" or base.startswith("app."):
                for alias in node.names:
                    found.append(Import(target_of(f"{base}.{alias.name}"), node.lineno, type_only))
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.body:
                visit(child, True)
            for child in node.orelse:
                visit(child, type_only)
            return
        for child in ast.iter_child_nodes(node):
            visit(child, type_only)

    visit(ast.parse(path.read_text(encoding="utf-8"), str(path)), False)
    return found


IMPORTS = {name: _imports(name, path) for name, path in MODULES.items()}


def _unit(module: str) -> str | None:
    """The package (or top-level module) on a floor that ``module`` belongs to."""
    for unit in FLOOR:
        if module == unit or module.startswith(unit + "."):
            return unit
    return None


def _ancestors(module: str) -> list[str]:
    parts = module.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def _runs(module: str) -> dict[str, Import]:
    """What importing ``module`` runs directly: each module it imports at run time, and the
    ``__init__`` of each package on the way there it is not itself inside; with the import."""
    edges: dict[str, Import] = {}
    for item in IMPORTS[module]:
        if item.type_only:
            continue
        inside = set(_ancestors(module))
        for runs in [*_ancestors(item.target), item.target]:
            if runs in MODULES and runs != module and runs not in inside:
                edges.setdefault(runs, item)
    return edges


GRAPH = {module: _runs(module) for module in MODULES}


def _cycles() -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    for start, targets in GRAPH.items():
        if start in index:
            continue
        work: list[tuple[str, list[str]]] = [(start, list(targets))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, todo = work[-1]
            if todo:
                nxt = todo.pop()
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, list(GRAPH[nxt])))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(sorted(component))
    return components


def _shortest_loop(start: str, members: set[str]) -> list[str]:
    """The shortest import loop from ``start`` back to it within ``members``."""
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for nxt in sorted(GRAPH[node]):
            if nxt == start:
                return [*paths[node], start]
            if nxt in members and nxt not in paths:
                paths[nxt] = [*paths[node], nxt]
                queue.append(nxt)
    return []


def _step(module: str, runs: str) -> str:
    item = GRAPH[module][runs]
    where = f"{MODULES[module].relative_to(APP.parent)}:{item.line}"
    via = "" if item.target == runs else f", which first runs {runs}"
    return f"  {where}: {module} imports {item.target}{via}"


def _loops(component: list[str]) -> str:
    """The shortest import loop through each module of ``component`` (each once), every step
    with the file and line of its import."""
    loops: list[list[str]] = []
    for member in component:
        loop = _shortest_loop(member, set(component))[:-1]
        first = loop.index(min(loop))
        loop = [*loop[first:], *loop[:first]]
        if loop not in loops:
            loops.append(loop)
    return "\n\n".join(
        "\n".join(_step(a, b) for a, b in itertools.pairwise([*loop, loop[0]])) for loop in loops
    )


UNITS = sorted({unit for module in MODULES if (unit := _unit(module))})
# Import loops known and not yet broken: unit -> why (a strict xfail; none now).
KNOWN_CYCLES: dict[str, str] = {}


def test_every_module_is_on_a_floor() -> None:
    assert [m for m in MODULES if m != "app" and _unit(m) is None] == []
    assert IMPORTS["app"] == []  # the root package imports nothing


def test_no_import_cycle_between_packages() -> None:
    edges = {
        (unit, target_unit)
        for module, targets in GRAPH.items()
        if (unit := _unit(module))
        for target in targets
        if (target_unit := _unit(target)) and target_unit != unit
    }
    reachable = {unit: {b for a, b in edges if a == unit} for unit in UNITS}
    changed = True
    while changed:
        changed = False
        for unit, seen in reachable.items():
            more = set().union(*(reachable[s] for s in seen)) - seen
            if more:
                seen |= more
                changed = True
    assert sorted(unit for unit, seen in reachable.items() if unit in seen) == []


@pytest.mark.parametrize(
    "unit",
    [
        pytest.param(u, marks=pytest.mark.xfail(strict=True, reason=KNOWN_CYCLES[u]))
        if u in KNOWN_CYCLES
        else u
        for u in UNITS
    ],
)
def test_no_import_cycle_between_modules(unit: str) -> None:
    loops = [c for c in _cycles() if any(_unit(m) == unit for m in c)]
    assert loops == [], "import loops:\n" + "\n\n".join(_loops(c) for c in loops)


@pytest.mark.parametrize("unit", UNITS)
def test_imports_stay_on_their_floor_or_go_down(unit: str) -> None:
    level = FLOOR[unit]
    upward = [
        f"{MODULES[module].relative_to(APP.parent)}:{item.line} imports {item.target}"
        for module, items in IMPORTS.items()
        if _unit(module) == unit
        for item in items
        if (target_unit := _unit(item.target)) != unit
        and (
            target_unit is None
            or FLOOR[target_unit] < level
            or (FLOOR[target_unit] == level < BOTTOM)
        )
    ]
    assert upward == []


def test_no_module_is_over_450_lines() -> None:
    lengths = {
        str(path.relative_to(APP.parent)): len(path.read_text(encoding="utf-8").splitlines())
        for path in sorted(APP.rglob("*.py"))
    }
    assert {path: n for path, n in lengths.items() if n > MAX_LINES} == {}
