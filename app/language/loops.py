"""The program's running ``for`` loops: how far each has got, and how long each is.

Every ``for`` statement iterates through ``Loops.loop`` (the rewriter makes ``for x in xs`` into
``for x in _ag_loop(xs, place)``), which counts each step against the loop limit, as every
loop does, and keeps a frame for the loop while it runs: its length, where one can be known
without running any of the program's code (else the number of iterations the same statement
ran to its end with last time), and the iterations done.

From the frames the graph recorder predicts how many times a training loop will call
``backward()`` in all (``predicted_calls``), after its first call: a loop over ``range(2000)``
that calls it once an iteration makes 2,000. Knowing that from the first call on, the recorder
can record only the first and the latest passes in one run (``app/walk/pass_window.py``); for
batches from a generator inside epochs, from the second epoch on (``repeated``). A
prediction is only a guess (an inner loop's length may change, a loop may ``break``): the
recorder checks it against the calls the program did make, and runs it again where it was
wrong.
"""

from __future__ import annotations

import collections
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import torch
from torch.utils import data

from app.language.values import ValueLimits


def _dataset_batches(loader: Any) -> int | None:
    """A ``DataLoader``'s batches, where its dataset, sampler and batching are torch's own
    (a program's ``Dataset`` class would run its own ``__len__``)."""
    if type(loader.dataset) is not data.TensorDataset:
        return None
    if type(loader.batch_sampler) is not data.BatchSampler:
        return None
    if type(loader.sampler) not in (data.SequentialSampler, data.RandomSampler):
        return None
    return len(loader)


def _rows(tensor: torch.Tensor) -> int | None:
    """Iterating a tensor steps along its first dimension (a 0-d tensor cannot be iterated)."""
    return int(tensor.shape[0]) if tensor.dim() > 0 else None


# How long an iterable of each of these exact classes is, read without running program code.
# A class not here (a generator, ``enumerate``, a program's own class) has no known length.
LENGTHS: dict[type, Callable[[Any], int | None]] = {
    range: len,
    list: len,
    tuple: len,
    dict: len,
    str: len,
    bytes: len,
    collections.deque: len,
    torch.Tensor: _rows,
    torch.nn.Parameter: _rows,
    data.DataLoader: _dataset_batches,
}


# Iterations of nested loops past which no prediction is made (the loop limit is far lower).
_MOST_ITERATIONS = 2**40


class _Frame:
    """One running loop: its length (None if unknown), the iterations it has finished, the
    backward calls the program had made when it began, and when it began."""

    __slots__ = ("began", "calls_before", "closed", "done", "length")

    def __init__(self, length: int | None, calls_before: int) -> None:
        self.length = length
        self.done = 0
        self.calls_before = calls_before
        self.closed = False
        self.began = time.perf_counter()


_CO_GENERATOR = 0x20  # ``inspect.CO_GENERATOR``: the code of a generator function


class Loops:
    """The frames of the program's running ``for`` loops, outermost first, and the lengths
    learned of loops whose length could not be read (a generator's: d2l's ``data_iter``)."""

    def __init__(self, values: ValueLimits, calls: Callable[[], int]) -> None:
        self._values = values  # its tick counts one step against the loop limit (raises past it)
        self._calls = calls  # the backward calls the program has made so far
        self.frames: list[_Frame] = []
        # A ``for`` statement (by its place) that ran to its end: how many iterations it had,
        # taken as its length the next time it runs (a guess, as every prediction is).
        self._learned: dict[int, int] = {}

    def loop(self, iterable: Iterable[Any], place: int | None = None) -> Iterator[Any]:
        """Iterate ``iterable`` as a ``for`` statement does, each step counted, with a frame
        for the loop while it runs (a ``break`` or an error closes the iterator, and so ends
        the frame). ``place`` is the statement's (``rewrite.py``)."""
        # A loop inside a generator (d2l's ``data_iter``) steps as its consumer's loop does:
        # not one the consumer's iterations are nested in. It has no frame.
        if sys._getframe(1).f_code.co_flags & _CO_GENERATOR:
            yield from self._values.iter(iterable)  # counted as every loop is
            return
        measure = LENGTHS.get(type(iterable))
        length = measure(iterable) if measure is not None else self._learned.get(place or 0)
        frame = _Frame(length, self._calls())
        frames, tick = self.frames, self._values.tick
        frames.append(frame)
        try:
            for item in iterable:
                tick()
                yield item
                frame.done += 1
            if measure is None and place is not None:  # ran to its end: now it is known
                self._learned[place] = frame.done
        finally:
            # A generator's loop, suspended, can end after loops begun later: its frame waits
            # (closed) until those are gone, and no prediction is made meanwhile.
            frame.closed = True
            while frames and frames[-1].closed:
                frames.pop()

    def predicted_calls(self, including: int = 0) -> int | None:
        """How many backward calls the program will have made once the running loops end, if
        every running loop has a known length and each iteration (of the innermost loop) calls
        ``backward()`` as often as the ones so far did (asked just after a backward call; at
        one about to run, ``including=1``). None where it cannot be told."""
        frames = self.frames
        if not frames:
            return None
        started, total = 0, 1
        for frame in frames:
            if not frame.length or frame.closed:  # unknown, or a loop that runs no iteration
                return None
            started = started * frame.length + frame.done
            total *= frame.length
            if total > _MOST_ITERATIONS:  # more than any program can run (nested generators)
                return None
        started += 1  # the iteration running now
        outer = frames[0]
        made = self._calls() + including - outer.calls_before
        return outer.calls_before + (2 * made * total + started) // (2 * started)  # rounded

    def repeated(self) -> bool:
        """Whether the innermost running loop runs inside an outermost one of known length over
        one iteration (batches inside epochs): once the inner loops end their lengths are
        learned, and the calls can be predicted from the outer loop's next iteration on."""
        frames = self.frames
        return len(frames) > 1 and frames[0].length is not None and frames[0].length > 1

    def iteration_s(self) -> float | None:
        """Seconds an iteration of the innermost running loop has taken so far, on average
        (the one running now counted as one); None outside loops."""
        if not self.frames:
            return None
        frame = self.frames[-1]
        return (time.perf_counter() - frame.began) / (frame.done + 1)
