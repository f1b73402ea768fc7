"""Run a program with plain PyTorch (no sandbox, no capture) to get the facts tests compare against.

`run_reference(code)` execs the program in a fresh dict, then walks `grad_fn` / `next_functions`
from every tensor the program left in its namespace. Nothing here imports `app`, so a bug in the
graph code cannot leak into the expected values.

What is walked, exactly:
- roots: every namespace value that is a tensor, every tensor inside a list, tuple or dict
  value (one level deep), and the parameters of every `nn.Module` value;
- every tensor `backward()` / `torch.autograd.backward` / `torch.autograd.grad` was called on,
  walked just before that call (a training loop's earlier graphs are freed and unnamed by the
  end, but they were real graphs that ran backward).
"""

from __future__ import annotations

import contextlib
import io
import re
import sys
import traceback
import warnings
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

import torch
from torch import nn
from torch.autograd.graph import Node

ACCUMULATE_GRAD = "AccumulateGrad"
_PRELUDE = ("torch", "nn", "F", "optim")


@dataclass
class Reference:
    """What plain PyTorch produced for a program: its namespace, leaf grads and graph shape."""

    namespace: dict[str, Any]
    # Variable name (or `module_var.param.name`) -> `.grad` of that leaf; only leaves with
    # requires_grad=True are listed, so reading `.grad` never triggers PyTorch's non-leaf warning.
    leaf_grads: dict[str, torch.Tensor | None]
    # Class names of reachable autograd nodes, each node counted once, AccumulateGrad excluded.
    ops: Counter[str]
    accumulate_grad_count: int
    # Sum over reachable nodes of their non-None `next_functions` entries: `x * x` has two
    # entries that both point at x's AccumulateGrad, and counts 2.
    edge_count: int
    # The same edges as a set of (node, next_node) pairs: `x * x` counts 1.
    distinct_edge_count: int
    stdout: str
    error: BaseException | None = None
    error_line: int | None = None
    # The default float dtype when the program ended (a program may switch it).
    default_dtype: torch.dtype = torch.float32


def prelude() -> dict[str, Any]:
    """A fresh namespace pre-bound like the playground's, so snippets without imports run."""
    return {
        "__name__": "__main__",
        "torch": torch,
        "nn": nn,
        "F": torch.nn.functional,
        "optim": torch.optim,
    }


