"""The benchmark's in-process steps call the app's own functions by name: they must still
fit the app as it is (`make bench` is not part of the test command, so a renamed argument
would otherwise surface only there)."""

from __future__ import annotations

from dataclasses import fields

from app.evaluate import evaluate
from app.examples import get_example
from bench import inprocess


def test_the_bench_times_every_step_of_the_app_as_it_is() -> None:
    example = get_example("scalar_chain")
    assert example is not None
    steps = inprocess.app_steps(example.code, repeats=1)
    graph = evaluate(example.code).graph
    assert graph is not None and steps.nodes == len(graph["nodes"])
    timings = {f.name: getattr(steps, f.name) for f in fields(steps) if f.name != "nodes"}
    assert all(isinstance(ms, float) and ms > 0 for ms in timings.values()), timings
