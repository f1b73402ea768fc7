"""A worker process: torch imported and warmed once, locked down, then one evaluation per line.

Protocol: the parent starts ``python -m app.sandbox.worker '<OsLimits as JSON>'``, waits for
``{"ready": true, ...}``, then writes one JSON object per line (``{"code": ..., "limits":
{...}}``) and reads one JSON line back (the ``EvalRecord`` plus the worker's memory). JSON
only, in both directions: the parent never unpickles anything a worker sends. The protocol
runs on a private copy of the original stdout; file descriptor 1 is pointed at stderr so
nothing a library prints can corrupt it.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import warnings
from typing import Any, TextIO


def _protocol_stream() -> TextIO:
    private = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return os.fdopen(private, "w", buffering=1, encoding="utf-8")


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


def main() -> None:
    """Warm up, lock down, then serve evaluations until stdin closes."""
    out = _protocol_stream()
    warnings.filterwarnings("ignore")
    # numpy is not installed, and PyTorch tries `import numpy` inside hot helpers (sym_max, via
    # contiguity checks): a failed import is not cached and searches the disk every time.
    # Marking it absent makes each attempt a dictionary lookup (and keeps numpy out for good).
    sys.modules.setdefault("numpy", None)  # type: ignore[arg-type]
    import torch

    # One core per worker; set before any torch work (a forked child of a process with a
    # parallel thread pool hangs on its first parallel op).
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    from app.evaluate import evaluate
    from app.sandbox.limits import Limits
    from app.sandbox.os_limits import OsLimits, apply_os_limits, start_cpu_budget

    os_limits = OsLimits(**json.loads(sys.argv[1])) if len(sys.argv) > 1 else None
    _warm_up()
    # Move everything alive now (torch, the app) out of the collector's sight: collections
    # between programs then only walk what programs left behind.
    gc.collect()
    gc.freeze()
    missing = apply_os_limits(os_limits) if os_limits is not None else ["all (no limits given)"]
    ready = {"ready": True, "pid": os.getpid(), "missing_layers": missing, "rss_mb": rss_mb()}
    out.write(json.dumps(ready) + "\n")
    for line in sys.stdin:
        request: dict[str, Any] = json.loads(line)
        if os_limits is not None:
            start_cpu_budget(os_limits)
        try:
            record = evaluate(request["code"], Limits(**request.get("limits", {}))).to_dict()
            record["worker_rss_mb"] = rss_mb()
            # ASCII JSON: any text a program produced, even lone surrogates, crosses safely.
            reply = json.dumps(record, ensure_ascii=True)
        except BaseException as exc:  # noqa: BLE001 - a bug of ours; answer, then be replaced
            out.write(json.dumps(_crash_record(exc)) + "\n")
            return
        out.write(reply + "\n")


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
        "graph": None,
        "stdout": "",
        "stdout_truncated": False,
        "truncated": False,
        "timed_out": False,
        "crashed": True,
        "deterministic": False,
        "elapsed_ms": 0.0,
    }


if __name__ == "__main__":
    main()
