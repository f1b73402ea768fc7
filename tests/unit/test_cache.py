"""The response cache and the LRU it is made of: bounds in entries and bytes, keys."""

from __future__ import annotations

import random

from app.api.cache import ENTRY_SHARE, ResponseCache
from app.bounded_lru import BoundedLRU
from app.config import Settings
from app.limits import Limits


def test_lru_evicts_least_recently_used() -> None:
    cache = ResponseCache(max_entries=2, max_bytes=1000)
    cache.put("a", b"1")
    cache.put("b", b"2")
    assert cache.get("a") == b"1"
    cache.put("c", b"3")
    assert cache.get("b") is None
    assert cache.get("a") == b"1" and cache.get("c") == b"3"


def test_byte_bound() -> None:
    cache = ResponseCache(max_entries=100, max_bytes=80)  # an answer may take 10 bytes
    cache.put("a", b"1234567890")
    cache.put("b", b"1234567890")
    for key in "cdefgh":
        cache.put(key, b"1234567890")
    cache.put("i", b"1")
    assert cache.get("a") is None and cache.get("b") == b"1234567890"
    assert cache.stats()["bytes"] == 71


def test_one_big_answer_cannot_flush_the_response_cache() -> None:
    """An answer over 1/ENTRY_SHARE of the cache is served but not kept: the others stay (a
    31 MB drawing used to push out everything else)."""
    cache = ResponseCache(max_entries=100, max_bytes=1000)
    for i in range(10):
        cache.put(f"small{i}", b"x" * 50)
    cache.put("big", b"y" * (1000 // ENTRY_SHARE + 1))
    assert cache.get("big") is None
    assert all(cache.get(f"small{i}") == b"x" * 50 for i in range(10))
    assert cache.stats() == {"entries": 10, "bytes": 500, "hits": 10, "misses": 1}


def test_bounded_lru_never_holds_more_than_its_bytes() -> None:
    """Values of random sizes, put in random order: the total stays within the bound, and what
    is kept is exactly the most recently used that fit (checked against a plain list)."""
    rng = random.Random(7)
    lru: BoundedLRU[bytes] = BoundedLRU(max_entries=50, max_bytes=4000, entry_share=4)
    recent: list[tuple[str, bytes]] = []  # most recent last, as a reference
    for step in range(2000):
        key = f"k{rng.randrange(80)}"
        value = bytes(rng.randrange(1200))
        lru.put(key, value)
        if len(value) <= 1000:
            recent = [item for item in recent if item[0] != key] + [(key, value)]
            while len(recent) > 50 or sum(len(v) for _, v in recent) > 4000:
                recent.pop(0)
        assert lru.bytes <= 4000 and len(lru) <= 50, step
        assert lru.bytes == sum(len(v) for _, v in recent)
    assert [lru.get(key) for key, _ in recent] == [value for _, value in recent]


def test_bounded_lru_counts_the_memory_a_text_takes() -> None:
    """A text with one character outside Latin-1 takes 2 or 4 bytes a character in memory:
    counted as such (a cache of SVGs with Chinese or emoji labels stays within its bytes)."""
    lru: BoundedLRU[str] = BoundedLRU(max_entries=10, max_bytes=40_000, entry_share=1)
    assert lru.put("ascii", "a" * 9_000)
    assert lru.put("emoji", "\U0001f600" + "a" * 8_999)  # 9,000 characters, 36,000 bytes
    assert lru.bytes <= 40_000
    assert lru.get("ascii") is None and lru.get("emoji") is not None


def test_key_depends_on_everything_that_changes_the_answer() -> None:
    cache = ResponseCache(10, 1000)
    base = Settings()
    keys = {
        cache.key("x = 1", True, True, base),
        cache.key("x = 2", True, True, base),
        cache.key("x = 1", False, True, base),
        cache.key("x = 1", True, False, base),
        cache.key("x = 1", True, True, Settings(limits=Limits(max_graph_nodes=10))),
        cache.key("x = 1", True, True, Settings(eval_timeout_s=1.0)),
        cache.key("x = 1", True, True, base, "zh"),  # the drawing's words in Chinese
    }
    assert len(keys) == 7
    assert cache.key("x = 1", True, True, base) == cache.key("x = 1", True, True, Settings())
