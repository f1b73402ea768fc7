"""Answers to repeated programs, kept in memory (course pages and the gallery repeat a lot).

Keyed by everything that affects the answer: the program text, the requested formats and the
limits. Only answers from deterministic runs are kept: a program that draws random numbers
without seeding first gets a fresh run every time, so the cache never serves a stale graph.
"""

from __future__ import annotations

import functools
import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import asdict

from app.config import Settings


class ResponseCache:
    """A byte-bounded LRU of serialized responses."""

    def __init__(self, max_entries: int, max_bytes: int) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, bytes] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def key(self, code: str, dot: bool, svg: bool, settings: Settings) -> str:
        """The cache key for one request under these settings."""
        digest = hashlib.sha256(_settings_part(settings))
        digest.update(b"%d%d" % (dot, svg))
        digest.update(code.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def get(self, key: str) -> bytes | None:
        """The stored answer, marking it recently used."""
        with self._lock:
            body = self._entries.get(key)
            if body is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return body

    def put(self, key: str, body: bytes) -> None:
        """Store an answer, evicting the least recently used ones past the bounds."""
        if self.max_entries <= 0 or len(body) > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            self._bytes -= len(old) if old is not None else 0
            self._entries[key] = body
            self._bytes += len(body)
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self._bytes -= len(evicted)

    def stats(self) -> dict[str, int]:
        """Entries, bytes, hits and misses so far."""
        with self._lock:
            return {
                "entries": len(self._entries),
                "bytes": self._bytes,
                "hits": self.hits,
                "misses": self.misses,
            }


@functools.lru_cache(maxsize=8)
def _settings_part(settings: Settings) -> bytes:
    """What in the settings changes an answer (the limits, the time limit), once per settings:
    ``asdict`` and a sorted dump cost more than the rest of a cache hit's key."""
    parts = [asdict(settings.limits), settings.eval_timeout_s]
    encoded = json.dumps(parts, sort_keys=True).encode()
    return b"%d:" % len(encoded) + encoded
