"""The per-client token bucket."""

from __future__ import annotations

from app.api.ratelimit import RateLimiter


def test_burst_then_refill() -> None:
    limiter = RateLimiter(rate=2.0, burst=3)
    assert [limiter.check("a", now=0.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.check("a", now=0.0) == 0.5
    assert limiter.check("a", now=0.5) == 0.0


def test_clients_are_separate() -> None:
    limiter = RateLimiter(rate=1.0, burst=1)
    assert limiter.check("a", now=0.0) == 0.0
    assert limiter.check("b", now=0.0) == 0.0
    assert limiter.check("a", now=0.0) > 0


def test_zero_rate_disables() -> None:
    limiter = RateLimiter(rate=0, burst=0)
    assert all(limiter.check("a", now=0.0) == 0.0 for _ in range(100))
