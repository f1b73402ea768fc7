"""The stepper's labels kept apart and inside the view (label-layout.js), for the examples whose
gradients crowded each other and the panel's edge, at every step, in both views, at 1280x800
and on a phone, with the value cards beside the nodes shown and hidden."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import new_context
from tests.browser.playground import Playground

pytestmark = pytest.mark.browser

SIZES = {"1280x800": {"width": 1280, "height": 800}, "390x844": {"width": 390, "height": 844}}
CROWDED = ["mlp_module", "training_loop", "cross_entropy", "neuron"]

# Each shown overlay label's box (gradient labels, .grad badges, value cards, and the markers
# labels fold into), each node's box and the viewport's, on screen; which labels overlap one
# another (half a pixel of rounding allowed), which cover a node, which are not wholly inside the
# viewport, which edge labels strayed more than NEAR units from their edge, which labels were
# folded into a marker (and which of those lost their full text), and which were left out.
NEAR = 80
MEASURE_LABELS = """(NEAR) => {
    const inner = (r) => ({ l: r.left, t: r.top, r: r.right, b: r.bottom });
    const view = inner(document.querySelector("[data-testid=graph-viewport]").getBoundingClientRect());
    // A label whose edge or node is off screen (the view zoomed in) stays off screen with it.
    const inView = (element) => {
        const r = element.getBoundingClientRect();
        return r.right > view.l && r.left < view.r && r.bottom > view.t && r.top < view.b;
    };
    const onScreen = (g) => inView(document.getElementById(g.dataset.edge ?? g.dataset.node));
    const drawn = [...document.querySelectorAll(".agv-overlay > g")].filter(onScreen);
    // (Chromium's checkVisibility() says true for an SVG group with display: none.)
    const shown = drawn.filter((g) => getComputedStyle(g).display !== "none");
    const labels = shown.map((g) => ({
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
    for (const g of shown.filter((g) => g.dataset.edge)) {
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
    const markers = shown.filter((g) => g.classList.contains("is-marker"));
    const folded = markers.map((g) => g.dataset.edge ?? g.dataset.node);
    const untitled = markers.filter((g) => !g.querySelector("title")?.textContent.trim()).map((g) => g.dataset.edge ?? g.dataset.node);
    const leftOut = drawn.filter((g) => !shown.includes(g)).map((g) => g.dataset.edge ?? g.dataset.node);
    const running = document.querySelector("[data-testid=graph-svg] g.node.is-running");
    const runningOnScreen = running ? inView(running) : null;
    return { runningOnScreen, count: labels.length, overlapping: apart, onNodes, clipped, far, folded, untitled, leftOut };
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


def assert_readable(state: dict[str, Any], where: str) -> None:
    """No label on another, on a node or past the panel's edge; each near its edge; a marker
    with its full text; none left out."""
    assert not state["overlapping"], f"{where}: labels overlap {state['overlapping']}"
    assert not state["onNodes"], f"{where}: labels over nodes {state['onNodes']}"
    assert not state["clipped"], f"{where}: labels cut by the panel's edge {state['clipped']}"
    assert not state["far"], f"{where}: labels far from their edge {state['far']}"
    assert not state["untitled"], f"{where}: markers without text {state['untitled']}"
    assert not state["leftOut"], f"{where}: labels left out {state['leftOut']}"


@pytest.mark.parametrize("values", ["values-off", "values-on"])
@pytest.mark.parametrize("size", list(SIZES), ids=list(SIZES))
@pytest.mark.parametrize("view", ["autograd", "computation"])
def test_gradient_labels_never_overlap_or_leave_the_view(
    browser: Browser, server: str, size: str, view: str, values: str
) -> None:
    """Before stepping and at every step (the view following the running node): no label on
    another, on a node or past the panel's edge, each near its edge. Where there is no room a
    label may fold into a marker that keeps its full text in its tooltip, never vanish. Before
    label-layout.js knew markers and the value cards' room, the phone's autograd view of the MLP
    overlapped e1 and e8, and with Values on cards covered labels and left the panel."""
    context = new_context(browser, viewport=SIZES[size])
    try:
        page = context.new_page()
        app = Playground(page, server).open()
        page.get_by_test_id(f"view-{view}").check(force=True)
        toggle = page.get_by_role("button", name="Values")
        for example in CROWDED:
            app.choose_example(example)
            expect(app.svg).to_have_class(f"graph-svg mode-{view}")
            # Dense graphs start with Values off: set the toggle for each drawing.
            if (toggle.get_attribute("aria-pressed") == "true") != (values == "values-on"):
                toggle.click()
            expect(toggle).to_have_attribute("aria-pressed", str(values == "values-on").lower())
            seen = step_through(page)
            assert max(state["count"] for state in seen) >= 4, example  # labels were drawn
            for position, state in enumerate(seen):
                assert_readable(state, f"{example}, {view} view, {values}, stepper at {position}")
    finally:
        context.close()


@pytest.mark.parametrize("view", ["autograd", "computation"])
def test_labels_follow_the_view_that_follows_the_running_node(
    browser: Browser, server: str, view: str
) -> None:
    """Zoomed in on a phone, the view pans to each running node; the labels of what it shows
    are placed again for it (before, they stayed where the last view had room for them and
    the pan cut them at the panel's edge)."""
    context = new_context(browser, viewport=SIZES["390x844"])
    try:
        page = context.new_page()
        app = Playground(page, server).open()
        page.get_by_test_id(f"view-{view}").check(force=True)
        app.choose_example("mlp_module")
        toggle = page.get_by_role("button", name="Values")
        if toggle.get_attribute("aria-pressed") != "true":
            toggle.click()
        for _ in range(4):
            page.get_by_role("button", name="Zoom in").click()
        seen = step_through(page)
        assert any(state["runningOnScreen"] is not None for state in seen)  # the pass ran nodes
        for position, state in enumerate(seen):
            where = f"mlp_module, {view} view zoomed in, stepper at {position}"
            assert state["runningOnScreen"] is not False, f"{where}: the view lost the running node"
            assert_readable(state, where)
    finally:
        context.close()
