"""The variables a program bound its tensors to: which name, where, and which time.

A name alone does not tell a loop's nine ``y`` apart, nor a helper's local ``h`` from the
module's ``h``. Each binding is kept with its scope (the function it ran in, None at module
level), its line, and the how-many-th time that line bound that name (a loop's iteration);
``current`` is decided at the end, by what the program's variables hold then.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field

import torch

from app.graph_model import NameBinding
from app.walk.tensor_states import TensorState, grad_fn, state_of

Holder = Callable[[], torch.Tensor | None]
Place = tuple[str, str | None, int | None]  # (name, scope, line)


@dataclass
class Named:
    """A tensor the program bound to variables: the tensor (or a weak reference to it), its
    names, the line of the first binding, each binding's place and latest iteration, and its
    state when first bound (as built)."""

    tensor: Holder
    names: list[str]
    line: int | None
    built: TensorState | None = None
    call: int | None = None  # backward calls that had run when it was first bound
    bindings: dict[Place, int] = field(default_factory=dict)  # place -> iteration (1-based)
    # Distinct names past the per-tensor limit (``xs = [x] * 100000`` names x 100,000 times).
    more: set[str] = field(default_factory=set)


def holder(tensor: torch.Tensor, forget: Callable[..., None]) -> Holder:
    """Something that gives ``tensor`` back: holding it if it takes part in autograd (a named
    step of a chain stays in the graph), else a weak reference that calls ``forget`` when the
    program drops it (a loop's batches are never kept alive)."""
    if tensor.requires_grad or grad_fn(tensor) is not None:
        return lambda: tensor
    return weakref.ref(tensor, forget)


class Names:
    """Every tensor the program bound, by ``id()``, and how often each place bound a name."""

    def __init__(self, max_names: int) -> None:
        self.max_names = max_names
        self.named: dict[int, Named] = {}
        self.times: dict[Place, int] = {}  # how many tensors each place bound
        # Named since the last take_fresh(), each with its key: an entry whose tensor died
        # stays here, and a new tensor at its address is another entry under the same key.
        self.fresh: list[tuple[int, Named]] = []

    def bind(
        self,
        tensor: torch.Tensor,
        name: str,
        line: int | None = None,
        scope: str | None = None,
        *,
        final: bool = False,
        call: int | None = None,
    ) -> None:
        """Remember that the program bound ``tensor`` to ``name`` (``final``: a variable of
        the finished program, named by the walk, not by a statement; ``call``: how many
        backward calls had run then)."""
        key = id(tensor)
        entry = self.named.get(key)
        if entry is None:
            built = None if final else state_of(tensor)
            if built is not None and (built.requires_grad or built.grad_fn is not None):
                held: Holder = lambda: tensor  # what ``holder`` gives, with no second read
            else:
                held = holder(tensor, functools.partial(self.forget, key))
            entry = Named(held, [name], line, built, call)
            self.named[key] = entry
            self.fresh.append((key, entry))
        elif name not in entry.names:
            if len(entry.names) < self.max_names:
                entry.names.append(name)
            else:
                entry.more.add(name)
        if final and any(n == name and s is None for n, s, _ in entry.bindings):
            return
        place = (name, scope, line)
        count = self.times.get(place, 0) + 1
        self.times[place] = count
        if place in entry.bindings or len(entry.bindings) < self.max_names:
            entry.bindings[place] = count

    def count(self, name: str, line: int | None = None, scope: str | None = None) -> None:
        """Count a binding the graph will not show (a dark call's, ``pass_window.py``): later
        bindings of the same place still say which time they were."""
        place = (name, scope, line)
        self.times[place] = self.times.get(place, 0) + 1

    def forget(self, key: int, _: object = None) -> None:
        self.named.pop(key, None)

    def take_fresh(self) -> list[torch.Tensor]:
        """The tensors named since the last call that are still alive, in the order they were
        named. (Looked up by key alone, a tensor named at a freed tensor's address came at the
        freed one's place, and twice: the walk's order, and so the node ids, then depended on
        where the allocator put each tensor, which differs from run to run.)"""
        fresh, self.fresh = self.fresh, []
        tensors = [entry.tensor() for key, entry in fresh if self.named.get(key) is entry]
        return [t for t in tensors if t is not None]

    def alive(self) -> list[torch.Tensor]:
        return [t for entry in list(self.named.values()) if (t := entry.tensor()) is not None]


def binding_texts(bindings: list[NameBinding]) -> list[str]:
    """A node's label, binding by binding: ``h (helper)`` for a function's local, ``y #4`` for
    the fourth tensor a loop's line bound to ``y`` (the one the variable holds now is plain)."""
    texts: list[str] = []
    for binding in bindings:
        text = binding.name if binding.scope is None else f"{binding.name} ({binding.scope})"
        if binding.iteration is not None and not binding.current:
            text += f" #{binding.iteration}"
        if text not in texts:
            texts.append(text)
    return texts
