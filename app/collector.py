"""Pausing Python's cyclic garbage collector around work that builds many objects at once.

A large graph is hundreds of thousands of small objects (dicts, lists, strings). Each batch of
new objects triggers a collection, and the older generations' collections walk everything
alive: for a 5,000-node graph they cost several times the work itself. The objects such work
makes hold no reference cycles that need the collector, so it is paused and resumed after.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block with the cyclic collector off; leave it as it was found (thread-safe enough:
    a nested or concurrent pause that found it off never turns it back on)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
