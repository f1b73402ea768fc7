"""A worker: torch warmed once (in the zygote), locked down, then one evaluation per line.

Workers are forked by the zygote (``app/zygote.py``), which has already imported and
warmed torch, so a worker starts in milliseconds and shares those pages copy-on-write.

The protocol on the worker's own Unix socket to the server is ``protocol.py``'s: a ready
line, then one request per line, each answered with the record and its graph.
File descriptors 0 and 1 point at /dev/null and stderr, so nothing a library prints can
corrupt the protocol.
"""

from __future__ import annotations

import ctypes
import gc
import os
import warnings
from collections.abc import Callable
from typing import IO, TYPE_CHECKING

from app.graph_model import Edge, FunctionNode, TensorNode
from app.record import EvalRecord, failure
from app.workers import protocol
from app.workers.lockdown import OsLimits

if TYPE_CHECKING:
    from app.walk.extract import OnDrawn


def prepare() -> None:
    """Import and warm everything a worker needs; runs once, in the zygote, before any fork."""
    warnings.filterwarnings("ignore")
    import torch

    # One core per worker, and no thread pool: set before any torch work (a forked child of a
    # process with a parallel thread pool hangs on its first parallel op).
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    _warm_up()
    # Move everything alive now (torch, the app) out of the collector's sight: collections
    # then only walk what programs left behind, and never write to the shared pages' headers.
    gc.collect()
    gc.freeze()


def _warm_up() -> None:
    """Run every gallery program once: imports (optimizers pull in torch._dynamo) and caches."""
    from app.evaluate import evaluate
    from app.examples import load_examples

    for example in load_examples():
        evaluate(example.code)


# After programs that grew this process's resident memory by this much, glibc keeps tens of MiB
# of freed heap as the worker's own pages: ``malloc_trim`` hands them back (30 MiB in 7 ms
# after a 20,000-node graph). A gallery program grows a worker by a few MiB, and up to 25 MiB
# only as one of a fresh worker's first programs.
TRIM_AFTER_GROWTH_MB = 16.0
# Programs between two full garbage collections (``collect_after``).
FULL_COLLECTION_EVERY = 64


def _find_malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None under another C library."""
    try:
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return None
    return trim


_MALLOC_TRIM = _find_malloc_trim()  # looked up in the zygote, before any lockdown


def trim_heap_if_grown(resident_mb: float) -> float:
    """Give glibc's free heap back to the system if this process's resident memory grew by
    ``TRIM_AFTER_GROWTH_MB`` since ``resident_mb``; the resident memory to compare with next."""
    now = rss_mb()
    if _MALLOC_TRIM is None or now - resident_mb < TRIM_AFTER_GROWTH_MB:
        return min(now, resident_mb)  # slow growth adds up until it is worth a trim
    _MALLOC_TRIM(0)
    return rss_mb()


def rss_mb() -> float:
    """This process's resident memory in MiB."""
    with open("/proc/self/statm", "rb") as statm:
        pages = int(statm.read().split()[1])
    return round(pages * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)


def serve(requests: IO[bytes], replies: IO[bytes], os_limits: OsLimits | None) -> None:
    """Lock this process down, say ready, then answer evaluations until the channel closes."""
    from app.evaluate import RERUN_SHARE, RERUN_WITHIN_S, evaluate
    from app.workers.lockdown import apply_os_limits, start_cpu_budget

    missing = apply_os_limits(os_limits) if os_limits is not None else ["all (no limits given)"]
    # How long a light loop's first run may take and still be run again (``app/evaluate.py``).
    timeout_s = os_limits.eval_timeout_s if os_limits is not None else None
    rerun_within_s = RERUN_WITHIN_S if timeout_s is None else RERUN_SHARE * timeout_s
    # Read before saying ready: from then on until a request, the worker opens nothing.
    resident_mb = rss_mb()
    replies.write(protocol.ready_line(os.getpid(), missing, resident_mb))
    # The cyclic collector runs between programs, after the answer, never during a request:
    # re-enabled after a program it would walk that program's whole graph at its next
    # allocation (0.5 ms for training_loop). See ``collect_after``.
    gc.disable()
    for served, line in enumerate(requests, start=1):
        if os_limits is not None:
            start_cpu_budget(os_limits)
        cleanups: list[Callable[[], None]] = []
        try:
            code, limits, early_drawing = protocol.read_request_line(line)
            on_drawn = _drawn_sender(replies, limits.max_graph_bytes) if early_drawing else None
            record = evaluate(
                code, limits, cleanups=cleanups, rerun_within_s=rerun_within_s, on_drawn=on_drawn
            )
            record.worker_rss_mb = rss_mb()
        except BaseException as exc:  # noqa: BLE001 - a bug of ours; answer, then be replaced
            message = (
                f"the worker failed on this program ({type(exc).__name__}); it has been replaced"
            )
            _send(replies, failure("WorkerCrashed", message, 0.0, crashed=True))
            return
        _send(replies, record)
        # Free the program's objects and the record now, after answering: not on this
        # request's path, nor on the next one's (rebinding ``record`` would free it there).
        del record
        for cleanup in cleanups:
            cleanup()
        gc.collect(collect_after(served))
        resident_mb = trim_heap_if_grown(resident_mb)


def collect_after(served: int) -> int:
    """The generation to collect after the ``served``-th program.

    Everything a program made is younger than the collection after the previous program (the
    collector is off meanwhile), so collecting the young generations frees its reference cycles
    (0.02 ms after scalar_chain, 1.2 ms after twenty_layer_mlp). A full collection also walks
    every older survivor (the caches' entries: after a 10,000-node graph, 1 ms or more even
    after scalar_chain) and empties the interpreter's free lists, so it only runs every
    ``FULL_COLLECTION_EVERY`` programs, for older objects a program let go of (an evicted
    compiled program).
    """
    return 2 if served % FULL_COLLECTION_EVERY == 0 else 1


def _drawn_sender(replies: IO[bytes], max_bytes: int) -> OnDrawn:
    """What sends a large graph's drawn part as soon as extraction knows it (the server starts
    drawing it while the worker makes the rest of the graph), if it is at most ``max_bytes``."""

    def send(nodes: list[TensorNode | FunctionNode], edges: list[Edge]) -> None:
        line = protocol.early_reply(nodes, edges, max_bytes)
        if line is not None:
            replies.write(line)
            replies.flush()

    return send


def _send(replies: IO[bytes], record: EvalRecord) -> None:
    replies.write(protocol.reply_lines(record))
    replies.flush()
