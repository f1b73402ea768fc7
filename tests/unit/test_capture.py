"""What the graph recorder sees while a program runs (app/walk/capture.py): the line that made
each node, the order backward ran the nodes in and the gradient each sent, checked against
plain PyTorch; its hooks never change what PyTorch computes."""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from typing import Any

import pytest
import torch

from app.evaluate import evaluate
from app.language.torch_mode import ProgramMode
from app.limits import Limits
from app.schemas import GraphResponse
from app.walk.capture import GraphRecorder
from app.walk.encode import fitted
from tests.reference import anomaly_lines


def _recorder(max_passes: int = 20) -> GraphRecorder:
    # This file stands in for the program: the recorder tags nodes with its lines.
    return GraphRecorder(__file__, max_elements=100, max_passes=max_passes, max_records=1000)


def _recorded(program: Callable[[], Any], recorder: GraphRecorder | None = None) -> Any:
    with ProgramMode(Limits(), recorder or _recorder()):
        return program()


def _numbers(snapshot: Any) -> Any:
    """The numbers of a gradient as the recorder kept it (a copy, or its formatted value)."""
    return snapshot.tolist() if isinstance(snapshot, torch.Tensor) else snapshot.data


def _line() -> int:
    return sys._getframe(1).f_lineno


def _training_step() -> dict[str, Any]:
    """A small program that uses what hooks could disturb: a leaf's .grad, a retained grad, a
    tensor hook that changes the gradient, a second pass accumulating, autograd.grad."""
    torch.manual_seed(0)
    w = torch.randn(3, 2, requires_grad=True)
    x = torch.randn(4, 3)
    h = torch.tanh(x @ w)
    h.retain_grad()
    h.register_hook(lambda g: g * 2)
    loss = (h**2).mean()
    loss.backward(retain_graph=True)
    first = w.grad.clone() if w.grad is not None else None
    loss.backward()
    (dw,) = torch.autograd.grad((w**3).sum(), w, create_graph=True)
    return {
        "first": first,
        "w.grad": w.grad,
        "h.grad": h.grad,
        "dw": dw.detach(),
        "dw.grad_fn": type(dw.grad_fn).__name__,
        "versions": (w._version, h._version),
        "leaves": (w.is_leaf, h.is_leaf, h.requires_grad),
    }


def test_recording_leaves_what_pytorch_computes_unchanged() -> None:
    plain = _training_step()
    recorder = _recorder()
    recorded = _recorded(_training_step, recorder)
    assert len(recorder.passes) == 3  # the recorder did watch all three passes
    assert plain.keys() == recorded.keys()
    for key, value in plain.items():
        if isinstance(value, torch.Tensor):
            assert torch.equal(value, recorded[key]), key
        else:
            assert value == recorded[key], key


def test_backward_runs_from_the_output_to_the_leaf_in_chain_order() -> None:
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    recorder = _recorder()

    def program() -> None:
        ((x * 2).exp()).sum().backward()

    _recorded(program, recorder)
    (recorded,) = recorder.passes
    assert recorded.kind == "backward"
    assert [type(step.node).__name__ for step in recorded.steps] == [
        "SumBackward0",
        "ExpBackward0",
        "MulBackward0",
        "AccumulateGrad",
    ]


def test_the_gradients_each_node_sent_are_those_pytorch_computes() -> None:
    x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
    recorder = _recorder()
    kept: dict[str, torch.Tensor] = {}

    def program() -> None:
        doubled = x * 2
        doubled.retain_grad()
        exp = doubled.exp()
        exp.retain_grad()
        kept.update(doubled=doubled, exp=exp)
        exp.sum().backward()

    _recorded(program, recorder)
    sent = {type(s.node).__name__: s for s in recorder.passes[0].steps}
    # what each node sent along its input slot is the gradient PyTorch gave that input
    grads = {name: tensor.grad for name, tensor in kept.items()}
    assert grads["exp"] is not None and grads["doubled"] is not None and x.grad is not None
    assert _numbers(sent["SumBackward0"].slot_grads[0][1]) == grads["exp"].tolist()
    assert _numbers(sent["ExpBackward0"].slot_grads[0][1]) == grads["doubled"].tolist()
    assert _numbers(sent["MulBackward0"].slot_grads[0][1]) == x.grad.tolist()
    # and what it received is what its output's gradient was
    assert _numbers(sent["ExpBackward0"].output_grads[0][1]) == grads["exp"].tolist()
    assert _numbers(sent["AccumulateGrad"].leaf_grad) == x.grad.tolist()


def test_hooks_are_gone_after_the_pass() -> None:
    x = torch.ones(2, requires_grad=True)
    recorder = _recorder()
    y = _recorded(lambda: (x * 3).sum(), recorder)
    _recorded(lambda: y.backward(retain_graph=True), recorder)
    steps = len(recorder.passes[0].steps)
    y.backward()  # outside the mode: nothing records it
    assert len(recorder.passes) == 1 and len(recorder.passes[0].steps) == steps
    assert x.grad is not None and x.grad.tolist() == [6.0, 6.0]


