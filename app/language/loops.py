"""The program's running ``for`` loops: how far each has got, and how long each is.

Every ``for`` statement iterates through ``Loops.loop`` (the rewriter makes ``for x in xs`` into
``for x in _ag_loop(xs)``), which counts each step against the loop limit, as every loop does,
and keeps a frame for the loop while it runs: its length, where one can be known without
running any of the program's code, and the iterations done.

From the frames the graph recorder predicts how many times a training loop will call
``backward()`` in all (``predicted_calls``), after its first call: a loop over ``range(2000)``
that calls it once an iteration makes 2,000. Knowing that from the first call on, the recorder
can record only the first and the latest passes in one run (``app/walk/pass_window.py``). A
prediction is only a guess (an inner loop's length may change, a loop may ``break``): the
recorder checks it against the calls the program did make, and runs it again where it was
wrong.
"""

from __future__ import annotations

import collections
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import torch
from torch.utils import data


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
    """One running loop: its length (None if unknown), the iterations it has finished, and
    the backward calls the program had made when it began."""

    __slots__ = ("calls_before", "closed", "done", "length")

    def __init__(self, length: int | None, calls_before: int) -> None:
        self.length = length
        self.done = 0
        self.calls_before = calls_before
        self.closed = False


class Loops:
    """The frames of the program's running ``for`` loops, outermost first."""

    def __init__(self, tick: Callable[[], bool], calls: Callable[[], int]) -> None:
        self._tick = tick  # counts one step against the loop limit (raises past it)
        self._calls = calls  # the backward calls the program has made so far
        self.frames: list[_Frame] = []

    def loop(self, iterable: Iterable[Any]) -> Iterator[Any]:
        """Iterate ``iterable`` as a ``for`` statement does, each step counted, with a frame
        for the loop while it runs (a ``break`` or an error closes the iterator, and so ends
        the frame)."""
        measure = LENGTHS.get(type(iterable))
        frame = _Frame(measure(iterable) if measure is not None else None, self._calls())
        frames, tick = self.frames, self._tick
        frames.append(frame)
        try:
            for item in iterable:
                tick()
                yield item
                frame.done += 1
        finally:
            # A generator's loop, suspended, can end after loops begun later: its frame waits
            # (closed) until those are gone, and no prediction is made meanwhile.
            frame.closed = True
            while frames and frames[-1].closed:
                frames.pop()

    def predicted_calls(self) -> int | None:
        """How many backward calls the program will have made once the running loops end, if
        every running loop has a known length and each iteration (of the innermost loop) calls
        ``backward()`` as often as the ones so far did (asked just after a backward call).
        None where it cannot be told."""
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
        made = self._calls() - outer.calls_before
        return outer.calls_before + (2 * made * total + started) // (2 * started)  # rounded
