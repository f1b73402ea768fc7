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


class LiveElements:
    """The elements of the tensors and arrays one program holds now."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.count = 0
        self._held: dict[int, tuple[weakref.ref[Any], int]] = {}

    def add(self, value: Any, numel: int) -> None:
        """Count ``value`` (``numel`` elements) until it is freed; raise if over the limit."""
        key = id(value)
        if key in self._held or numel == 0:
            return
        self._held[key] = (weakref.ref(value, self._freed_callback(key, numel)), numel)
        self.count += numel
        if self.count > self.limit:
            raise LimitExceeded(
                "live_elements",
                f"program holds tensors of {self.count:,} elements at once; "
                f"the limit is {self.limit:,}",
            )

    def _freed_callback(self, key: int, numel: int) -> Any:
        def freed(_: weakref.ref[Any]) -> None:
            if self._held.pop(key, None) is not None:
                self.count -= numel

        return freed
