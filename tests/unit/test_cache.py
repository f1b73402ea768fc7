"""The response cache: LRU bounds and keys."""

from __future__ import annotations

from app.api.cache import ResponseCache
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
    cache = ResponseCache(max_entries=100, max_bytes=10)
    cache.put("a", b"12345")
    cache.put("b", b"12345")
    cache.put("c", b"1")
    assert cache.get("a") is None
    assert cache.stats()["bytes"] == 6
    cache.put("huge", b"x" * 11)
    assert cache.get("huge") is None


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
    }
    assert len(keys) == 6
    assert cache.key("x = 1", True, True, base) == cache.key("x = 1", True, True, Settings())
