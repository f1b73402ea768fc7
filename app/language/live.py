"""How many tensor and array elements a program holds at once.

A limit on everything a program ever allocated stops the long training loops of the official
tutorials (2,000 iterations on 2,000 points) that never hold more than a few MB at once. What
is limited is what is alive: each result that owns its memory (not a view of another) is
counted when it is made and uncounted when Python frees it (a weak reference's callback).
Memory a program keeps only inside autograd's saved tensors is not counted: the worker's
memory cap (the OS layer) bounds that.
"""

from __future__ import annotations

import weakref
from typing import Any

from app.language.errors import LimitExceeded


class _Held(weakref.ref[Any]):
    """A weak reference to a counted value that carries its count: one bound callback serves
    them all (no closure made per result of every torch call)."""

    __slots__ = ("key", "numel")
    key: int
    numel: int


class LiveElements:
    """The elements of the tensors and arrays one program holds now."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.count = 0
        self._held: dict[int, _Held] = {}
        self._on_freed = self._freed

    def add(self, value: Any, numel: int) -> None:
        """Count ``value`` (``numel`` elements) until it is freed; raise if over the limit."""
        key = id(value)
        if key in self._held or numel == 0:
            return
        held = self._held[key] = _Held(value, self._on_freed)
        held.key, held.numel = key, numel
        self.count += numel
        if self.count > self.limit:
            raise LimitExceeded(
                "live_elements",
                f"program holds tensors of {self.count:,} elements at once; "
                f"the limit is {self.limit:,}",
            )

    def _freed(self, held: _Held) -> None:
        # Only the reference the table holds uncounts: a value freed after a new one took
        # its id (and its entry) leaves the new one's count alone.
        if self._held.get(held.key) is held:
            del self._held[held.key]
            self.count -= held.numel