def test_each_node_is_tagged_with_the_line_that_made_it() -> None:
    recorder = _recorder()
    x = torch.ones(2, requires_grad=True)

    def program() -> tuple[torch.Tensor, torch.Tensor, int, int]:
        a, line_a = x * 2, _line()
        b, line_b = a.exp(), _line()
        return a, b, line_a, line_b

    a, b, line_a, line_b = _recorded(program, recorder)
    assert recorder.node_lines[id(a.grad_fn)] == line_a
    assert recorder.node_lines[id(b.grad_fn)] == line_b


def test_only_the_first_and_the_newest_passes_are_kept() -> None:
    x = torch.ones(1, requires_grad=True)
    recorder = _recorder(max_passes=3)

    def program() -> None:
        for i in range(5):
            (x * i).sum().backward()

    _recorded(program, recorder)
    kept = [
        _numbers(step.slot_grads[0][1])
        for recorded in recorder.passes
        for step in recorded.steps
        if type(step.node).__name__ == "MulBackward0"
    ]
    assert kept == [[0.0], [3.0], [4.0]]  # d(x * i)/dx of the first and the last two passes


def test_a_detached_tensor_is_remembered_only_while_it_lives() -> None:
    x = torch.ones(2, requires_grad=True)
    recorder = _recorder()
    d = _recorded(lambda: x.detach(), recorder)
    assert recorder.detached_from == {id(d): x}
    del d
    gc.collect()
    assert recorder.detached_from == {}


@pytest.mark.parametrize("kind", ["backward", "autograd.grad"])
def test_the_pass_kind_is_recorded(kind: str) -> None:
    x = torch.ones(2, requires_grad=True)
    recorder = _recorder()

    def program() -> None:
        y = (x * x).sum()
        if kind == "backward":
            y.backward()
        else:
            torch.autograd.grad(y, x)

    _recorded(program, recorder)
    assert [p.kind for p in recorder.passes] == [kind]


def test_only_the_gradients_a_graph_can_show_are_copied() -> None:
    """``torch.cat([x] * 1000)`` sends 1,000 gradients to x: the graph shows the first edges
    between two nodes (``max_parallel_edges``), so only theirs are copied, each PyTorch's."""
    x = torch.ones(1, requires_grad=True)
    recorder = _recorder()
    _recorded(lambda: (torch.cat([x] * 1000) * torch.arange(1000.0)).sum().backward(), recorder)
    cat = next(s for s in recorder.passes[0].steps if type(s.node).__name__ == "CatBackward0")
    limit = Limits().max_parallel_edges
    assert [(slot, _numbers(grad)) for slot, grad in cat.slot_grads] == [
        (slot, [float(slot)]) for slot in range(limit)
    ]
    assert x.grad is not None and x.grad.item() == sum(range(1000))  # PyTorch's own


def _creation_lines(code: str) -> list[tuple[str, int | None]]:
    """(op, line) of each function node the product shows but AccumulateGrad, sorted."""
    record = evaluate(code)
    assert record.graph is not None
    return sorted(
        (node["op"], node["line"])
        for node in record.graph["nodes"]
        if node["kind"] == "function" and node["op"] != "AccumulateGrad"
    )


@pytest.mark.parametrize(
    "code",
    [
        "x = torch.ones(3, requires_grad=True)\ny = x * 2\ny[0] = 10.\nz = y.sum()\n",
        "x = torch.ones(2, 3, requires_grad=True)\ny = x + 1\ny[:, 1] = y[:, 0] * 3\nz = y.sum()\n",
        "x = torch.ones(3, requires_grad=True)\ny = x.exp()\ny.mul_(2)\ny[1:] = 0.\nz = y.sum()\n",
    ],
    ids=["setitem", "setitem-from-itself", "inplace-then-setitem"],
)
def test_creation_lines_of_in_place_nodes_match_anomaly_mode(code: str) -> None:
    """``y[0] = 10.`` makes ``CopySlices`` on its own line, as anomaly mode says (it was given
    the line of the next statement that used ``y``: ``__setitem__`` returns None)."""
    assert _creation_lines(code) == anomaly_lines(code, "z")


def test_creation_lines_of_a_gradient_graph_match_anomaly_mode() -> None:
    """``y.backward(create_graph=True)`` builds the gradient's own graph on its line; the
    product gave its nodes the line of a later statement that used the gradient."""
    code = (
        "x = torch.tensor(2.0, requires_grad=True)\n"
        "y = x ** 3\n"
        "y.backward(create_graph=True)\n"
        "g = x.grad\n"
        "h = g * 1\n"
    )
    assert _creation_lines(code) == anomaly_lines(code, "y", "h")


