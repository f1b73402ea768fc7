"""Every backward call's root value, for the loss curve: a point per call, thinned as it grows.

A 2,000-iteration training loop calls ``backward()`` 2,000 times; the graph keeps the latest
20 passes, but the curve keeps a point for every call until it holds ``max_points``, then
drops every other point and keeps one call in two from then on (one in four after the next
thinning, and so on). The first and the latest points are always there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import torch

from app.graph_model import CurvePoint


@dataclass
class Curve:
    max_points: int = 2_000
    points: list[CurvePoint] = field(default_factory=list)
    stride: int = 1  # keep the calls whose number is a multiple of this
    latest: CurvePoint | None = None  # the newest call, kept even off the stride

    def add(self, call: int, line: int | None, roots: list[torch.Tensor]) -> None:
        point = CurvePoint(call=call, line=line, value=_value(roots))
        self.latest = point
        if call % self.stride:
            return
        self.points.append(point)
        if len(self.points) > self.max_points:
            self.stride *= 2
            self.points = [p for p in self.points if p.call % self.stride == 0]

    def shown(self) -> list[CurvePoint]:
        """The points, the latest call included."""
        latest = self.latest
        if latest is None or (self.points and self.points[-1] is latest):
            return list(self.points)
        return [*self.points, latest]


def _value(roots: list[torch.Tensor]) -> float | None:
    """The first root's value when it is one real number (a loss), else None."""
    if len(roots) != 1:
        return None
    root = roots[0]
    if root.numel() != 1 or root.is_complex() or not root.is_cpu:  # (is_cpu: a tenth the cost)
        return None
    value = float(root.item())  # reads the number only: no graph, whatever its shape (18 us -> 1)
    return value if math.isfinite(value) else None
