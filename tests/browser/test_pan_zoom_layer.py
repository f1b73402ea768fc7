"""Which gestures move the drawing as one layer (pan-zoom.js): those over a view showing many
nodes; a view of a few nodes is repainted instead."""

from __future__ import annotations

import random
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.playground import Playground

pytestmark = pytest.mark.browser

Box = dict[str, float]
# 20 chains of 15 products joined at the end: about 640 nodes, drawn whole at the fit zoom.
MANY_NODES = (
    "x = torch.ones(1, requires_grad=True)\n"
    "outs = []\n"
    "for i in range(20):\n"
    "    y = x\n"
    "    for j in range(15):\n"
    "        y = y * 1.001\n"
    "    outs.append(y)\n"
    "torch.stack(outs).sum().backward()\n"
)
GESTURING = re.compile(r"\bis-gesturing\b")
PANNING = re.compile(r"\bis-panning\b")
STAGE_LAYER = "document.querySelector('.graph-stage').style.willChange"


def shown_share(extent: Box, visible: Box) -> float:
    w = min(extent["x"] + extent["w"], visible["x"] + visible["w"]) - max(extent["x"], visible["x"])
    h = min(extent["y"] + extent["h"], visible["y"] + visible["h"]) - max(extent["y"], visible["y"])
    return w * h / (extent["w"] * extent["h"]) if w > 0 and h > 0 else 0.0


def test_nodes_in_view_are_the_nodes_times_the_share_of_the_extent_shown(
    page: Page, server: str
) -> None:
    Playground(page, server).open()
    rng = random.Random(15)
    cases = []
    for _ in range(40):
        extent = {
            "x": rng.uniform(-50, 50),
            "y": rng.uniform(-50, 50),
            "w": rng.uniform(10, 5000),
            "h": rng.uniform(10, 100_000),
        }
        visible = {
            "x": rng.uniform(-200, 5000),
            "y": rng.uniform(-200, 100_000),
            "w": rng.uniform(50, 6000),
            "h": rng.uniform(50, 6000),
        }
        cases.append((rng.randint(1, 20_000), extent, visible))
    cases.append((100, {"x": 0, "y": 0, "w": 10, "h": 10}, {"x": 10, "y": 0, "w": 5, "h": 5}))
    found = page.evaluate(
        """async (cases) => {
          const { nodesInView } = await import("/static/js/pan-zoom.js");
          return cases.map(([nodes, extent, visible]) => nodesInView(nodes, extent, visible));
        }""",
        cases,
    )
    expected = [nodes * shown_share(extent, visible) for nodes, extent, visible in cases]
    assert found == pytest.approx(expected)
    assert expected[-1] == 0  # a view that only touches the drawing shows none of it
    assert any(0 < value < nodes for value, (nodes, _, _) in zip(expected, cases, strict=True))


def drag(page: Page, steps: int = 8) -> None:
    """Press in the viewport's corner and move; the press is still held when this returns."""
    frame = page.get_by_test_id("graph-viewport").bounding_box()
    assert frame is not None
    x, y = frame["x"] + 15, frame["y"] + 15
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, steps + 1):
        page.mouse.move(x + 6 * step, y + 4 * step)


def test_a_drag_over_a_few_nodes_repaints_them_without_a_layer(page: Page, server: str) -> None:
    Playground(page, server).open()
    drag(page)
    expect(page.get_by_test_id("graph-viewport")).to_have_class(PANNING)
    assert page.evaluate(STAGE_LAYER) == ""
    page.mouse.up()


def test_a_drag_over_hundreds_of_nodes_moves_them_as_one_layer_until_it_rests(
    page: Page, server: str
) -> None:
    app = Playground(page, server).open()
    app.type_program(MANY_NODES)
    app.run()
    assert app.nodes.count() > 600
    drag(page)
    assert page.evaluate(STAGE_LAYER) == "transform"
    page.mouse.up()
    # Dropped once the gestures have rested (LAYER_REST_MS), so the drawing is drawn sharp.
    page.wait_for_function(f"() => {STAGE_LAYER} === ''", timeout=5_000)


def test_zooming_out_over_more_nodes_brings_the_layer_in_mid_gesture(
    page: Page, server: str
) -> None:
    app = Playground(page, server).open()
    app.type_program(MANY_NODES)
    app.run()
    viewport = page.get_by_test_id("graph-viewport")
    viewport.focus()
    for _ in range(5):
        page.keyboard.press("+")  # about 640 / 1.25^10: a few dozen nodes in view
    frame = viewport.bounding_box()
    assert frame is not None
    page.mouse.move(frame["x"] + frame["width"] / 2, frame["y"] + frame["height"] / 2)
    page.mouse.wheel(0, 10)  # a small step out starts the gesture without a layer
    assert page.evaluate(STAGE_LAYER) == ""
    # Every value the stage's will-change takes from here on, however slow the machine is.
    page.evaluate(
        """() => {
          const stage = document.querySelector('.graph-stage');
          window.__layers = [];
          new MutationObserver(() => window.__layers.push(stage.style.willChange))
            .observe(stage, { attributes: true, attributeFilter: ['style'] });
        }"""
    )
    for _ in range(6):
        page.mouse.wheel(0, 200)
    page.wait_for_function("() => window.__layers.includes('transform')", timeout=5_000)
    expect(viewport).not_to_have_class(GESTURING)  # the wheel run ends
