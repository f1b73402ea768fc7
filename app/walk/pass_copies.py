"""The gradients one backward pass records, each tensor copied once.

The gradient a node sends is the tensor the next node receives, and ``a + b`` sends one tensor
to both inputs: a pass of the polynomial fit records 29 gradients that are 11 tensors. While a
pass runs no statement of the program does, so a tensor still at the version it was copied at
still holds the values copied, and the copy is shared. Only the program's hooks run inside a
pass (on a tensor, after a leaf's ``.grad`` is filled, a module's backward hook), and one could
change a gradient without a version telling (through ``.data``): a pass where one may run gets
every gradient copied afresh (capture.py decides).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable

import torch

from app.walk.hook_watch import Snapshot


class PassCopies:
    """One pass's snapshots of gradients, by tensor and version (``share=False``: none kept)."""

    def __init__(self, snapshot: Callable[[torch.Tensor], Snapshot], *, share: bool) -> None:
        self._snapshot = snapshot
        self._share = share
        # id(tensor) -> (the tensor, weakly: an id is reused once it is freed; version; copy)
        self._taken: dict[int, tuple[weakref.ref[torch.Tensor], int, Snapshot]] = {}

    def __call__(self, tensor: torch.Tensor) -> Snapshot:
        """The snapshot of ``tensor`` as it is now (an earlier one if it has not changed)."""
        if not self._share:
            return self._snapshot(tensor)
        found = self._taken.get(id(tensor))
        version = tensor._version
        if found is not None and found[0]() is tensor and found[1] == version:
            return found[2]
        copy = self._snapshot(tensor)
        self._taken[id(tensor)] = (weakref.ref(tensor), version, copy)
        return copy
