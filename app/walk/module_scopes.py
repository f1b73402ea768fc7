"""Which ``nn.Module`` call is running when the program makes an autograd node, and the
program's path to that module (``model.layers.7``, ``net.fc1``, ``layers[2]``).

Nothing is registered for it: no hook on any module, none of PyTorch's global module hooks.
Calling a module runs ``nn.Module._call_impl`` with the module as ``self``, so the frames on
the stack when a torch call returns already say which module calls enclose it, innermost
first; reading a frame's locals changes nothing the program can see (its hooks, their order,
its outputs and gradients stay PyTorch's own, and PyTorch keeps its fast path for modules
without hooks). A module whose ``forward`` the program calls directly (``model.forward(x)``)
is not a module call, for us as for PyTorch's hooks.

The path starts with the name the program holds the outermost module by (in the frame that
called it: its locals, then the program's variables; an item of a list, tuple or dict first,
so that ``for layer in layers: layer(x)`` gives ``layers[0]``, ``layers[1]``..., then a
variable, then a module inside one: ``model[0](x)`` gives ``model.0``), then each inner
module's name under the one that called it, as ``named_modules`` spells it (children of a
``Sequential`` or ``ModuleList`` by index). A module found nowhere is named by its class.
Each module object gets one path, the first it was seen under; a path already given to
another module gets ``#2``, ``#3``... (a second ``model`` made later).

Bounded: at most ``MAX_MODULES`` modules get a path (the nodes of the others get none, and
the modules are counted in ``omitted``); a path is cut in the middle to the label limit;
the search for names looks at ``_VISITS`` modules, variables and items at most in a program
(past it, a module not found is named by its class).
"""

from __future__ import annotations

import itertools
import sys
from dataclasses import dataclass
from types import FrameType
from typing import Any

from torch import nn

from app.limits import DEFAULT_LIMITS

# Enough modules for any graph within the node limit whose modules make 8 nodes or more each
# (21,000 nodes: 2,625 modules); a 5,000-node MLP of nn.Linear + nn.Tanh layers, 2.5 nodes a
# module, keeps all its 2,001. Each named module costs a row of the answer's table
# (module_table.py) and a path on its nodes.
NODES_PER_MODULE = 8
MAX_MODULES = DEFAULT_LIMITS.max_graph_nodes // NODES_PER_MODULE
_CALL_IMPL = nn.Module._call_impl.__code__
_ITEMS = 1_000  # the items of one list, tuple or dict looked at for the module
# Modules, variables and items looked at in all (per program) to find the program's names.
_VISITS = 1_000_000


@dataclass(frozen=True)
class Scope:
    """A module as the graph names it: its path (cut to the label limit), its class name,
    and how long the path was before it was cut."""

    path: str
    type: str
    length: int

    @property
    def cut(self) -> int:
        """Characters cut from the path."""
        return self.length - len(self.path)


@dataclass
class _Call:
    """A module call on the stack, and the program frame that made it (None: not found)."""

    module: nn.Module
    caller: FrameType | None = None