def run_reference(code: str, *, seed: int | None = None, catch: bool = False) -> Reference:
    """Exec `code` with plain PyTorch in a fresh namespace and describe the resulting graph.

    With ``seed``, torch's, NumPy's and Python's random generators start from it (as the
    product's do when given the same seed). With ``catch``, an exception the program raises is
    recorded (``error``, ``error_line``) instead of propagating.
    """
    namespace = prelude()
    if seed is not None:
        _seed_everything(seed)
    out = io.StringIO()
    backward_nodes: dict[int, Node] = {}
    error: BaseException | None = None
    with (
        contextlib.redirect_stdout(out),
        _walk_before_backward(backward_nodes),
        _no_plots(),
        _fresh_defaults(),
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("ignore")  # printed to stderr, never part of what is compared
        try:
            compiled = compile(_as_jupyter_runs_it(code), "<reference>", "exec")
            exec(compiled, namespace)  # noqa: S102 -- running it is the point
        except Exception as exc:
            if not catch:
                raise
            error = exc
        default_dtype = torch.get_default_dtype()
    found = {id(n): n for n in reachable_nodes(root_tensors(namespace))}
    nodes = list({**backward_nodes, **found}.values())
    ops: Counter[str] = Counter()
    accumulate = 0
    edge_count = 0
    pairs: set[tuple[int, int]] = set()
    for node in nodes:
        name = type(node).__name__
        if name == ACCUMULATE_GRAD:
            accumulate += 1
        else:
            ops[name] += 1
        for next_node, _output_nr in node.next_functions:
            if next_node is not None:
                edge_count += 1
                pairs.add((id(node), id(next_node)))
    return Reference(
        namespace=namespace,
        leaf_grads=leaf_grads(namespace),
        ops=ops,
        accumulate_grad_count=accumulate,
        edge_count=edge_count,
        distinct_edge_count=len(pairs),
        stdout=out.getvalue(),
        error=error,
        error_line=_program_line(error),
        default_dtype=default_dtype,
    )


def _as_jupyter_runs_it(code: str) -> str:
    """A notebook cell as Jupyter runs it: a line that begins with ``%`` or ``!`` (a magic or
    a shell command: ``%matplotlib inline``, ``!pip install d2l``) changes none of the
    program's values; it is ``pass`` here, at its indent, so lines keep their numbers. Only
    for code that does not parse as it is (``x = 5 % 2`` and ``a != b`` are Python)."""
    try:
        compile(code, "<reference>", "exec")
    except SyntaxError:
        pass
    else:
        return code
    lines = code.split("\n")
    for i, line in enumerate(lines):
        text = line.lstrip()
        if text.startswith(("%", "!")):
            lines[i] = line[: len(line) - len(text)] + "pass"
    return "\n".join(lines)


# cudnn's flags as this process started with them (PyTorch's own defaults).
_CUDNN_FLAGS = {
    name: getattr(torch.backends.cudnn, name)
    for name in ("enabled", "benchmark", "deterministic", "allow_tf32")
}


@contextlib.contextmanager
def _fresh_defaults() -> Iterator[None]:
    """Torch's global switches as a fresh process has them, before and after the program (a
    course's seed helper sets cudnn's flags, a debugging note anomaly mode)."""

    def reset() -> None:
        torch.set_grad_enabled(True)
        torch.set_default_dtype(torch.float32)
        torch.set_printoptions(profile="default", sci_mode=None)  # type: ignore[no-untyped-call]
        for name, value in _CUDNN_FLAGS.items():
            setattr(torch.backends.cudnn, name, value)
        torch.set_anomaly_enabled(False, True)  # off, checking for NaN: PyTorch's defaults

    reset()
    try:
        yield
    finally:
        reset()


def _seed_everything(seed: int) -> None:
    import random

    import numpy as np

    torch.manual_seed(seed)
    np.random.seed(seed)
    random.seed(seed)


def _program_line(error: BaseException | None) -> int | None:
    """The line of the program (not of a library) where ``error`` was raised."""
    line = None
    for frame, lineno in traceback.walk_tb(error.__traceback__ if error else None):
        if frame.f_code.co_filename == "<reference>":
            line = lineno
    return line


class _NoPlot:
    """Anything matplotlib would give: every attribute and call is another no-op."""

    def __getattr__(self, name: str) -> Any:
        return self

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self

    def __getitem__(self, key: Any) -> Any:
        return self

    def __setitem__(self, key: Any, value: Any) -> None:
        pass

    def __iter__(self) -> Iterator[Any]:
        return iter((self, self))


@contextlib.contextmanager
def _no_plots() -> Iterator[None]:
    """``import matplotlib.pyplot`` gives a do-nothing module (plots do not change any value)."""
    import sys
    import types

    stub = types.ModuleType("matplotlib")
    stub.pyplot = _NoPlot()  # type: ignore[attr-defined]
    saved = {name: sys.modules.get(name) for name in ("matplotlib", "matplotlib.pyplot")}
    sys.modules["matplotlib"] = stub
    sys.modules["matplotlib.pyplot"] = stub.pyplot  # type: ignore[assignment]
    try:
        yield
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module


@contextlib.contextmanager
def _walk_before_backward(into: dict[int, Node]) -> Iterator[None]:
    """Patch the three backward entry points to walk their roots' graphs before running."""
    originals = (torch.Tensor.backward, torch.autograd.backward, torch.autograd.grad)

    def walk(tensors: Any) -> None:
        roots = [tensors] if isinstance(tensors, torch.Tensor) else list(tensors)
        into.update((id(n), n) for n in reachable_nodes(roots))

    def tensor_backward(self: torch.Tensor, *args: Any, **kwargs: Any) -> Any:
        walk(self)
        return originals[0](self, *args, **kwargs)

    def autograd_backward(tensors: Any, *args: Any, **kwargs: Any) -> Any:
        walk(tensors)
        return originals[1](tensors, *args, **kwargs)

    def autograd_grad(outputs: Any, *args: Any, **kwargs: Any) -> Any:
        walk(outputs)
        return originals[2](outputs, *args, **kwargs)

    torch.Tensor.backward = tensor_backward  # type: ignore[method-assign]
    torch.autograd.backward = autograd_backward  # type: ignore[assignment]
    torch.autograd.grad = autograd_grad  # type: ignore[assignment]
    try:
        yield
    finally:
        torch.Tensor.backward, torch.autograd.backward, torch.autograd.grad = originals  # type: ignore[method-assign,assignment]


def program_variables(namespace: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """Yield the namespace entries the program bound, skipping dunder names like __builtins__."""
    for name, value in namespace.items():
        if not (name.startswith("__") and name.endswith("__")) and name not in _PRELUDE:
            yield name, value


def leaf_grads(namespace: dict[str, Any]) -> dict[str, torch.Tensor | None]:
    """Map each named leaf tensor that requires grad (and each module parameter) to its .grad."""
    grads: dict[str, torch.Tensor | None] = {}
    for name, value in program_variables(namespace):
        if isinstance(value, torch.Tensor) and value.is_leaf and value.requires_grad:
            grads[name] = value.grad
        elif isinstance(value, nn.Module):
            for param_name, param in value.named_parameters():
                grads[f"{name}.{param_name}"] = param.grad
    return grads


def root_tensors(namespace: dict[str, Any]) -> list[torch.Tensor]:
    """Collect tensors bound to variables, held one level deep in containers, or module parameters."""
    roots: list[torch.Tensor] = []
    for _name, value in program_variables(namespace):
        if isinstance(value, torch.Tensor):
            roots.append(value)
        elif isinstance(value, nn.Module):
            roots.extend(value.parameters())
        elif isinstance(value, (list, tuple, dict)):
            items = value.values() if isinstance(value, dict) else value
            roots.extend(item for item in items if isinstance(item, torch.Tensor))
    return roots


def reachable_nodes(roots: list[torch.Tensor]) -> list[Node]:
    """Walk grad_fn / next_functions iteratively; return every node once, in visit order."""
    # Holding each node in `seen` keeps its Python wrapper alive, so id() stays unique and
    # PyTorch hands back the same wrapper when another path reaches the same node.
    seen: dict[int, Node] = {}
    stack: list[Node] = [t.grad_fn for t in reversed(roots) if t.grad_fn is not None]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen[id(node)] = node
        for next_node, _output_nr in reversed(node.next_functions):
            if next_node is not None and id(next_node) not in seen:
                stack.append(next_node)
    return list(seen.values())


@dataclass
class BackwardOrder:
    """One backward call of a plain PyTorch run: the nodes that ran, in order, and what it raised."""

    ops: list[str]  # class names, AccumulateGrad included
    error: str | None = None  # the exception's class name, if the call raised


@contextlib.contextmanager
def backward_orders() -> Iterator[list[BackwardOrder]]:
    """Record, for each backward call made inside (``Tensor.backward``, ``torch.autograd.backward``,
    ``torch.autograd.grad``), the order its nodes ran in: a pre hook on every node reachable
    from the call's roots, removed when the call returns. Wrap ``run_reference`` with it."""
    orders: list[BackwardOrder] = []
    originals = (torch.Tensor.backward, torch.autograd.backward, torch.autograd.grad)
    depth = [0]  # Tensor.backward calls torch.autograd.backward: count the outer call only

    def recorded(call: Any, roots: Any, *args: Any, **kwargs: Any) -> Any:
        if depth[0]:
            return call(roots, *args, **kwargs)
        order = BackwardOrder(ops=[])
        orders.append(order)
        tensors = [roots] if isinstance(roots, torch.Tensor) else list(roots)
        handles = [
            node.register_prehook(_appender(order.ops, type(node).__name__))
            for node in reachable_nodes(tensors)
        ]
        depth[0] += 1
        try:
            return call(roots, *args, **kwargs)
        except Exception as exc:
            order.error = type(exc).__name__
            raise
        finally:
            depth[0] -= 1
            for handle in handles:
                handle.remove()

    def tensor_backward(self: torch.Tensor, *args: Any, **kwargs: Any) -> Any:
        return recorded(originals[0], self, *args, **kwargs)

    def autograd_backward(tensors: Any, *args: Any, **kwargs: Any) -> Any:
        return recorded(originals[1], tensors, *args, **kwargs)

    def autograd_grad(outputs: Any, *args: Any, **kwargs: Any) -> Any:
        return recorded(originals[2], outputs, *args, **kwargs)

    torch.Tensor.backward = tensor_backward  # type: ignore[method-assign]
    torch.autograd.backward = autograd_backward  # type: ignore[assignment]
    torch.autograd.grad = autograd_grad  # type: ignore[assignment]
    try:
        yield orders
    finally:
        torch.Tensor.backward, torch.autograd.backward, torch.autograd.grad = originals  # type: ignore[method-assign,assignment]


def _appender(into: list[str], name: str) -> Any:
    """A node pre hook that appends ``name`` to ``into`` and leaves the gradients alone."""

    def hook(_grads: Any) -> None:
        into.append(name)

    return hook


def anomaly_lines(code: str, *roots: str, catch: bool = False) -> list[tuple[str, int]]:
    """Each function node's creation line as PyTorch's anomaly mode records it (the last
    frame of the program in the node's forward traceback), from the ``roots`` variables' graphs
    (without ``roots``: every tensor the program left in its namespace and every tensor it
    called backward on, as ``run_reference`` walks them). With ``catch``, an exception the
    program raises ends it quietly: the nodes made until then are walked."""
    namespace = prelude()
    backward_nodes: dict[int, Node] = {}
    with warnings.catch_warnings(), _walk_before_backward(backward_nodes), _fresh_defaults():
        warnings.simplefilter("ignore")  # "Anomaly Detection has been enabled"
        with torch.autograd.detect_anomaly(), contextlib.redirect_stdout(io.StringIO()):
            try:
                exec(compile(code, "<program>", "exec"), namespace)  # noqa: S102 - the reference
            except Exception:
                if not catch:
                    raise
    if roots:
        nodes = reachable_nodes([namespace[root] for root in roots])
    else:
        found = {id(n): n for n in reachable_nodes(root_tensors(namespace))}
        nodes = list({**backward_nodes, **found}.values())
    lines: list[tuple[str, int]] = []
    for node in nodes:
        if type(node).__name__ == ACCUMULATE_GRAD:
            continue
        frames = [f for f in node.metadata.get("traceback_", []) if '"<program>"' in f]
        lines.append((type(node).__name__, int(re.findall(r"line (\d+)", frames[-1])[-1])))
    return sorted(lines)


# --- bindings, under a line tracer ------------------------------------------------------------

_TRACED = "<traced>"


@dataclass
class Binding:
    """A tensor a variable started to hold: where, the tensor, and its flags at that moment."""

    name: str
    scope: str | None
    line: int
    tensor: torch.Tensor
    flags: tuple[bool, bool, str | None, int]
    backward_calls: int  # how many backward calls had run then


@dataclass
class Trace:
    bindings: list[Binding] = field(default_factory=list)
    namespace: dict[str, Any] = field(default_factory=dict)
    backward_calls: int = 0


def flags_of(tensor: torch.Tensor) -> tuple[bool, bool, str | None, int]:
    node = tensor.grad_fn
    return (
        tensor.requires_grad,
        tensor.is_leaf,
        None if node is None else type(node).__name__,
        tensor._version,
    )


def trace_bindings(code: str) -> Trace:
    """Run ``code`` with plain PyTorch under a line tracer, noting each new tensor a variable
    holds after a line (with its flags then, and how many backward calls had run)."""
    trace = Trace(namespace=prelude())
    backward = torch.Tensor.backward

    def counted(self: torch.Tensor, *args: Any, **kwargs: Any) -> Any:
        trace.backward_calls += 1
        return backward(self, *args, **kwargs)

    held: dict[tuple[int, str], int] = {}  # (frame, name) -> id of the tensor it holds
    pending: dict[int, tuple[FrameType, int]] = {}  # frame -> (frame, line that just ran)

    def note(frame: FrameType, line: int) -> None:
        scope = None if frame.f_code.co_name == "<module>" else frame.f_code.co_qualname
        for name, value in list(frame.f_locals.items()):
            if not isinstance(value, torch.Tensor) or name.startswith("_"):
                continue
            key = (id(frame), name)
            if held.get(key) != id(value):
                held[key] = id(value)
                trace.bindings.append(
                    Binding(name, scope, line, value, flags_of(value), trace.backward_calls)
                )

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        if frame.f_code.co_filename != _TRACED:
            return None
        if event in ("line", "return") and id(frame) in pending:
            done, line = pending.pop(id(frame))
            note(done, line)
        if event == "line":
            pending[id(frame)] = (frame, frame.f_lineno)
        return tracer

    sys.settrace(tracer)
    torch.Tensor.backward = counted  # type: ignore[method-assign]
    try:
        exec(compile(code, _TRACED, "exec"), trace.namespace)  # noqa: S102 -- the reference
    finally:
        sys.settrace(None)
        torch.Tensor.backward = backward  # type: ignore[method-assign]
    return trace
