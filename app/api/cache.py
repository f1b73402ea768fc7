"""Answers to repeated programs, kept in memory (course pages and the gallery repeat a lot).

Keyed by everything that affects the answer: the program text, the requested formats and the
limits. Only answers from deterministic runs are kept: a program that draws random numbers
without seeding first gets a fresh run every time, so the cache never serves a stale graph.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import asdict

from app.bounded_lru import BoundedLRU
from app.config import Settings

# One answer may take at most this share of the cache's bytes (1/8: 16 MiB of 128 MiB).
ENTRY_SHARE = 8


class ResponseCache:
    """A byte-bounded LRU of serialized responses; one answer may take at most
    1/``ENTRY_SHARE`` of the bytes (a larger one is answered but not kept), so one big answer
    cannot flush the cache."""

    def __init__(self, max_entries: int, max_bytes: int) -> None:
        self._answers: BoundedLRU[bytes] = BoundedLRU(max_entries, max_bytes, ENTRY_SHARE)
        self.hits = 0
        self.misses = 0

    def key(self, code: str, dot: bool, svg: bool, settings: Settings, lang: str = "en") -> str:
        """The cache key for one request under these settings (its drawing in ``lang``)."""
        digest = hashlib.sha256(_settings_part(settings))
        digest.update(b"%d%d%s" % (dot, svg, lang.encode()))
        digest.update(code.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def get(self, key: str) -> bytes | None:
        """The stored answer, marking it recently used."""
        body = self._answers.get(key)
        if body is None:
            self.misses += 1
        else:
            self.hits += 1
        return body

    def put(self, key: str, body: bytes) -> None:
        """Store an answer, evicting the least recently used ones past the bounds."""
        self._answers.put(key, body)

    def stats(self) -> dict[str, int]:
        """Entries, bytes, hits and misses so far."""
        return {
            "entries": len(self._answers),
            "bytes": self._answers.bytes,
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
