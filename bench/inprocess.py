"""In-process references: plain PyTorch (the floor), torchviz (the peer), and the app's own steps.

The floor runs a program as a user would in a notebook: compile the text, execute it with
``print`` captured (its ``backward()`` included). The peer is what a torchviz user does
afterwards: ``make_dot`` on the tensor ``backward`` was called on (or the last tensor
variable) and ``.pipe(format="svg")``, which starts a ``dot`` process. The step timings call
the same app functions the worker and the route call, one at a time, to split the
end-to-end time.
"""

from __future__ import annotations

import contextlib
import io
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch

PROGRAM_FILE = "<program>"


def run_plain(code: str) -> dict[str, Any]:
    """Compile and run ``code`` with plain PyTorch, output captured; return its namespace."""
    # What the server pre-binds (notebook style); the gallery imports these itself anyway.
    namespace = {
        "__name__": "__main__",
        "torch": torch,
        "nn": torch.nn,
        "F": torch.nn.functional,
        "optim": torch.optim,
    }
    compiled = compile(code, PROGRAM_FILE, "exec")
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compiled, namespace)  # noqa: S102 - our own gallery programs, in the bench process
    return namespace


def final_tensor(code: str) -> torch.Tensor:
    """The tensor the program last called backward (or autograd.grad) on, else its last tensor."""
    roots: list[torch.Tensor] = []
    real_backward = torch.autograd.backward
    real_grad = torch.autograd.grad

    def backward(tensors: Any, *args: Any, **kwargs: Any) -> Any:
        roots.append(tensors if isinstance(tensors, torch.Tensor) else list(tensors)[-1])
        return real_backward(tensors, *args, **kwargs)

    def grad(outputs: Any, *args: Any, **kwargs: Any) -> Any:
        roots.append(outputs if isinstance(outputs, torch.Tensor) else list(outputs)[-1])
        return real_grad(outputs, *args, **kwargs)

    torch.autograd.backward = backward
    torch.autograd.grad = grad
    try:
        namespace = run_plain(code)
    finally:
        torch.autograd.backward = real_backward
        torch.autograd.grad = real_grad
    if roots:
        return roots[-1]
    tensors = [value for value in namespace.values() if isinstance(value, torch.Tensor)]
    with_history = [tensor for tensor in tensors if tensor.grad_fn is not None]
    if not tensors:
        raise ValueError("the program leaves no tensor to draw")
    return (with_history or tensors)[-1]


def timed(action: Callable[[], object], repeats: int, warmup: int = 3) -> list[float]:
    """Milliseconds for each of ``repeats`` calls of ``action``, after ``warmup`` calls."""
    for _ in range(warmup):
        action()
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def floor_ms(code: str, repeats: int, warmup: int = 3) -> list[float]:
    """Plain PyTorch running the program (compile + exec + its backward), in milliseconds."""
    return timed(lambda: run_plain(code), repeats, warmup)


def peer_ms(code: str, repeats: int, warmup: int = 2) -> list[float]:
    """torchviz ``make_dot`` + ``.pipe(format="svg")`` for the program's final tensor."""
    from torchviz import make_dot  # type: ignore[import-untyped]

    root = final_tensor(code)
    return timed(lambda: make_dot(root).pipe(format="svg"), repeats, warmup)


@dataclass(frozen=True)
class Steps:
    """Median milliseconds of each step the server takes for one program (one at a time)."""

    evaluate: float
    compile_program: float
    record_to_dict: float
    record_json_dumps: float
    record_json_loads: float
    to_dot: float
    to_svg: float
    response_json: float
    nodes: int


def app_steps(code: str, repeats: int) -> Steps:
    """Time each step of the worker and the route with the app's own functions, in process."""
    from app.api.graph import _answer
    from app.draw.render import to_dot, to_svg
    from app.evaluate import evaluate
    from app.language import compile as policy
    from app.language.compile import compile_program
    from app.limits import DEFAULT_LIMITS
    from app.workers.protocol import _decode, graph_line
    from bench.stats import percentile

    def p50(action: Callable[[], object]) -> float:
        return percentile(timed(action, repeats), 50)

    record = evaluate(code)
    head = record.head()
    graph = record.graph
    assert graph is not None and record.graph_model is not None
    model = record.graph_model
    # What the worker sends and the pool reads: the record's head line, then the graph line.
    head_line = json.dumps(head, ensure_ascii=True).encode("ascii")
    graph_bytes = graph_line(model)
    dot = to_dot(graph)
    nodes = len(graph["nodes"])
    svg = to_svg(dot, node_count=nodes, graph=graph)
    body = {"stdout": head["stdout"], "elapsed_ms": head["elapsed_ms"], "dot": dot, "svg": svg}

    def fresh_compile() -> None:  # no statement of the program seen before
        policy._STATEMENTS.clear()
        compile_program(code, DEFAULT_LIMITS)

    counter = iter(range(10**9))
    return Steps(
        evaluate=p50(lambda: evaluate(code)),
        compile_program=p50(fresh_compile),
        record_to_dict=p50(record.head),
        record_json_dumps=p50(lambda: (json.dumps(head, ensure_ascii=True), graph_line(model))),
        record_json_loads=p50(lambda: (json.loads(head_line), _decode(graph_bytes))),
        to_dot=p50(lambda: to_dot(graph)),
        # A DOT comment makes each text new, so the route's SVG cache cannot answer.
        to_svg=p50(lambda: to_svg(f"{dot}// {next(counter)}\n", node_count=nodes, graph=graph)),
        response_json=p50(lambda: _answer(graph_bytes, body)),
        nodes=nodes,
    )
