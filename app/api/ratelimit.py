"""A per-client token bucket in front of /api/graph (429 with Retry-After when empty)."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from app.api.deps import SettingsDep
from app.api.errors import RequestRefused

_MAX_CLIENTS = 10_000


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """``rate`` requests per second per client on average, with bursts up to ``burst``."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate = rate
        self.burst = burst
        self._buckets: dict[str, _Bucket] = {}

    def check(self, client: str, now: float | None = None) -> float:
        """Take a token for ``client``; return 0, or the seconds to wait before one is free."""
        if self.rate <= 0:
            return 0.0
        now = time.monotonic() if now is None else now
        bucket = self._buckets.get(client)
        if bucket is None:
            if len(self._buckets) >= _MAX_CLIENTS:
                self._forget_full_buckets(now)
            bucket = self._buckets[client] = _Bucket(tokens=float(self.burst), updated=now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return 0.0
        return (1 - bucket.tokens) / self.rate

    def _forget_full_buckets(self, now: float) -> None:
        refill = self.burst / self.rate
        self._buckets = {k: b for k, b in self._buckets.items() if now - b.updated < refill}
        if len(self._buckets) >= _MAX_CLIENTS:  # all recent: drop the oldest half
            keep = sorted(self._buckets.items(), key=lambda kv: kv[1].updated)[_MAX_CLIENTS // 2 :]
            self._buckets = dict(keep)


async def rate_limited(request: Request, settings: SettingsDep) -> None:
    """Refuse with 429 when this client has used up its requests."""
    limiter: RateLimiter = request.app.state.rate_limiter
    client = request.client.host if request.client else "unknown"
    wait = limiter.check(client)
    if wait > 0:
        raise RequestRefused(
            429,
            "RateLimited",
            f"more than {settings.rate_limit_per_s:g} requests per second from this client",
            retry_after=max(1, math.ceil(wait)),
        )


RateLimitDep = Annotated[None, Depends(rate_limited)]
