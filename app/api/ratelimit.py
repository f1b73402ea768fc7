"""Admission to /api/graph, per client (``client_id.py`` says who that is): a token bucket
(429 ``RateLimited`` when empty), then a slot among the client's requests in flight (429
``TooManyInFlight`` when the client's own requests fill its share for ``queue_wait_s``)."""

from __future__ import annotations

import math
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from app.api.client_id import client_key
from app.api.deps import SettingsDep
from app.api.errors import RequestRefused
from app.api.in_flight import InFlightLimit

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


def request_client(request: Request, trusted_proxies: tuple[str, ...]) -> str:
    """The client ``request`` counts as (see ``client_id.py``)."""
    peer = request.client.host if request.client else None
    return client_key(peer, request.headers.getlist("x-forwarded-for"), trusted_proxies)


async def admitted(request: Request, settings: SettingsDep) -> AsyncIterator[None]:
    """Refuse with 429 when this client has used up its requests, or when its requests already
    in flight fill its share; hold the client's slot while the request runs."""
    client = request_client(request, settings.trusted_proxies)
    limiter: RateLimiter = request.app.state.rate_limiter
    wait = limiter.check(client)
    if wait > 0:
        raise RequestRefused(
            429,
            "RateLimited",
            f"more than {settings.rate_limit_per_s:g} requests per second from this client",
            retry_after=max(1, math.ceil(wait)),
        )
    in_flight: InFlightLimit = request.app.state.in_flight
    if not await in_flight.enter(client, settings.queue_wait_s):
        share = in_flight.per_client
        raise RequestRefused(
            429,
            "TooManyInFlight",
            f"this client already has {share} request{'s' if share > 1 else ''} running, as many"
            " as one client may have at once; send the next when one has finished",
            retry_after=1,
        )
    try:
        yield
    finally:
        in_flight.leave(client)


# The slot is held until the route returns (scope "function"), not while the answer is sent.
RateLimitDep = Annotated[None, Depends(admitted, scope="function")]
