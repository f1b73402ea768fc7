"""A least-recently-used store bounded in entries and in bytes, where no one value may take
more than a share of the bytes: one large value can never push every other one out.

The server's response cache and each drawing process's SVG cache are made of it.
"""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from typing import Generic, TypeVar

V = TypeVar("V", str, bytes)


class BoundedLRU(Generic[V]):
    """Values by key, the least recently used dropped first past ``max_entries`` or
    ``max_bytes`` (a value's size is the memory its content takes, ``_size``); a value over
    ``max_bytes // entry_share`` is not kept at all. Thread-safe."""

    def __init__(self, max_entries: int, max_bytes: int, entry_share: int) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.max_entry_bytes = max_bytes // entry_share
        self._values: OrderedDict[str, V] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        """How many values are kept."""
        return len(self._values)

    @property
    def bytes(self) -> int:
        """The total size of the values kept."""
        return self._bytes

    def get(self, key: str) -> V | None:
        """The value, marked recently used; None if it is not kept."""
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
            return value

    def put(self, key: str, value: V) -> bool:
        """Keep ``value``, dropping the least recently used past the bounds; False (and nothing
        dropped) when the value alone is over its share."""
        size = _size(value)
        if self.max_entries <= 0 or size > self.max_entry_bytes:
            return False
        with self._lock:
            old = self._values.pop(key, None)
            self._bytes -= _size(old) if old is not None else 0
            self._values[key] = value
            self._bytes += size
            while len(self._values) > self.max_entries or self._bytes > self.max_bytes:
                _, dropped = self._values.popitem(last=False)
                self._bytes -= _size(dropped)
            return True


def _size(value: str | bytes) -> int:
    """The bytes ``value``'s content takes: its length for bytes and ASCII text (``isascii``
    costs nothing in CPython); for other text what CPython holds, 1, 2 or 4 bytes a character
    as its widest character needs (an SVG with one emoji in a label takes 4 bytes a character)."""
    if isinstance(value, bytes) or value.isascii():
        return len(value)
    return sys.getsizeof(value)