# --- a backward call that raises ------------------------------------------------------------------
# Each program gets ``run``, through which it makes its backward calls. In plain PyTorch
# (``_PlainRun``) every node of the graph is hooked before and after it runs, which tells the
# nodes that finished, with the gradients they sent, and the node that began and never finished;
# under the recorder (``_RecordedRun``) the calls are made as a program makes them.
PassFacts = tuple[list[tuple[str, dict[int, Any]]], str | None, str | None, str | None]


class _RecordedRun:
    def backward(self, root: torch.Tensor) -> None:
        root.backward()

    def grad(self, output: torch.Tensor, inputs: torch.Tensor) -> Any:
        return torch.autograd.grad(output, inputs)


class _PlainRun:
    def __init__(self) -> None:
        self.passes: list[PassFacts] = []

    def backward(self, root: torch.Tensor) -> None:
        self._watched(root, root.backward)

    def grad(self, output: torch.Tensor, inputs: torch.Tensor) -> Any:
        return self._watched(output, lambda: torch.autograd.grad(output, inputs))

    def _watched(self, root: torch.Tensor, call: Callable[[], Any]) -> Any:
        finished: list[tuple[str, dict[int, Any]]] = []
        running: list[str | None] = [None]
        handles: list[Any] = []
        stack, seen = [root.grad_fn], set()
        while stack:
            node = stack.pop()
            if node is None or node in seen:
                continue
            seen.add(node)
            name = type(node).__name__

            def pre(_: Any, name: str = name) -> None:
                running[0] = name

            def post(grad_inputs: Any, _: Any, name: str = name) -> None:
                sent = {i: g.tolist() for i, g in enumerate(grad_inputs) if g is not None}
                finished.append((name, sent))
                running[0] = None

            handles += [node.register_prehook(pre), node.register_hook(post)]
            stack.extend(nxt for nxt, _ in node.next_functions)
        try:
            result = call()
        except Exception as exc:
            self.passes.append((finished, running[0], type(exc).__name__, str(exc)))
            raise
        finally:
            for handle in handles:
                handle.remove()
        self.passes.append((finished, None, None, None))
        return result


def _in_place_after_saving(run: Any) -> None:
    """The issue's program: sigmoid saves its result, which mul_ then changes."""
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = a.sigmoid()
    b.mul_(2)
    run.backward(b.sum())


def _relu_in_a_helper(run: Any) -> None:
    def activate(t: torch.Tensor) -> torch.Tensor:
        return t.relu_()

    x = torch.tensor([0.5, -1.0], requires_grad=True)
    y = x.exp()  # exp saves its result, which relu_ changes
    activate(y)
    run.backward((y * 3).sum())


def _view_changed_in_place(run: Any) -> None:
    x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
    y = x.exp()
    view = y[:2]
    view.mul_(2)
    run.backward(y.sum())


def _backward_twice(run: Any) -> None:
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    z = (x * x).sum()
    run.backward(z)
    run.backward(z)


def _caught_and_going_on(run: Any) -> None:
    x = torch.tensor([1.0, -2.0], requires_grad=True)
    for i in range(3):
        y = x.sigmoid()
        if i == 1:
            y.add_(1)
        try:
            run.backward((y * y).sum())
        except RuntimeError:
            pass
    run.grad((x * 4).sum(), x)


def _autograd_grad_raises(run: Any) -> None:
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x.tanh()
    y.zero_()
    run.grad((y * x).sum(), x)


def _the_programs_hook_raises(run: Any) -> None:
    def check(grad: torch.Tensor) -> None:
        raise ValueError("gradient refused")

    x = torch.tensor([1.0, 2.0], requires_grad=True)
    h = x * 2
    h.register_hook(check)
    run.backward(h.sum())


def _not_a_scalar(run: Any) -> None:
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    run.backward(x * 2)


RAISING = {
    "in-place-after-saving": _in_place_after_saving,
    "relu_-in-a-helper": _relu_in_a_helper,
    "view-changed-in-place": _view_changed_in_place,
    "backward-twice": _backward_twice,
    "caught-and-going-on": _caught_and_going_on,
    "autograd-grad-raises": _autograd_grad_raises,
    "the-programs-hook-raises": _the_programs_hook_raises,
    "not-a-scalar": _not_a_scalar,
}


def _finish(program: Callable[[Any], None], run: Any) -> str | None:
    try:
        program(run)
    except (RuntimeError, ValueError) as exc:  # the errors these programs raise
        return type(exc).__name__
    return None


def _facts(recorded: Any) -> PassFacts:
    steps = [
        (type(s.node).__name__, {slot: _numbers(g) for slot, g in s.slot_grads})
        for s in recorded.steps
    ]
    error = recorded.error
    if error is None:
        return steps, None, None, None
    stopped = type(error.node).__name__ if error.node is not None else None
    return steps, stopped, error.type, error.message


