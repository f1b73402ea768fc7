"""Loops that call backward() many times, against plain PyTorch: every call's loss on the curve,
the first and the latest passes kept with their nodes, and each node's iteration."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
import torch

from app.evaluate import evaluate
from app.walk.curve import Curve
from tests.reference import trace_bindings

FIT = """\
xs = torch.linspace(-1, 1, 50)
ys = 3 * xs ** 3 - xs
a = torch.tensor(0.5, requires_grad=True)
b = torch.tensor(-0.2, requires_grad=True)
for t in range({steps}):
    pred = a * xs ** 3 + b * xs
    loss = ((pred - ys) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        a -= 0.1 * a.grad
        b -= 0.1 * b.grad
        a.grad = None
        b.grad = None
"""
# The same loop as a ``while``: how many times it calls backward() is known only once it ends
# (no prediction, ``app/language/loops.py``), so a light one is run twice.
WHILE_FIT = FIT.replace("for t in range({steps}):", "t = 0\nwhile t < {steps}:") + "    t += 1\n"


def _graph(code: str) -> dict[str, Any]:
    record = evaluate(code)
    assert record.error is None and record.refused is None, record
    assert record.graph is not None
    return record.graph


def _plain_losses(code: str, monkeypatch: pytest.MonkeyPatch) -> list[float]:
    losses: list[float] = []
    backward = torch.Tensor.backward

    def noted(self: torch.Tensor, *args: Any, **kwargs: Any) -> Any:
        losses.append(self.item())
        return backward(self, *args, **kwargs)

    monkeypatch.setattr(torch.Tensor, "backward", noted)
    exec(code, {"torch": torch})  # noqa: S102 -- plain PyTorch, the reference
    monkeypatch.undo()
    return losses


def test_the_curve_has_every_calls_loss_as_plain_pytorch_computes_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code = FIT.format(steps=300)
    losses = _plain_losses(code, monkeypatch)
    curve = _graph(code)["curve"]
    assert [p["call"] for p in curve] == list(range(300))
    assert {p["line"] for p in curve} == {8}
    shown = torch.tensor([p["value"] for p in curve], dtype=torch.float64)
    assert torch.allclose(shown, torch.tensor(losses, dtype=torch.float64), rtol=1e-6)
    assert losses[-1] < losses[0] / 10  # it is a curve worth drawing: the fit converges


def test_a_long_loop_keeps_the_first_and_the_latest_passes_and_their_nodes() -> None:
    code = FIT.format(steps=100)
    trace = trace_bindings(code)
    graph = _graph(code)
    calls = [p["call"] for p in graph["backward"]]
    assert calls == [0, *range(81, 100)]  # the first, then the latest 19 of 100
    assert [p["index"] for p in graph["backward"]] == list(range(20))
    losses = [b for b in trace.bindings if b.name == "loss"]
    for number in (1, 100):  # the first iteration's loss and the last one's, as plain PyTorch
        node = next(
            n
            for n in graph["nodes"]
            if n["kind"] == "tensor"
            and any(b["name"] == "loss" and b["iteration"] == number for b in n["bindings"])
        )
        assert node["value"]["data"] == pytest.approx(losses[number - 1].tensor.item(), rel=1e-6)


def test_each_node_says_which_iteration_made_it() -> None:
    code = FIT.format(steps=5)
    trace = trace_bindings(code)
    graph = _graph(code)
    checked: dict[str, list[int]] = {"pred": [], "loss": [], "a": [], "b": []}
    made_at = {(p.name, p.line) for p in trace.bindings}
    for node in graph["nodes"]:
        if node["kind"] != "tensor":
            continue
        for b in node["bindings"]:
            # (``a -= ...`` binds ``a`` again to the same tensor: no new tensor to compare)
            if b["name"] not in checked or (b["name"], b["line"]) not in made_at:
                continue
            # the plain binding of the same name with the same value (each iteration differs)
            plain = [
                p
                for p in trace.bindings
                if p.name == b["name"]
                and p.line == b["line"]
                and torch.equal(p.tensor.detach().flatten()[:1], _first(node))
            ]
            assert len(plain) == 1, (b, node["value"]["text"])
            assert node["iteration"] == plain[0].backward_calls
            checked[b["name"]].append(node["iteration"])
    assert sorted(checked["loss"]) == list(range(5))  # every pass is kept, and its loss
    assert checked["pred"] and checked["a"] == checked["b"] == [0]
    for node in graph["nodes"]:  # a function node carries the iteration of its forward pass
        if node["kind"] == "function" and node["op"] == "MeanBackward0":
            assert node["iteration"] in range(5)


def _first(node: dict[str, Any]) -> torch.Tensor:
    data = node["value"]["data"]
    while isinstance(data, list):
        data = data[0]
    return torch.tensor([data])


def test_the_curve_thins_itself_and_keeps_the_first_and_the_latest_call() -> None:
    curve = Curve(max_points=100)
    loss = torch.tensor(1.0)
    for call in range(1001):
        curve.add(call, 3, [loss])
    shown = curve.shown()
    assert len(shown) <= 101
    calls = [p.call for p in shown]
    assert calls[0] == 0 and calls[-1] == 1000
    strides = {b - a for a, b in itertools.pairwise(calls[:-1])}
    assert strides == {16}  # thinned four times: every 16th call
    assert Curve().shown() == []
    curve = Curve()
    curve.add(0, 1, [torch.ones(3)])  # not one number: a point without a value
    curve.add(1, 1, [torch.tensor(float("nan"))])
    assert [p.value for p in curve.shown()] == [None, None]


def test_a_light_loop_records_only_the_iterations_of_the_passes_it_keeps() -> None:
    """A light loop runs twice (``app/walk/pass_window.py``): the answer holds the nodes of
    the first iteration and of the latest 19, not 300 iterations' worth, and its latest loss
    is plain PyTorch's."""
    code = FIT.format(steps=300)
    trace = trace_bindings(code)
    graph = _graph(code)
    assert [p["call"] for p in graph["backward"]] == [0, *range(281, 300)]
    made = {n["iteration"] for n in graph["nodes"] if n["kind"] == "function"}
    assert made == {0, *range(281, 300)}
    means = [n for n in graph["nodes"] if n["kind"] == "function" and n["op"] == "MeanBackward0"]
    assert len(means) == 20
    losses = [b for b in trace.bindings if b.name == "loss"]
    node = next(
        n
        for n in graph["nodes"]
        if n["kind"] == "tensor"
        and any(b["name"] == "loss" and b["iteration"] == 300 for b in n["bindings"])
    )
    assert node["value"]["data"] == pytest.approx(losses[-1].tensor.item(), rel=1e-6)


def test_a_loop_too_long_to_run_twice_is_recorded_again_once_that_is_known() -> None:
    """No time for a second run (here: none at all): the first run records again from the
    next backward call on, and the latest passes replace the earlier ones, as in a heavy loop."""
    record = evaluate(WHILE_FIT.format(steps=60), rerun_within_s=0.0)
    assert record.error is None and record.graph is not None
    assert [p["call"] for p in record.graph["backward"]] == [0, *range(41, 60)]
    assert len(record.graph["curve"]) == 60  # every call's loss all the same
    assert record.notes == []


def test_a_run_that_ends_too_late_to_run_again_keeps_its_first_passes_and_says_so() -> None:
    """The 21st call is the last one: counted, not recorded, and no time left to run again."""
    record = evaluate(WHILE_FIT.format(steps=21), rerun_within_s=0.0)
    assert record.error is None and record.graph is not None
    assert [p["call"] for p in record.graph["backward"]] == list(range(20))
    assert len(record.graph["curve"]) == 21
    assert [note["key"] for note in record.notes] == ["sandbox_first_passes"]


def test_the_second_run_draws_the_numbers_the_first_drew() -> None:
    """Unseeded, the loop's length is drawn at random: the run that records must draw what the
    run that counted drew, or the passes it keeps would not be the latest (nor 20)."""
    code = "steps = int(torch.randint(25, 400, ()).item())\n" + WHILE_FIT.format(steps="steps")
    for _ in range(3):
        record = evaluate(code)
        assert record.error is None and record.graph is not None
        calls = len(record.graph["curve"])
        assert record.graph["curve"][-1]["call"] == calls - 1
        assert [p["call"] for p in record.graph["backward"]] == [0, *range(calls - 19, calls)]
        assert record.deterministic is False


def test_tensors_a_first_run_left_in_cycles_are_collected_before_the_second(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Not held twice: a cycle of the first run's holding 2,000,000 elements is collected
    before the program runs again (without it, both runs' would be alive at once)."""
    import gc

    seen: list[int] = []
    collect = gc.collect
    monkeypatch.setattr(gc, "collect", lambda *args: seen.append(1) or collect(*args))
    code = "box = [torch.zeros(1_000_000), torch.zeros(1_000_000)]\nbox.append(box)\n"
    code += WHILE_FIT.format(steps=25)
    record = evaluate(code)
    assert record.error is None and record.graph is not None
    assert [p["call"] for p in record.graph["backward"]] == [0, *range(6, 25)]
    assert seen  # collected between the runs
    seen.clear()
    assert evaluate(WHILE_FIT.format(steps=25)).graph is not None
    assert not seen  # nothing to collect: no full collection (0.1 s)


def test_a_loop_after_slow_set_up_is_still_a_light_one() -> None:
    """Whether passes are light is timed from the first backward call: what ran before the loop
    (building the data, here 40 large products: over 20 ms a pass for 20 passes) is no pass's,
    and does not make a light loop recorded throughout (every iteration's nodes kept) instead
    of run twice. (Time enough given for the second run, on however busy a machine.)"""
    set_up = "m = torch.ones(1000, 1000)\nfor i in range(40):\n    p = m @ m\n"
    record = evaluate(set_up + FIT.format(steps=25), rerun_within_s=60.0)
    assert record.error is None and record.graph is not None
    assert [p["call"] for p in record.graph["backward"]] == [0, *range(6, 25)]
    made = {n["iteration"] for n in record.graph["nodes"] if n["kind"] == "function"}
    assert made == {0, *range(6, 25)}  # the iterations between were not recorded


def test_a_worker_sizes_the_second_run_by_its_time_limit() -> None:
    """Under a 60 s limit a first run of several seconds (a slow set-up, then a light loop)
    is still run again, recording only the kept iterations; the 2 s of the default 5 s limit
    would have had it record again from its 22nd call instead (iterations 20 on kept)."""
    from app.config import Settings
    from app.workers.pool import WorkerPool
    from tests.event_loop import run

    set_up = "m = torch.ones(1000, 1000)\nfor i in range(400):\n    p = m @ m\n"

    async def scenario() -> dict[str, Any]:
        pool = WorkerPool(Settings(workers=1, eval_timeout_s=60.0))
        await pool.start()
        try:
            record = await pool.evaluate(set_up + WHILE_FIT.format(steps=30))
        finally:
            await pool.close()
        assert record.error is None and record.graph is not None
        return record.graph

    graph = run(scenario())
    assert [p["call"] for p in graph["backward"]] == [0, *range(11, 30)]
    made = {n["iteration"] for n in graph["nodes"] if n["kind"] == "function"}
    assert made == {0, *range(11, 30)}


# Loops whose backward calls in all are known after the first one (``app/language/loops.py``).
_LOADER_EPOCHS = """\
from torch.utils.data import TensorDataset, DataLoader
torch.manual_seed(0)
features = torch.randn(120, 3)
labels = features @ torch.tensor([2.0, -1.0, 0.5]) + 0.3
loader = DataLoader(TensorDataset(features, labels), batch_size=10, shuffle=True)
w = torch.zeros(3, requires_grad=True)
opt = torch.optim.SGD([w], lr=0.05)
for epoch in range(6):
    for X, y in loader:
        loss = ((X @ w - y) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
"""
# d2l's from-scratch regression: batches from a generator of its own, in epochs.
_GENERATOR_EPOCHS = """\
torch.manual_seed(0)
features = torch.randn(100, 2)
labels = features @ torch.tensor([2.0, -3.4]) + 4.2
def batches(size):
    order = torch.randperm(len(features))
    for start in range(0, len(features), size):
        chosen = order[start : start + size]
        yield features[chosen], labels[chosen]
w = torch.zeros(2, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
for epoch in range(4):
    for X, y in batches(10):
        loss = ((X @ w + b - y) ** 2).mean()
        loss.backward()
        with torch.no_grad():
            w -= 0.05 * w.grad
            b -= 0.05 * b.grad
            w.grad.zero_()
            b.grad.zero_()
"""
_ROWS = """\
torch.manual_seed(1)
data = torch.randn(90, 2)
w = torch.randn(2, requires_grad=True)
for row in data:
    loss = (row * w).sum() ** 2
    loss.backward()
"""
# Loops that call backward() other than a prediction after the first call says.
_OTHER_THAN_PREDICTED = {
    "breaks early": FIT.format(steps=300).replace(
        "    loss.backward()\n", "    loss.backward()\n    if t == 150:\n        break\n"
    ),
    "every tenth iteration": (
        "w = torch.ones(2, requires_grad=True)\nfor t in range(600):\n"
        "    loss = (w * w).sum()\n    if t % 10 == 0:\n        loss.backward()\n"
    ),
    "twice an iteration": FIT.format(steps=100).replace(
        "    loss.backward()\n", "    loss.backward()\n    (a * b).backward()\n"
    ),
    "a second loop after": FIT.format(steps=40) + FIT.format(steps=200).split("\n", 4)[4],
}


def _runs_and_record(
    code: str, monkeypatch: pytest.MonkeyPatch, **kwargs: Any
) -> tuple[int, dict[str, Any]]:
    """How many times ``evaluate`` ran ``code``, and the graph it answered with."""
    import app.evaluate

    runs: list[int] = []
    made = app.evaluate._Run.__init__

    def counted(self: Any, *args: Any, **more: Any) -> None:
        runs.append(1)
        made(self, *args, **more)

    monkeypatch.setattr(app.evaluate._Run, "__init__", counted)
    record = evaluate(code, **kwargs)
    monkeypatch.undo()
    assert record.error is None and record.graph is not None, record.error
    return len(runs), record.graph


def _plain_calls(code: str, monkeypatch: pytest.MonkeyPatch) -> int:
    """How many times plain PyTorch's ``backward`` runs in ``code``."""
    calls = [0]
    backward = torch.Tensor.backward

    def counted(self: torch.Tensor, *args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        return backward(self, *args, **kwargs)

    monkeypatch.setattr(torch.Tensor, "backward", counted)
    exec(code, {"torch": torch})  # noqa: S102 -- plain PyTorch, the reference
    monkeypatch.undo()
    return calls[0]


@pytest.mark.parametrize(
    "code",
    [FIT.format(steps=300), _LOADER_EPOCHS, _GENERATOR_EPOCHS, _ROWS],
    ids=["range", "loader-epochs", "generator-epochs", "rows"],
)
def test_a_light_loop_of_known_length_runs_once_and_keeps_what_two_runs_keep(
    code: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The loop's calls in all are predicted at its first one (a ``range``, a ``DataLoader``
    of a ``TensorDataset`` in epochs, a tensor's rows), or at the second epoch's (batches
    from a generator): one run records the first pass and the latest 19, and its answer is
    the one the two runs give without the prediction."""
    calls = _plain_calls(code, monkeypatch)
    runs, graph = _runs_and_record(code, monkeypatch, seed=5)
    assert runs == 1
    assert [p["call"] for p in graph["backward"]] == [0, *range(calls - 19, calls)]
    assert len(graph["curve"]) == calls
    monkeypatch.setattr("app.language.loops.Loops.predicted_calls", lambda self, including=0: None)
    runs_without, without = _runs_and_record(code, monkeypatch, seed=5)
    assert runs_without == 2
    assert graph == without


@pytest.mark.parametrize(
    "code", list(_OTHER_THAN_PREDICTED.values()), ids=list(_OTHER_THAN_PREDICTED)
)
def test_a_loop_that_calls_backward_other_than_predicted_is_run_again(
    code: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A prediction is checked against the calls the program made: where it was wrong, the
    program runs again, and the passes kept are still the first and the latest 19."""
    calls = _plain_calls(code, monkeypatch)
    runs, graph = _runs_and_record(code, monkeypatch, rerun_within_s=60.0)
    assert runs == 2
    assert [p["call"] for p in graph["backward"]] == [0, *range(calls - 19, calls)]
    assert len(graph["curve"]) == calls
    made = {n["iteration"] for n in graph["nodes"] if n["kind"] == "function"}
    assert made <= {0, *range(calls - 19, calls + 1)}  # (+1: made after the last call)


def test_a_heavy_loop_of_known_length_records_only_the_passes_it_keeps(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Heavy passes too (every pass taken as heavy here): with the calls predicted there is no
    second run to save, so no pass is recorded only to be dropped, and the answer holds the
    nodes of the kept iterations only, as a light loop's does."""
    monkeypatch.setattr("app.walk.pass_window.LIGHT_PASS_S", 0.0)
    runs, graph = _runs_and_record(FIT.format(steps=100), monkeypatch)
    assert runs == 1
    assert [p["call"] for p in graph["backward"]] == [0, *range(81, 100)]
    made = {n["iteration"] for n in graph["nodes"] if n["kind"] == "function"}
    assert made == {0, *range(81, 100)}