class ModuleScopes:
    """The module calls running now, and each module's path (found once, kept for the run)."""

    def __init__(self, filename: str, max_chars: int = 200, max_modules: int = MAX_MODULES) -> None:
        self.filename = filename
        self.max_chars = max_chars
        self.max_modules = max_modules
        self.scopes: dict[int, Scope] = {}  # id(module) -> its scope
        self.omitted: set[int] = set()  # ids of modules past the limit
        self._held: list[nn.Module] = []  # so that an id() is never another module's
        self._taken: dict[str, int] = {}  # path -> how many modules asked for it
        # id(module) -> id(descendant) -> its path under the module and that path's length
        self._inside: dict[int, dict[int, tuple[str, int]]] = {}
        self._visits = 0

    def current(self) -> Scope | None:
        """The innermost module call running now (None: outside every module, or a module
        past the limit)."""
        calls: list[_Call] = []  # innermost first
        frame: FrameType | None = sys._getframe(1)
        while frame is not None:
            code = frame.f_code
            if code is _CALL_IMPL:
                module = frame.f_locals.get("self")
                if isinstance(module, nn.Module):
                    calls.append(_Call(module))
                    if id(module) in self.scopes:
                        break  # the modules outside this one are not needed
            elif code.co_filename == self.filename:
                for call in reversed(calls):
                    if call.caller is not None:
                        break
                    call.caller = frame
                if code.co_name == "<module>":
                    break  # the program's top: no module call encloses it
            frame = frame.f_back
        if not calls:
            return None
        found = self.scopes.get(id(calls[0].module))
        if found is not None:
            return found
        parent: Scope | None = None
        outer: nn.Module | None = None
        for call in reversed(calls):
            scope = self.scopes.get(id(call.module)) or self._name(call, outer, parent)
            if scope is None:
                return None
            parent, outer = scope, call.module
        return parent

    def named(self) -> list[tuple[nn.Module, Scope]]:
        """Each module given a path and its scope, in the order they were named."""
        held = {id(module): module for module in self._held}
        return [(held[key], scope) for key, scope in self.scopes.items()]

    # --- naming a module once -----------------------------------------------------------------
    def _name(self, call: _Call, outer: nn.Module | None, parent: Scope | None) -> Scope | None:
        module = call.module
        if len(self.scopes) >= self.max_modules:
            self.omitted.add(id(module))
            return None
        path: tuple[str, int] | None = None
        if outer is not None and parent is not None:
            inside = self._under(outer, module)
            if inside is not None:
                path = self._join(parent.path, parent.length, *inside)
        if path is None and call.caller is not None:
            path = self._held_by(module, call.caller)
        kind = type(module).__name__
        text, length = path or self._cut(kind, len(kind))
        count = self._taken.get(text, 0) + 1
        self._taken[text] = count
        if count > 1:
            text, length = self._join(text, length, f"#{count}", len(f"#{count}"), sep="")
        scope = Scope(path=text, type=self._cut(kind, len(kind))[0], length=length)
        self.scopes[id(module)] = scope
        self._held.append(module)
        return scope

    def _held_by(self, module: nn.Module, frame: FrameType) -> tuple[str, int] | None:
        """The program's name for ``module`` in ``frame`` (its locals, then the program's
        variables): an item of a list, tuple or dict, else a variable, else a module inside
        a variable's module. ``self`` is a module's name for itself, not the program's."""
        if self._visits >= _VISITS:
            return None
        named = [(k, v) for k, v in frame.f_globals.items() if k[:1] != "_"]
        if frame.f_code.co_name != "<module>":
            local = frame.f_locals.items()
            named = [(k, v) for k, v in local if k[:1] not in ("_", ".") and k != "self"] + named
        self._visits += len(named)
        looked: set[int] = set()  # a list bound to many names is looked through once
        for name, value in named:
            if type(value) in (list, tuple, dict) and id(value) not in looked:
                looked.add(id(value))
                item = self._item_holding(value, module)
                if item is not None:
                    return self._cut(name + item, len(name) + len(item))
        for name, value in named:
            if value is module:
                return self._cut(name, len(name))
        for name, value in named:
            if isinstance(value, nn.Module) and self._visits < _VISITS:
                inside = self._under(value, module)
                if inside is not None:
                    return self._join(*self._cut(name, len(name)), *inside)
        return None

    def _item_holding(
        self, value: list[Any] | tuple[Any, ...] | dict[Any, Any], module: nn.Module
    ) -> str | None:
        """``[2]`` or ``['key']`` when the list, tuple or dict ``value`` holds ``module``."""
        room = max(min(_ITEMS, _VISITS - self._visits), 0)
        pairs = value.items() if type(value) is dict else enumerate(value)
        for count, (key, item) in enumerate(itertools.islice(pairs, room)):
            if item is module:
                self._visits += count + 1
                return f"[{key!r}]" if type(key) in (str, int) else None
        self._visits += min(room, len(value))
        return None

    def _under(self, outer: nn.Module, module: nn.Module) -> tuple[str, int] | None:
        """``module``'s path inside ``outer`` (``layers.7``), or None."""
        if outer is module:
            return None
        index = self._inside.get(id(outer))
        if index is None or (id(module) not in index and self._visits < _VISITS):
            index = self._index(outer)  # again: a module may have been added since
        return index.get(id(module))

    def _index(self, outer: nn.Module) -> dict[int, tuple[str, int]]:
        """Every module inside ``outer`` by the first path ``named_modules`` gives it (depth
        first, children in order, a module met again skipped), read from the ``_modules``
        dicts (no method runs, so no code of the program's), within the visit budget; paths
        found before are kept."""
        if id(outer) not in self._inside:
            self._held.append(outer)
        index = self._inside.setdefault(id(outer), {})
        seen: set[int] = set()
        stack: list[tuple[nn.Module, str, int]] = [(outer, "", 0)]
        while stack:
            current, prefix, length = stack.pop()
            if id(current) in seen:
                continue
            seen.add(id(current))
            if current is not outer:
                prefix, length = index.setdefault(id(current), (prefix, length))
            self._visits += 1
            if self._visits > _VISITS:
                break
            children = []
            for name, child in current._modules.items():
                if child is not None:
                    text = str(name)
                    path = (
                        self._join(prefix, length, text, len(text)) if prefix else (text, len(text))
                    )
                    children.append((child, *self._cut(*path)))
            stack.extend(reversed(children))
        return index

    def _join(
        self, head: str, head_length: int, tail: str, tail_length: int, sep: str = "."
    ) -> tuple[str, int]:
        return self._cut(head + sep + tail, head_length + len(sep) + tail_length)

    def _cut(self, text: str, length: int) -> tuple[str, int]:
        """``text`` cut in the middle to the label limit (as the graph's labels are), and the
        length of the whole path it stands for."""
        limit = self.max_chars
        if len(text) <= limit:
            return text, length
        head = (limit - 1) // 2
        return text[:head] + "…" + text[len(text) - (limit - 1 - head) :], length