@pytest.mark.parametrize("case", sorted(RAISING))
def test_a_backward_call_that_raises_is_recorded_up_to_the_node_that_raised(case: str) -> None:
    """Each call is a pass, also one that raised: the nodes that finished in PyTorch's order
    with the gradients they sent, the node PyTorch was running when it raised, and the error."""
    plain = _PlainRun()
    plain_error = _finish(RAISING[case], plain)
    assert any(facts[2] is not None for facts in plain.passes), "the program must raise"
    recorder = _recorder()
    with ProgramMode(Limits(), recorder):
        recorded_error = _finish(RAISING[case], _RecordedRun())
    assert recorded_error == plain_error
    assert [_facts(p) for p in recorder.passes] == plain.passes


def test_the_pass_that_raised_names_the_node_and_the_line() -> None:
    """The issue's program, caught and followed by another pass: the graph's first pass ends at
    SigmoidBackward0 with PyTorch's message and the line of the call; the second finished."""
    code = (
        "a = torch.tensor([1., 2.], requires_grad=True)\n"
        "b = a.sigmoid()\n"
        "b.mul_(2)\n"
        "try:\n"
        "    b.sum().backward()\n"
        "except RuntimeError as e:\n"
        "    print('caught')\n"
        "(a * 3).sum().backward()\n"
    )
    plain = _PlainRun()
    with pytest.raises(RuntimeError):
        _in_place_after_saving(plain)
    finished, stopped, kind, message = plain.passes[0]
    record = evaluate(code)
    assert record.error is None and record.stdout == "caught\n"
    assert record.graph is not None
    nodes = {n["id"]: n for n in record.graph["nodes"]}
    raised, after = record.graph["backward"]
    assert [nodes[s["node"]]["op"] for s in raised["steps"]] == [name for name, _ in finished]
    assert raised["error"] == {
        "type": kind,
        "message": message,
        "line": 5,
        "node": raised["error"]["node"],
    }
    assert nodes[raised["error"]["node"]]["op"] == stopped == "SigmoidBackward0"
    assert after["error"] is None and after["line"] == 8
    GraphResponse.model_validate(
        {**record.graph, "stdout": "", "stdout_truncated": False, "error": None}
        | {"timed_out": False, "elapsed_ms": 0.0}
    )


def test_a_loop_of_caught_errors_keeps_only_the_newest_passes() -> None:
    """A program that catches the same error again and again: the passes stay bounded, the
    newest kept, each with its error."""
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    recorder = _recorder(max_passes=3)

    def program() -> int:
        caught = 0
        for _ in range(50):
            y = x.exp()
            y.add_(1)
            try:
                y.sum().backward()
            except RuntimeError:
                caught += 1
        return caught

    assert _recorded(program, recorder) == 50
    assert len(recorder.passes) == 3
    assert all(
        p.error is not None and type(p.error.node).__name__ == "ExpBackward0"
        for p in recorder.passes
    )


def test_a_cut_graph_forgets_the_node_a_pass_raised_at_when_it_drops_it() -> None:
    record = evaluate(
        "a = torch.tensor([1., 2.], requires_grad=True)\nb = a.sigmoid()\nb.mul_(2)\n"
        "b.sum().backward()\n"
    )
    graph = record.graph_model
    assert graph is not None
    (raised,) = graph.backward
    assert raised.error is not None and raised.error.node is not None
    fitted(graph, 100)  # far too small: nodes go from the end, SigmoidBackward0 among them
    kept = {node.id for node in graph.nodes}
    assert raised.error.node is None and raised.error.type == "RuntimeError"
    assert all(step.node in kept for step in raised.steps)


def test_binding_a_name_reads_the_tensor_past_the_program_mode() -> None:
    """The recorder's reads of a bound tensor's flags are its own, not calls of the program:
    the program's mode never sees them (each would cost as much as a torch call)."""
    seen: list[str] = []

    class CountingMode(ProgramMode):
        def __torch_function__(
            self, func: Any, types: Any, args: Any = (), kwargs: Any = None
        ) -> Any:
            seen.append(getattr(func, "__name__", ""))
            return super().__torch_function__(func, types, args, kwargs)

    recorder = _recorder()
    with CountingMode(Limits(), recorder):
        w = torch.ones(2, requires_grad=True)
        x = torch.zeros(2)
        seen.clear()
        recorder.bind("w", w)
        recorder.bind("x", x)
        y = recorder.bind("y", w * 2)
    assert seen == ["mul"]  # the program's own call, and nothing else
    assert y.requires_grad and y.grad_fn is not None
    assert {"w", "x", "y"} <= {n for e in recorder.registry.names.named.values() for n in e.names}
