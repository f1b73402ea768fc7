"""Whether a program's result is reproducible: it drew no random number, or seeded first.

A program that draws random numbers without seeding gives other numbers each run, so its
answer must never come from the response cache. Each generator a program can draw from
(``RandomSource`` in the allowlist's records) is started over before the program runs and
read again after; seeding a generator before any draw from it keeps the program reproducible.
"""

from __future__ import annotations

import torch


class RandomWatch:
    """The random state one program starts from, and whether it seeded before drawing."""

    def __init__(self) -> None:
        self.start: torch.Tensor | None = None
        self.seeded_before_drawing = False

    def watch(self) -> None:
        """Remember the random state the program starts from (call right before running it)."""
        self.start = torch.default_generator.get_state()

    def seed_torch(self, seed: int) -> torch.Generator:
        """``torch.manual_seed``, noting whether the program seeded before drawing any number."""
        if self.start is not None and torch.equal(torch.default_generator.get_state(), self.start):
            self.seeded_before_drawing = True
        return torch.default_generator.manual_seed(int(seed))

    @property
    def deterministic(self) -> bool:
        """Whether a rerun gives the same result: no random draw, or a seed before the first."""
        if self.seeded_before_drawing or self.start is None:
            return self.seeded_before_drawing
        return bool(torch.equal(torch.default_generator.get_state(), self.start))


def reset_torch_random() -> None:
    """Start torch's CPU generator over from fresh entropy.

    The CPU generator only: torch.seed() also queues CUDA/XPU/MTIA seeding, formatting a
    stack trace for each (0.3 ms), on a machine that has none of them.
    """
    torch.default_generator.seed()
