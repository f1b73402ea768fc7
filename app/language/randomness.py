"""Whether a program's result is reproducible: it drew no random number, or seeded first.

A program that draws random numbers without seeding gives other numbers each run, so its
answer must never come from the response cache. Each generator a program can draw from is a
``RandomSource`` in the allowlist's records (torch's, NumPy's and Python's global ones).
Before a program draws from one, it is started over, from fresh entropy (or from the seed a
test gives), so nothing one program drew shows in the next: torch's before every program,
NumPy's and Python's when the program imports them (nothing can draw from them before). Each
is read again after the program. Seeding a generator before any draw from it keeps the
program reproducible; making a generator of one's own without a seed
(``np.random.default_rng()``) or reading the clock does not.
"""

from __future__ import annotations

from typing import Any

from app.language.records import RandomSource


class RandomWatch:
    """The random state one program starts from, and whether it seeded before drawing."""

    def __init__(self, sources: tuple[RandomSource, ...], always: str = "torch") -> None:
        self.sources = {source.name: source for source in sources}
        self.always = always
        self.start: dict[str, Any] = {}
        self.seeded_before_drawing: set[str] = set()
        self.unseeded_generator = False
        self._seed: int | None = None

    def start_over(self, seed: int | None = None) -> None:
        """A program is about to run: start torch's generator over (``seed``: a test's)."""
        self._seed = seed
        self.use(self.always)

    def use(self, name: str) -> None:
        """The program is about to use the generator ``name``: start it over, once."""
        source = self.sources.get(name)
        if source is not None and name not in self.start:
            source.reseed(self._seed)
            self.start[name] = source.state()

    def seed(self, name: str, seed: Any) -> Any:
        """The program seeds the generator ``name``: note whether it drew from it before."""
        source = self.sources[name]
        if name in self.start and source.state() == self.start[name]:
            self.seeded_before_drawing.add(name)
        return source.seed(seed)

    def made_generator(self, seeded: bool) -> None:
        """The program made a generator of its own (or read the clock): unseeded, its numbers
        differ each run."""
        if not seeded:
            self.unseeded_generator = True

    @property
    def deterministic(self) -> bool:
        """Whether a rerun gives the same result: no random draw, or a seed before the first."""
        if self.unseeded_generator or not self.start:
            return False
        return all(
            name in self.seeded_before_drawing or self.sources[name].state() == start
            for name, start in self.start.items()
        )
