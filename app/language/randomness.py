"""Whether a program's result is reproducible: it drew no random number, or seeded first.

A program that draws random numbers without seeding gives other numbers each run, so its
answer must never come from the response cache. Each generator a program can draw from is a
``RandomSource`` in the allowlist's records (torch's, NumPy's and Python's global ones):
every program starts each of them over, from fresh entropy (or from the seed a test gives),
so nothing one program drew shows in the next; and each is read again after the program.
Seeding a generator before any draw from it keeps the program reproducible; making a
generator of one's own without a seed (``np.random.default_rng()``) does not.
"""

from __future__ import annotations

from typing import Any

from app.language.allowlist.library import RandomSource


class RandomWatch:
    """The random state one program starts from, and whether it seeded before drawing."""

    def __init__(self, sources: tuple[RandomSource, ...]) -> None:
        self.sources = {source.name: source for source in sources}
        self.start: dict[str, Any] = {}
        self.seeded_before_drawing: set[str] = set()
        self.unseeded_generator = False

    def start_over(self, seed: int | None = None) -> None:
        """Start every generator over (from ``seed``, or fresh entropy) and remember its state."""
        for name, source in self.sources.items():
            source.reseed(seed)
            self.start[name] = source.state()

    def seed(self, name: str, seed: Any) -> Any:
        """The program seeds the generator ``name``: note whether it drew from it before."""
        source = self.sources[name]
        if name in self.start and _same(source.state(), self.start[name]):
            self.seeded_before_drawing.add(name)
        return source.seed(seed)

    def made_generator(self, seeded: bool) -> None:
        """The program made a generator of its own; unseeded, its numbers differ each run."""
        if not seeded:
            self.unseeded_generator = True

    @property
    def deterministic(self) -> bool:
        """Whether a rerun gives the same result: no random draw, or a seed before the first."""
        if self.unseeded_generator or not self.start:
            return False
        return all(
            name in self.seeded_before_drawing or _same(source.state(), self.start[name])
            for name, source in self.sources.items()
        )


def _same(state: Any, start: Any) -> bool:
    """Whether two generator states are equal (tensors, arrays and tuples of them)."""
    if isinstance(state, tuple):
        return len(state) == len(start) and all(
            _same(a, b) for a, b in zip(state, start, strict=True)
        )
    equal = state == start
    return bool(equal.all()) if hasattr(equal, "all") else bool(equal)
