"""Which backward calls of a program are recorded in full, and which only counted ("dark").

A training loop calls ``backward()`` thousands of times and the answer keeps the first pass
and the latest ``max_passes - 1`` (``app/limits.py``). Recording a pass (hooks on every node,
a copy of every gradient, the walk) costs ten times what a light pass costs in plain PyTorch,
and which passes are the latest is known only once the program has ended. So:

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
from dataclasses import dataclass

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
        light passes, count from here; counting, once the run has taken longer than a second
        run could (``within``), record again from here."""
        if serial == max_passes and per_pass < LIGHT_PASS_S:
            return PassWindow(start=serial)
        if self.counting and spent > within:
            return PassWindow(start=self.start, end=serial)
        return self
