"""``GET /metrics``: the service's counters in Prometheus's text format, for an operator.

Requests and their latency by method, route (the route's template, never the raw path, so a
scan of random URLs adds no series) and status; the time a program waited for a worker, ran
and was drawn (read from the answer's ``Server-Timing`` header); and, read when scraped, the
worker pool, the drawing processes and the response cache. Everything is per process: a
scraper sums the replicas.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PREFIX = "agv_"
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# Seconds: a cached answer takes about a millisecond, a program up to its 5 s wall clock, a
# drawing up to its 10 s deadline.
BUCKETS_S = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "(unmatched)"
# Server-Timing metric -> the histogram it feeds (app/api/graph.py writes these).
TIMED_STEPS = {"queue": "worker_wait", "run": "program_run", "render": "render"}

Labels = tuple[tuple[str, str], ...]


@dataclass
class Histogram:
    """Observations counted into cumulative buckets, with their sum."""

    counts: list[int] = field(default_factory=lambda: [0] * len(BUCKETS_S))
    total: float = 0.0
    n: int = 0

    def observe(self, seconds: float) -> None:
        """Count one observation."""
        for index, bound in enumerate(BUCKETS_S):
            if seconds <= bound:
                self.counts[index] += 1
        self.total += seconds
        self.n += 1


@dataclass
class Metrics:
    """What the middleware counted since the process started."""

    requests: Counter[Labels] = field(default_factory=Counter)
    latency: dict[Labels, Histogram] = field(default_factory=dict)
    steps: dict[str, Histogram] = field(default_factory=dict)

    def record(self, labels: Labels, seconds: float, timing: str) -> None:
        """One answered request, and the steps its ``Server-Timing`` header names."""
        self.requests[labels] += 1
        self.latency.setdefault(labels, Histogram()).observe(seconds)
        for name, ms in _durations(timing):
            if name in TIMED_STEPS:
                self.steps.setdefault(TIMED_STEPS[name], Histogram()).observe(ms / 1000)


def _durations(header: str) -> Iterator[tuple[str, float]]:
    for metric in header.split(","):
        name, _, params = metric.strip().partition(";")
        for param in params.split(";"):
            key, _, value = param.partition("=")
            if key.strip() == "dur":
                try:
                    yield name, float(value)
                except ValueError:
                    pass


class MetricsMiddleware:
    """Count every HTTP request with its route, status and time to the end of its answer."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status, timing = 500, ""

        async def watch(message: Message) -> None:
            nonlocal status, timing
            if message["type"] == "http.response.start":
                status = message["status"]
                for name, value in message.get("headers", []):
                    if name.lower() == b"server-timing":
                        timing = value.decode("latin-1")
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            route = getattr(scope.get("route"), "path", None) or UNMATCHED
            method = scope["method"] if scope["method"] in METHODS else "OTHER"
            labels = (("method", method), ("route", route), ("status", str(status)))
            self.metrics.record(labels, time.perf_counter() - started, timing)


router = APIRouter(include_in_schema=False)


@router.get("/metrics", response_class=PlainTextResponse)
async def metrics(request: Request) -> PlainTextResponse:
    """Prometheus text exposition of this process's counters and its pools' state."""
    state = request.app.state
    lines = [*exposition(state.metrics)]
    for pool_name, pool_state in (
        ("worker", state.pool.state()),
        ("drawing", state.drawing.state()),
    ):
        for key, value in pool_state.items():
            kind = "counter" if key == "restarts" else "gauge"
            name = f"{pool_name}_pool_{key}" + ("_total" if kind == "counter" else "")
            lines += _family(name, kind, f"{pool_name} pool: {key}", [((), value)])
    cache = state.cache.stats()
    for key in ("hits", "misses"):
        lines += _family(
            f"cache_{key}_total", "counter", f"response cache {key}", [((), cache[key])]
        )
    for key in ("entries", "bytes"):
        lines += _family(f"cache_{key}", "gauge", f"response cache {key}", [((), cache[key])])
    return PlainTextResponse("\n".join(lines) + "\n", media_type=CONTENT_TYPE)


def exposition(metrics: Metrics) -> Iterator[str]:
    """The counted requests and steps as exposition lines."""
    yield from _family(
        "http_requests_total", "counter", "HTTP requests answered", metrics.requests.items()
    )
    yield from _histogram(
        "http_request_duration_seconds", "time to the end of the answer", metrics.latency.items()
    )
    for step in sorted(metrics.steps):
        yield from _histogram(f"{step}_seconds", f"{step} time", [((), metrics.steps[step])])


def _family(
    name: str, kind: str, help_text: str, samples: Iterable[tuple[Labels, float]]
) -> list[str]:
    lines = [f"# HELP {PREFIX}{name} {help_text}", f"# TYPE {PREFIX}{name} {kind}"]
    lines += [f"{PREFIX}{name}{_labels(labels)} {_number(value)}" for labels, value in samples]
    return lines


def _histogram(name: str, help_text: str, series: Iterable[tuple[Labels, Histogram]]) -> list[str]:
    lines = [f"# HELP {PREFIX}{name} {help_text}", f"# TYPE {PREFIX}{name} histogram"]
    for labels, histogram in series:
        bounds = [*(f"{bound:g}" for bound in BUCKETS_S), "+Inf"]
        for bound, count in zip(bounds, [*histogram.counts, histogram.n], strict=True):
            lines.append(f"{PREFIX}{name}_bucket{_labels((*labels, ('le', bound)))} {count}")
        lines.append(f"{PREFIX}{name}_sum{_labels(labels)} {_number(histogram.total)}")
        lines.append(f"{PREFIX}{name}_count{_labels(labels)} {histogram.n}")
    return lines


def _labels(labels: Labels) -> str:
    if not labels:
        return ""
    escaped = (
        (key, value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n"))
        for key, value in labels
    )
    return "{" + ",".join(f'{key}="{value}"' for key, value in escaped) + "}"


def _number(value: float) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("+Inf" if value > 0 else "-Inf")
    return repr(value) if isinstance(value, float) else str(value)
