"""The ``Server-Timing`` response header (W3C Server Timing): where a request's time went.

Browsers show it in the developer tools' network panel (Timing tab); the benchmark reads it
to split a live request's time into its steps. Durations are in milliseconds.
"""

from __future__ import annotations

import time


class ServerTiming:
    """The metrics of one request, in the order they were added."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self._metrics: list[str] = []

    def add(self, name: str, ms: float | None = None, desc: str | None = None) -> None:
        """One metric: a token ``name``, a duration, a short description (ASCII, no quotes)."""
        metric = name if ms is None else f"{name};dur={max(ms, 0.0):.2f}"
        self._metrics.append(metric if desc is None else f'{metric};desc="{desc}"')

    def since(self, name: str, started: float, desc: str | None = None) -> None:
        """Add the time from ``started`` (``time.perf_counter()``) until now."""
        self.add(name, (time.perf_counter() - started) * 1000, desc)

    def header(self) -> str:
        """The header's value, ``total`` (since this object was made) last."""
        total = f"total;dur={(time.perf_counter() - self.started) * 1000:.2f}"
        return ", ".join([*self._metrics, total])
