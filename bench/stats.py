"""Percentiles and the way figures and tables are printed in docs/benchmarks.md."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100) by linear interpolation between closest ranks."""
    if not values:
        return math.nan
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = math.floor(position)
    high = math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class Summary:
    """The spread of a set of timings (same unit as the input)."""

    n: int
    min: float
    p50: float
    p95: float
    p99: float
    max: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Summary:
        """Summarise ``values``."""
        if not values:
            return cls(0, math.nan, math.nan, math.nan, math.nan, math.nan)
        return cls(
            n=len(values),
            min=min(values),
            p50=percentile(values, 50),
            p95=percentile(values, 95),
            p99=percentile(values, 99),
            max=max(values),
        )

    def spread(self) -> str:
        """``p50 / p95 / p99`` in milliseconds."""
        return f"{ms(self.p50)} / {ms(self.p95)} / {ms(self.p99)}"


def ms(value: float) -> str:
    """A duration in milliseconds, with precision that suits its size."""
    if math.isnan(value):
        return "n/a"
    if value < 10:
        return f"{value:.2f}"
    if value < 100:
        return f"{value:.1f}"
    return f"{value:,.0f}"


def ratio(numerator: float, denominator: float) -> str:
    """``numerator / denominator`` as ``1.23x``."""
    if denominator <= 0 or math.isnan(numerator) or math.isnan(denominator):
        return "n/a"
    return f"{numerator / denominator:.2f}x"


def size(num_bytes: float) -> str:
    """A byte count in B / kB / MB (powers of 1000, as HTTP tools print them)."""
    if num_bytes < 1000:
        return f"{num_bytes:.0f} B"
    if num_bytes < 1_000_000:
        return f"{num_bytes / 1000:.1f} kB"
    return f"{num_bytes / 1_000_000:.2f} MB"


def table(headers: str | Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A markdown table; ``headers`` as a list or as one string, ``"a | b | c"``."""
    if isinstance(headers, str):
        headers = headers.split(" | ")
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def section(*paragraphs: str) -> str:
    """Markdown paragraphs (a heading, a caption, a table...) with a blank line between them."""
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph) + "\n"
