"""Which backward calls of a program are recorded in full, and which only counted ("dark").

A training loop calls ``backward()`` thousands of times and the answer keeps the first pass
and the latest ``max_passes - 1`` (``app/limits.py``). Recording a pass (hooks on every node,
a copy of every gradient, the walk) costs ten times what a light pass costs in plain PyTorch,
and which passes are the latest is known only once the program has ended. So:

- **Predicted, one run.** Once the first call has returned, a loop whose calls in all are
  predicted from its running loops' lengths (``app/language/loops.py``) gets the second
  run's window at once: call 0 and the latest ``max_passes - 1`` recorded, the ones between
  dark, whether its passes are light or heavy. Light batches of unknown number inside epochs
  (a generator's) are counted from call 1 until the first epoch has told their number, then
  get that window. At the end the calls made are checked against it: a wrong prediction runs
  the program again as below (where there is time).
- **First run.** The first ``max_passes`` calls are recorded. If the program calls
  ``backward()`` again and its passes so far were light (``light_pass_s`` each, on average),
  from that call on nothing more is recorded: the calls are only counted (and each root's
  value goes on the loss curve). A loop of heavy passes is recorded throughout instead: for it
  the recording costs little next to the pass, and the latest passes replace the earlier ones.
- **Second run**, when the first one stopped recording: the same program with the same seeds
  again, now knowing the number of calls ``n``: call 0 and the calls from ``n - (max_passes - 1)``
  on are recorded, the ones between run as plain PyTorch (``app/evaluate.py`` decides whether
  there is time for it). A first run that has counted for longer than a second run could take
  records again from its next call on (``end`` is set): its latest passes replace the earlier.

A window says which calls (and the torch calls between them) are dark: those with a serial
(the number of ``backward()`` calls before them) in ``[start, end)``.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from typing import Protocol

# A pass (the loop's whole iteration, forward, backward and update, recording included) under
# this on average is light: running the program twice costs less than recording each pass.
LIGHT_PASS_S = 0.02


@dataclass
class PassWindow:
    """The dark calls: serials in ``[start, end)``; none by default."""

    start: int = sys.maxsize
    end: int = sys.maxsize

    def dark(self, serial: int) -> bool:
        """Whether the call (or torch call) made after ``serial`` backward calls is dark."""
        return self.start <= serial < self.end

    @property
    def counting(self) -> bool:
        """Whether the first run stopped recording (its later calls are only counted)."""
        return self.end == sys.maxsize and self.start != sys.maxsize

    @classmethod
    def keeping_ends(cls, calls: int, max_passes: int) -> PassWindow:
        """The second run's window: call 0 and the latest ``max_passes - 1`` calls recorded."""
        return cls(start=1, end=max(1, calls - (max_passes - 1)))

    def at_call(
        self, serial: int, max_passes: int, per_pass: float, spent: float, within: float
    ) -> PassWindow:
        """The first run's window at backward call ``serial`` (``spent`` seconds into the run,
        ``per_pass`` seconds a pass since the first call, on average): past ``max_passes``
        light passes, count from here; dark once the run has taken longer than a second run
        could (``within``), record again from here; ``max_passes`` calls past the end of a
        predicted window (``after_first_call``), count again."""
        light = per_pass < LIGHT_PASS_S
        if self.start == sys.maxsize:
            return PassWindow(start=serial) if light and serial == max_passes else self
        if self.dark(serial):
            return PassWindow(start=self.start, end=serial) if spent > within else self
        if light and serial >= self.end + max_passes and spent <= within:
            return PassWindow(start=serial)  # more calls than predicted: count them again
        return self

    def after_first_call(self, max_passes: int, loops: LoopsView) -> PassWindow:
        """The first run's window once its first backward call has returned. In ``loops``
        whose calls in all can be predicted (``app/language/loops.py``) and are over
        ``max_passes``: the second run's, so that the first run is the only one if the
        prediction holds (light passes or heavy: no pass is recorded only to be dropped). In
        a light loop of batches of unknown number inside epochs: count from here, until the
        calls can be predicted (``with_prediction``)."""
        if self.start != sys.maxsize:
            return self
        predicted = loops.predicted_calls()
        if predicted is not None:
            return (
                PassWindow.keeping_ends(predicted, max_passes) if predicted > max_passes else self
            )
        iteration_s = loops.iteration_s()
        light = iteration_s is not None and iteration_s < LIGHT_PASS_S
        return PassWindow(start=1) if light and loops.repeated() else self

    def with_prediction(self, serial: int, max_passes: int, loops: LoopsView) -> PassWindow:
        """Counting since the first call (``after_first_call``), at backward call ``serial``:
        once the calls in all can be predicted, the second run's window for them (recording
        from here if the latest are already under way)."""
        if self.start != 1 or not self.counting:
            return self
        predicted = loops.predicted_calls(including=1)
        if predicted is None:
            return self
        return PassWindow(start=1, end=max(serial, predicted - (max_passes - 1)))

    def reruns_for(self, calls: int, max_passes: int) -> bool:
        """Whether a first run that ended with this window after ``calls`` backward calls
        leaves out passes a second run would keep: it stopped recording, and not exactly where
        the second run would (a loop that called ``backward()`` other than predicted)."""
        went_dark = self.start != sys.maxsize
        return went_dark and self != PassWindow.keeping_ends(calls, max_passes)


class LoopsView(Protocol):
    """What the window is chosen by: the program's running loops (``app/language/loops.py``)."""

    def predicted_calls(self, including: int = 0) -> int | None: ...

    def iteration_s(self) -> float | None: ...

    def repeated(self) -> bool: ...


class _NoLoops:
    """Loops of which nothing is known: no prediction."""

    def predicted_calls(self, including: int = 0) -> int | None:
        return None

    def iteration_s(self) -> float | None:
        return None

    def repeated(self) -> bool:
        return False


class WindowChoice:
    """How a first run chooses its window as its backward calls come (given ``within_s``, the
    time a second run has: ``app/evaluate.py``); without it the window stays as it was made."""

    def __init__(self, max_passes: int, within_s: float | None) -> None:
        self.max_passes = max_passes
        self.within_s = within_s
        self._started = self._first_call_at = time.perf_counter()
        self.loops: LoopsView = _NoLoops()  # the program's running loops, once it has them

    def before_call(self, window: PassWindow, serial: int) -> PassWindow:
        """The window for backward call ``serial``, about to run."""
        within, now = self.within_s, time.perf_counter()
        if within is None:
            return window
        if serial == 0:
            self._first_call_at = now  # what ran before the loop is no pass's
            return window
        window = window.with_prediction(serial, self.max_passes, self.loops)
        per_pass = (now - self._first_call_at) / serial
        return window.at_call(serial, self.max_passes, per_pass, now - self._started, within)

    def after_call(self, window: PassWindow, serial: int) -> PassWindow:
        """The window once the recorded backward call ``serial - 1`` has returned."""
        if serial != 1 or self.within_s is None:
            return window
        return window.after_first_call(self.max_passes, self.loops)
