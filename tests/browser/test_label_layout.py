"""The stepper's labels kept apart and inside the view (label-layout.js), for the examples whose
gradients crowded each other and the panel's edge, at every step, in both views, at 1280x800
and on a phone."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import new_context
from tests.browser.playground import Playground

pytestmark = pytest.mark.browser

SIZES = {"1280x800": {"width": 1280, "height": 800}, "390x844": {"width": 390, "height": 844}}
CROWDED = ["mlp_module", "training_loop", "cross_entropy", "neuron"]

# Each overlay label's box, each node's box and the viewport's, on screen; which labels overlap
# one another (half a pixel of rounding allowed), which cover a node, which are not wholly
# inside the viewport, and which edge labels strayed more than NEAR units from their edge.
NEAR = 80
MEASURE_LABELS = """(NEAR) => {
    const inner = (r) => ({ l: r.left, t: r.top, r: r.right, b: r.bottom });
    const view = inner(document.querySelector("[data-testid=graph-viewport]").getBoundingClientRect());
    const labels = [...document.querySelectorAll(".agv-overlay > g")].map((g) => ({
        id: g.dataset.edge ?? g.dataset.node, ...inner(g.querySelector("rect").getBoundingClientRect()) }));
    const nodes = [...document.querySelectorAll("[data-testid=graph-svg] g.node")].map((g) => ({
        id: g.id, ...inner(g.getBoundingClientRect()) }));
    const hit = (a, b) => a.l < b.r - 0.5 && b.l < a.r - 0.5 && a.t < b.b - 0.5 && b.t < a.b - 0.5;
    const apart = [];
    labels.forEach((a, i) => labels.slice(i + 1).forEach((b) => { if (hit(a, b)) apart.push([a.id, b.id]); }));
    const onNodes = labels.flatMap((a) => nodes.filter((n) => hit(a, n)).map((n) => [a.id, n.id]));
    const clipped = labels.filter((a) => a.l < view.l - 0.5 || a.r > view.r + 0.5 || a.t < view.t - 0.5 || a.b > view.b + 0.5)
        .map((a) => a.id);
    // How far each edge's label is from its edge, in the drawing's units (the zoom taken out).
    const zoom = Number(document.querySelector("[data-testid=graph-viewport]").dataset.zoom);
    const far = [];
    for (const g of document.querySelectorAll(".agv-overlay > g[data-edge]")) {
        const r = g.querySelector("rect").getBoundingClientRect();
        const path = document.getElementById(g.dataset.edge).querySelector("path");
        const length = path.getTotalLength();
        const toScreen = path.getScreenCTM();
        let nearest = Infinity;
        for (let i = 0; i <= 20; i += 1) {
            const at = path.getPointAtLength((length * i) / 20);
            const p = new DOMPoint(at.x, at.y).matrixTransform(toScreen);
            const dx = Math.max(r.left - p.x, 0, p.x - r.right);
            const dy = Math.max(r.top - p.y, 0, p.y - r.bottom);
            nearest = Math.min(nearest, Math.hypot(dx, dy) / zoom);
        }
        if (nearest > NEAR) far.push([g.dataset.edge, Math.round(nearest)]);
    }
    return { count: labels.length, overlapping: apart, onNodes, clipped, far };
}"""


def step_through(page: Page) -> list[dict[str, Any]]:
    """Every position of the stepper, from before the first step to the last: what MEASURE_LABELS says."""
    slider = page.get_by_test_id("stepper-slider")
    slider.focus()
    page.keyboard.press("Home")
    positions = int(slider.get_attribute("max") or 0) - int(slider.get_attribute("min") or 0) + 1
    seen = []
    for _ in range(positions):
        seen.append(page.evaluate(MEASURE_LABELS, NEAR))
        page.keyboard.press("ArrowRight")
    return seen


@pytest.mark.parametrize("size", list(SIZES), ids=list(SIZES))
@pytest.mark.parametrize("view", ["autograd", "computation"])
def test_gradient_labels_never_overlap_or_leave_the_view(
    browser: Browser, server: str, size: str, view: str
) -> None:
    context = new_context(browser, viewport=SIZES[size])
    try:
        page = context.new_page()
        app = Playground(page, server).open()
        page.get_by_test_id(f"view-{view}").check(force=True)
        # The gradient labels alone (the value cards beside nodes are test_step_overlay's).
        values = page.get_by_role("button", name="Values")
        if values.get_attribute("aria-pressed") == "true":
            values.click()
        for example in CROWDED:
            app.choose_example(example)
            expect(app.svg).to_have_class(f"graph-svg mode-{view}")
            seen = step_through(page)
            assert max(state["count"] for state in seen) >= 4, example  # labels were drawn
            for position, state in enumerate(seen):
                where = f"{example}, {view} view, stepper at {position}"
                if state["overlapping"] and (view, size) == ("autograd", "390x844"):
                    # Known gap (issue 14, point 5): since the stepper keeps the running node in
                    # view, a phone's view of the MLP is at some steps too small for every label.
                    pytest.xfail(f"{where}: labels overlap {state['overlapping']}")
                assert not state["overlapping"], f"{where}: labels overlap {state['overlapping']}"
                assert not state["clipped"], (
                    f"{where}: labels cut by the panel's edge {state['clipped']}"
                )
                if size == "1280x800":
                    assert not state["onNodes"], f"{where}: labels over nodes {state['onNodes']}"
    finally:
        context.close()
