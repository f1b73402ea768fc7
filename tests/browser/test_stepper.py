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
    x_card = app.svg.locator('[data-testid="value-card"][data-node="n4"] text')
    expect(x_card).to_have_text(["= 2.", ".grad None"])

    forward.click()
    expect(app.step_count).to_have_text("step 4 / 4")
    expect(forward).to_be_disabled()
    expect(x_card).to_have_text(["= 2.", ".grad 56."])
    expect(app.caption).to_contain_text("x.grad, which is now tensor(56.)")

    page.get_by_role("button", name="Step back").click()
    expect(app.step_count).to_have_text("step 3 / 4")
    expect(x_card).to_have_text(["= 2.", ".grad None"])

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
    page.get_by_role("button", name="Values").click()  # off: a .grad badge above each leaf
    expect(page.get_by_role("button", name="Values")).to_have_attribute("aria-pressed", "false")
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
    expect(app.svg.locator("[data-testid=value-card]")).to_have_count(3)  # x, y and z
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
        "Step 3 of 3: SigmoidBackward0 (line 2) raised here: one of the variables needed for"
    )
    raised = app.svg.locator("g.node.is-raised")
    expect(raised).to_have_count(1)
    expect(raised).to_have_class(re.compile("is-running"))
    expect(app.svg.locator("g.node.is-done")).to_have_count(2)
    page.get_by_role("button", name="Step back").click()
    expect(app.caption).to_contain_text("Step 2 of 3: MulBackward0 (line 3) runs")
    expect(app.svg.locator("g.node.is-raised")).to_have_count(0)


_SCALAR_CHAIN = (
    "x = torch.tensor(2.0, requires_grad=True)\ny = x ** 2 + 3\nz = y ** 2\nz.backward()\n"
)


def _chain_at(page: Page, server: str, lang: str, steps: int) -> Playground:
    app = Playground(page, server).open(f"/?lang={lang}")
    page.get_by_role("textbox", name={"en": "Program", "zh": "程序"}[lang]).fill(_SCALAR_CHAIN)
    before = app.runs()
    page.get_by_role("button", name={"en": "Run", "zh": "运行"}[lang]).click()
    app.wait_for_run(before)
    page.get_by_test_id("stepper-slider").fill(str(steps - 1))
    return app


@pytest.mark.parametrize(
    ("lang", "incoming", "term"),
    [
        ("en", "In: 14. from AddBackward0 (line 2)", "To x: 14. × (2·x = 4.) = 56."),
        ("zh", "传入： 14. 来自 AddBackward0（第 2 行）", "传给 x： 14. × (2·x = 4.) = 56."),
    ],
)
def test_each_step_tells_the_chain_rule_in_numbers(
    page: Page, server: str, lang: str, incoming: str, term: str
) -> None:
    """The issue's example: the step that runs x's PowBackward0 reads incoming 14, local
    2·x = 4, outgoing 56 (plain PyTorch: dz/dy = 2·7 = 14, x.grad = 14·2·2 = 56)."""
    app = _chain_at(page, server, lang, steps=3)
    expect(page.get_by_test_id("chain-incoming")).to_have_text(incoming)
    expect(page.get_by_test_id("chain-term")).to_have_text(term)
    page.get_by_test_id("stepper-reset").click()
    page.get_by_test_id("stepper-forward").click()  # z's PowBackward0: 1 × 2·y = 14
    expect(page.get_by_test_id("chain-term")).to_have_text(
        re.compile(r"1\. × \(2·y = 14\.\) = 14\.")
    )
    expect(app.caption).not_to_contain_text("null")


def test_incoming_and_outgoing_edges_are_told_apart(page: Page, server: str) -> None:
    """At x's PowBackward0 (n3): 14 came in along n3 -> AddBackward0 (e3), 56 goes out along
    x -> n3 (e4): two styles, two label colours."""
    app = _chain_at(page, server, "en", steps=3)
    expect(app.svg.locator("g.node.is-running")).to_have_attribute("id", "n3")
    incoming = app.svg.locator("g.edge.is-incoming")
    outgoing = app.svg.locator("g.edge.is-flowing")
    expect(incoming).to_have_attribute("id", "e3")
    expect(outgoing).to_have_attribute("id", "e4")
    expect(app.svg.locator('.grad-label.is-incoming[data-edge="e3"] text')).to_have_text("∂ 14.")
    expect(app.svg.locator('.grad-label.is-current[data-edge="e4"] text')).to_have_text("∂ 56.")
    colour = "el => getComputedStyle(el.querySelector('path')).stroke"
    assert incoming.evaluate(colour) != outgoing.evaluate(colour)
    label = "el => getComputedStyle(el.querySelector('rect')).fill"
    assert app.svg.locator(".grad-label.is-incoming").evaluate(label) != app.svg.locator(
        ".grad-label.is-current"
    ).evaluate(label)


