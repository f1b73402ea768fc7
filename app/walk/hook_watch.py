"""Where a program's tensor hook changed a gradient: what arrived, before its hooks ran.

Before the program's first ``register_hook`` on a tensor, one hook of ours goes on it (hooks
run in the order they were registered): it notes the gradient as it arrives, for the backward
call running then, and returns None, so it changes nothing. The node's own pre hook (capture.py)
sees what the program's hooks made of it: the two differ where a hook changed the gradient.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable

import torch

from app.graph_model import TensorValue

# A gradient as a pass saw it: a copy of the tensor, or its printed form (a large one).
Snapshot = torch.Tensor | TensorValue
# The elements of gradients one backward call notes before hooks change them; past it, no
# marker (bounded like the copies of saved values).
HOOK_COPY_BUDGET = 4_000_000


class HookWatch:
    def __init__(self, snapshot: Callable[[torch.Tensor], Snapshot]) -> None:
        self._snapshot = snapshot
        self._observed: dict[int, weakref.ref[torch.Tensor]] = {}
        self._notes: dict[int, Snapshot] | None = None  # the running call's, by id(tensor)
        self._elements = 0

    def begin(self) -> dict[int, Snapshot]:
        """A backward call starts: what its hooks' tensors receive goes into the dict returned."""
        self._notes, self._elements = {}, 0
        return self._notes

    def end(self) -> None:
        self._notes = None

    def observe(self, tensor: torch.Tensor) -> None:
        """Called before the program registers a hook on ``tensor``."""
        seen = self._observed.get(id(tensor))
        if not tensor.requires_grad or (seen is not None and seen() is tensor):
            return
        key = id(tensor)
        self._observed[key] = weakref.ref(tensor, lambda _: self._observed.pop(key, None))

        def arrived(grad: torch.Tensor | None) -> None:
            notes = self._notes
            if notes is None or not isinstance(grad, torch.Tensor):
                return
            self._elements += grad.numel()
            if self._elements <= HOOK_COPY_BUDGET:
                with torch.no_grad():
                    notes[key] = self._snapshot(grad)

        tensor.register_hook(arrived)  # type: ignore[no-untyped-call]


def same_snapshot(first: Snapshot, second: Snapshot) -> bool:
    """Whether two gradients a pass recorded are equal (by their text once formatted)."""
    if isinstance(first, torch.Tensor) and isinstance(second, torch.Tensor):
        return first.shape == second.shape and bool(torch.equal(first, second))
    if isinstance(first, TensorValue) and isinstance(second, TensorValue):
        return first.text == second.text
    return False
