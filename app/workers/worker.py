"""A worker: torch warmed once (in the zygote), locked down, then one evaluation per line.

Workers are forked by the zygote (``app/zygote.py``), which has already imported and
warmed torch, so a worker starts in milliseconds and shares those pages copy-on-write.

Protocol, on the worker's own Unix socket to the server: the worker first writes
``{"ready": true, ...}``; then the server writes one JSON object per line
(``{"code": ..., "limits": {...}}``) and reads two JSON lines back: the ``EvalRecord`` without
its graph, plus the worker's memory, and then the graph. JSON only, in both directions: the server never unpickles anything a worker sends.
File descriptors 0 and 1 point at /dev/null and stderr, so nothing a library prints can
corrupt the protocol.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import warnings
from collections.abc import Callable
from typing import IO, Any

import orjson

from app.graph_model import Graph
from app.workers.lockdown import OsLimits


def prepare() -> None:
    """Import and warm everything a worker needs; runs once, in the zygote, before any fork."""
    warnings.filterwarnings("ignore")
    # numpy is not installed, and PyTorch tries `import numpy` inside hot helpers (sym_max, via
    # contiguity checks): a failed import is not cached and searches the disk every time.
    # Marking it absent makes each attempt a dictionary lookup (and keeps numpy out for good).
    sys.modules.setdefault("numpy", None)  # type: ignore[arg-type]
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


def rss_mb() -> float:
    """This process's resident memory in MiB."""
    with open("/proc/self/statm", "rb") as statm:
        pages = int(statm.read().split()[1])
    return round(pages * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)


def serve(requests: IO[bytes], replies: IO[bytes], os_limits: OsLimits | None) -> None:
    """Lock this process down, say ready, then answer evaluations until the channel closes."""
    from app.evaluate import evaluate
    from app.limits import Limits
    from app.workers.lockdown import apply_os_limits, start_cpu_budget

    missing = apply_os_limits(os_limits) if os_limits is not None else ["all (no limits given)"]
    ready = {"ready": True, "pid": os.getpid(), "missing_layers": missing, "rss_mb": rss_mb()}
    replies.write(json.dumps(ready).encode("ascii") + b"\n")
    # The cyclic collector runs between programs, after the answer, never during a request:
    # re-enabled after a program it would walk that program's whole graph at its next
    # allocation (0.5 ms for training_loop); run here, with the zygote's objects frozen and
    # the program's freed, a full collection costs about 0.05 ms.
    gc.disable()
    for line in requests:
        request: dict[str, Any] = json.loads(line)
        if os_limits is not None:
            start_cpu_budget(os_limits)
        cleanups: list[Callable[[], None]] = []
        try:
            limits = Limits(**request.get("limits", {}))
            result = evaluate(request["code"], limits, cleanups=cleanups)
            record = result.to_dict(with_graph=False)
            record["worker_rss_mb"] = rss_mb()
        except BaseException as exc:  # noqa: BLE001 - a bug of ours; answer, then be replaced
            _send(replies, _crash_record(exc), None)
            return
        _send(replies, record, result.graph_model)
        # Free the program's objects and the record now, after answering: not on this
        # request's path, nor on the next one's (rebinding ``record`` would free it there).
        del record, result
        for cleanup in cleanups:
            cleanup()
        gc.collect()


def _send(replies: IO[bytes], message: dict[str, Any], graph: Graph | None) -> None:
    """Two lines: the record without its graph, then the graph (``null`` if none).

    The graph travels on a line of its own so the server can put it into its answer as it
    came, after checking it parses, instead of encoding a large graph a second time.
    """
    # ASCII JSON: any text a program produced, even lone surrogates, crosses safely.
    head = json.dumps(message, ensure_ascii=True).encode("ascii")
    replies.write(head + b"\n" + graph_line(graph) + b"\n")
    replies.flush()


def graph_line(graph: Graph | dict[str, Any] | None) -> bytes:
    """The graph as one line of JSON: orjson, straight from the model's dataclasses (UTF-8; a
    large graph 5x faster than the standard library), or the standard library's ASCII escapes
    for what orjson refuses (a lone surrogate in a name a program chose)."""
    try:
        return orjson.dumps(graph)
    except orjson.JSONEncodeError:
        plain = graph.to_dict() if isinstance(graph, Graph) else graph
        return json.dumps(plain, ensure_ascii=True).encode("ascii")


def _crash_record(exc: BaseException) -> dict[str, Any]:
    message = f"the worker failed on this program ({type(exc).__name__}); it has been replaced"
    return {
        "ok": False,
        "refused": None,
        "error": {
            "type": "WorkerCrashed",
            "message": message,
            "line": None,
            "col": None,
            "hint": None,
        },
        "stdout": "",
        "stdout_truncated": False,
        "truncated": False,
        "timed_out": False,
        "crashed": True,
        "deterministic": False,
        "elapsed_ms": 0.0,
    }