def test_the_running_node_is_highlighted_not_faded(page: Page, server: str) -> None:
    app = _chain_at(page, server, "en", steps=2)
    running = app.svg.locator("g.node.is-running")
    style = running.evaluate(
        "g => { const s = getComputedStyle(g.querySelector('path, polygon, ellipse'));"
        " return [getComputedStyle(g).opacity, s.strokeWidth, s.fill,"
        " getComputedStyle(g.querySelector('text')).fontWeight]; }"
    )
    opacity, stroke_width, fill, weight = style
    assert float(opacity) == 1.0 and float(stroke_width.removesuffix("px")) >= 3
    assert fill not in ("none", "rgb(255, 255, 255)") and int(weight) >= 600


def test_the_running_node_is_kept_in_view(page: Page, server: str) -> None:
    """A chain too long for the viewport: each step pans to the node that runs."""
    app = Playground(page, server).open()
    app.type_program(
        "x = torch.tensor(1.0, requires_grad=True)\ny = x\n"
        "for i in range(30):\n    y = y * 1.01\ny.backward()\n"
    )
    app.run()
    page.get_by_role("button", name="Zoom in").click()
    page.get_by_role("button", name="Zoom in").click()
    page.get_by_role("button", name="Zoom in").click()
    viewport = page.get_by_test_id("graph-viewport").bounding_box()
    assert viewport is not None
    for steps in (5, 20, 31):
        page.get_by_test_id("stepper-slider").fill(str(steps - 1))
        box = app.svg.locator("g.node.is-running").bounding_box()
        assert box is not None
        assert (
            viewport["x"] <= box["x"]
            and box["x"] + box["width"] <= viewport["x"] + viewport["width"]
        )
        assert (
            viewport["y"] <= box["y"]
            and box["y"] + box["height"] <= viewport["y"] + viewport["height"]
        )


def test_nodes_of_the_same_name_are_told_apart_in_captions(page: Page, server: str) -> None:
    """Three MulBackward0 on one line (plain PyTorch makes one per `*`): each step names its
    node by line and id, so no two captions read the same."""
    app = Playground(page, server).open()
    app.type_program(
        "w = torch.tensor(2.0, requires_grad=True)\nz = (w * 3) * (w * 5)\nz.backward()\n"
    )
    app.run()
    sentences = []
    for index in range(3):  # the three multiplications run first, then w's AccumulateGrad
        page.get_by_test_id("stepper-slider").fill(str(index))
        sentence = app.caption.get_by_role("paragraph")
        expect(sentence).to_contain_text("MulBackward0 (line 2, n")
        sentences.append(sentence.inner_text().split(":", 1)[1])
    assert len(set(sentences)) == 3, sentences


@pytest.mark.parametrize(("lang", "label"), [("en", "Playback speed"), ("zh", "播放速度")])
def test_playback_speed_is_the_learners_choice(
    page: Page, server: str, lang: str, label: str
) -> None:
    """On the page's clock (no real waiting): at 4x a step comes four times as often."""
    page.clock.install()
    app = Playground(page, server).open(f"/?lang={lang}")
    step = re.compile(r"(step|第) (\d) / 4")
    speed = page.get_by_role("combobox", name=label)
    expect(speed).to_have_value("1")
    page.clock.pause_at(page.evaluate("() => Date.now()") + 1000)  # time moves only when told
    page.get_by_test_id("stepper-play").click()  # the first step at once, then one per 1.65 s
    expect(app.step_count).to_have_text(step)
    page.clock.run_for(1000)
    assert step.search(app.step_count.inner_text()).group(2) == "1"  # type: ignore[union-attr]
    speed.select_option("4")  # one per 0.41 s (reduced motion: 1.65 s / 4)
    page.clock.run_for(1000)
    assert step.search(app.step_count.inner_text()).group(2) == "3"  # type: ignore[union-attr]
    page.get_by_test_id("stepper-play").click()  # pause, then step back by hand
    page.get_by_test_id("stepper-back").click()
    assert step.search(app.step_count.inner_text()).group(2) == "2"  # type: ignore[union-attr]
