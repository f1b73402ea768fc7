"""The backward stepper (stepper.js) and its overlay on the graph (step-overlay.js)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from app.examples import get_example
from tests.browser.playground import Playground

pytestmark = pytest.mark.browser


def test_backward_stepper_walks_the_scalar_chain(page: Page, server: str) -> None:
    app = Playground(page, server).open()
    forward = page.get_by_role("button", name="Step forward")
    expect(app.step_count).to_have_text("step 0 / 4")
    expect(app.caption).to_contain_text("backward() on line 6 starts at z")

    forward.click()
    expect(app.step_count).to_have_text("step 1 / 4")
    expect(app.node_by_id("n1")).to_have_class(re.compile("is-running"))
    expect(app.caption).to_contain_text("PowBackward0 (line 5) runs")
    expect(app.svg.locator('.grad-label[data-edge="e2"] text')).to_have_text("∂ 14.")

    forward.click()
    forward.click()
    expect(app.node_by_id("n3")).to_have_class(re.compile("is-running"))
    expect(app.svg.locator('.grad-label[data-edge="e4"] text')).to_have_text("∂ 56.")
    expect(app.svg.locator(".grad-badge")).to_have_count(0)

    forward.click()
    expect(app.step_count).to_have_text("step 4 / 4")
    expect(forward).to_be_disabled()
    expect(app.svg.locator('.grad-badge[data-node="n4"] text')).to_have_text([".grad", "56."])
    expect(app.caption).to_contain_text("x.grad, which is now tensor(56.)")

    page.get_by_role("button", name="Step back").click()
    expect(app.step_count).to_have_text("step 3 / 4")
    expect(app.svg.locator(".grad-badge")).to_have_count(0)

    page.get_by_role("button", name="Reset").click()
    expect(app.step_count).to_have_text("step 0 / 4")
    expect(app.svg.locator(".is-running")).to_have_count(0)

    page.get_by_role("button", name="Play").click()
    expect(page.get_by_role("button", name="Pause")).to_be_visible()
    expect(app.step_count).to_have_text("step 4 / 4", timeout=20_000)
    expect(page.get_by_role("button", name="Play")).to_be_visible()


def test_grad_accumulates_across_backward_passes(page: Page, server: str) -> None:
    app = Playground(page, server).open()
    app.choose_example("grad_accumulation")
    passes = page.get_by_label("Backward pass to step through")
    expect(passes.locator("option")).to_have_count(2)
    page.get_by_test_id("stepper-slider").fill("2")
    expect(app.svg.locator(".grad-badge text")).to_have_text([".grad", "[2., 4.]"])
    passes.select_option("1")
    expect(app.svg.locator(".grad-badge text")).to_have_text([".grad (pass 1)", "[2., 4.]"])
    page.get_by_test_id("stepper-slider").fill("2")
    expect(app.svg.locator(".grad-badge text")).to_have_text([".grad", "[4., 8.]"])


def test_hover_tracing_dims_the_step_labels_outside_the_lineage(
    page: Page, server: str, api: Callable[[str], dict[str, Any]]
) -> None:
    """z = x ** 2 + y ** 3 stepped to the end: tracing x lights the marks on x's side only."""
    app = Playground(page, server).open()
    app.choose_example("two_variables")
    page.get_by_test_id("stepper-slider").fill("4")
    expect(app.svg.locator(".grad-badge")).to_have_count(2)
    example = get_example("two_variables")
    assert example is not None
    graph = api(example.code)
    # x is a leaf: its lineage is x, what was computed from it, and the edges out of those.
    x = next(node["id"] for node in graph["nodes"] if node["label"] == "x")
    down = {x}
    for _ in graph["nodes"]:
        down |= {edge["target"] for edge in graph["edges"] if edge["source"] in down}
    lineage = down | {edge["id"] for edge in graph["edges"] if edge["source"] in down}
    marks = app.svg.locator(".agv-overlay > g")
    every = marks.evaluate_all("gs => gs.map(g => g.dataset.edge ?? g.dataset.node)")
    app.node("x scalar, leaf tensor").hover()
    expect(app.svg).to_have_class(re.compile("is-tracing"))
    lit = app.svg.locator(".agv-overlay > g.is-lineage")
    expect(lit).to_have_count(len([mark for mark in every if mark in lineage]))
    shown = lit.evaluate_all("gs => gs.map(g => g.dataset.edge ?? g.dataset.node)")
    assert sorted(shown) == sorted(mark for mark in every if mark in lineage)
    assert x in shown and len(shown) < len(every)  # y's badge and gradients stay dimmed
    page.mouse.move(5, 5)
    expect(lit).to_have_count(0)


def test_a_pass_that_raised_ends_at_the_node_that_raised(page: Page, server: str) -> None:
    """The issue's program, caught: its pass runs SumBackward0 and MulBackward0 (as plain
    PyTorch does), then a last position marks SigmoidBackward0 and tells PyTorch's error."""
    app = Playground(page, server).open()
    app.type_program(
        "a = torch.tensor([1., 2.], requires_grad=True)\n"
        "b = a.sigmoid()\n"
        "b.mul_(2)\n"
        "try:\n"
        "    b.sum().backward()\n"
        "except RuntimeError:\n"
        "    pass\n"
        "a.sum().backward()\n"
    )
    app.run()
    passes = page.get_by_label("Backward pass to step through")
    expect(passes.locator("option").first).to_have_text(
        "Pass 1: backward(), line 5 (raised RuntimeError)"
    )
    page.get_by_test_id("stepper-slider").fill("2")
    expect(app.step_count).to_have_text("step 3 / 3")
    expect(app.caption).to_contain_text(
        "Step 3 of 3: SigmoidBackward0 raised here: one of the variables needed for gradient"
    )
    raised = app.svg.locator("g.node.is-raised")
    expect(raised).to_have_count(1)
    expect(raised).to_have_class(re.compile("is-running"))
    expect(app.svg.locator("g.node.is-done")).to_have_count(2)
    page.get_by_role("button", name="Step back").click()
    expect(app.caption).to_contain_text("Step 2 of 3: MulBackward0 (line 3) runs")
    expect(app.svg.locator("g.node.is-raised")).to_have_count(0)
