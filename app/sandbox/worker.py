"""A worker process: torch imported and warmed once, then one evaluation per request line.

Protocol: the parent writes one JSON object per line (``{"code": ..., "limits": {...}}``) and
reads one JSON line back (the ``EvalRecord``). JSON only, in both directions: the parent never
unpickles anything a worker sends. The protocol runs on a private copy of the original stdout;
file descriptor 1 is pointed at stderr so nothing a library prints can corrupt it.
"""

from __future__ import annotations

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
    """Run one of each kind of program, so the first real request pays no import cost."""
    from app.evaluate import evaluate
    from app.examples import load_examples

    for example in load_examples():
        evaluate(example.code)


def main() -> None:
    """Serve evaluations until stdin closes."""
    out = _protocol_stream()
    warnings.filterwarnings("ignore")
    import torch

    torch.set_num_threads(1)  # one core per worker; also keeps forked children from hanging
    from app.evaluate import evaluate
    from app.sandbox.limits import Limits

    _warm_up()
    out.write(json.dumps({"ready": True, "pid": os.getpid()}) + "\n")
    for line in sys.stdin:
        request: dict[str, Any] = json.loads(line)
        limits = Limits(**request.get("limits", {}))
        record = evaluate(request["code"], limits)
        out.write(json.dumps(record.to_dict(), allow_nan=True) + "\n")


if __name__ == "__main__":
    main()
