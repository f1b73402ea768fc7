"""Layout at 1280x800 and on a phone (390x844): the program and the gallery's titles readable,
the stepper's labels apart and inside the view (label-layout.js), and a tap on a node that shows
the inspector (inspector-reveal.js)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from app.examples import load_examples
from tests.browser.conftest import new_context
from tests.browser.playground import Playground

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SIZES = {"1280x800": {"width": 1280, "height": 800}, "390x844": PHONE}
# The examples the issue names: their gradients crowded each other and the panel's edge.
CROWDED = ["mlp_module", "training_loop", "cross_entropy", "neuron"]

# Each overlay label's box, each node's box and the viewport's, on screen; which labels overlap
# one another (a few hundredths of a pixel of rounding allowed), which cover a node, which are
# not wholly inside the viewport.
MEASURE_LABELS = """() => {
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
    return { count: labels.length, overlapping: apart, onNodes, clipped };
}"""


def text_widths(page: Page, locator_test_id: str) -> dict[str, Any]:
    """The examples picker's option texts measured in its own font, and the room it has for them."""
    result: dict[str, Any] = page.get_by_test_id(locator_test_id).evaluate(
        """(select) => {
            const style = getComputedStyle(select);
            const context = document.createElement("canvas").getContext("2d");
            context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
            const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
            return { room, widths: Object.fromEntries([...select.options].map((o) => [o.text, context.measureText(o.text).width])) };
        }"""
    )
    return result


@pytest.mark.parametrize("locale", ["en-US", "zh-CN"])
def test_first_example_and_gallery_titles_are_readable_at_1280(
    browser: Browser, server: str, locale: str
) -> None:
    context = new_context(browser, locale=locale)
    try:
        page = context.new_page()
        Playground(page, server).open()
        expect(page.get_by_label("Example" if locale == "en-US" else "示例")).to_have_value(
            load_examples()[0].id
        )
        # The editor scrolls sideways only if a line is longer than it is wide.
        editor = page.get_by_test_id("code-input").locator(
            "xpath=ancestor::div[@class='editor' or starts-with(@class, 'editor ')]"
        )
        sizes = editor.evaluate("(box) => ({ scroll: box.scrollWidth, client: box.clientWidth })")
        assert sizes["scroll"] <= sizes["client"], sizes
        measured = text_widths(page, "examples")
        assert len(measured["widths"]) == len(load_examples()) + 1
        cut = {
            title: width for title, width in measured["widths"].items() if width > measured["room"]
        }
        assert not cut, f"titles wider than the picker's {measured['room']} px: {cut}"
    finally:
        context.close()


def step_through(page: Page) -> list[dict[str, Any]]:
    """Every position of the stepper, from before the first step to the last: what MEASURE_LABELS says."""
    slider = page.get_by_test_id("stepper-slider")
    slider.focus()
    page.keyboard.press("Home")
    positions = int(slider.get_attribute("max") or 0) - int(slider.get_attribute("min") or 0) + 1
    seen = []
    for _ in range(positions):
        seen.append(page.evaluate(MEASURE_LABELS))
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
        for example in CROWDED:
            app.choose_example(example)
            expect(app.svg).to_have_class(f"graph-svg mode-{view}")
            seen = step_through(page)
            assert max(state["count"] for state in seen) >= 4, example  # labels were drawn
            for position, state in enumerate(seen):
                where = f"{example}, {view} view, stepper at {position}"
                assert not state["overlapping"], f"{where}: labels overlap {state['overlapping']}"
                assert not state["clipped"], (
                    f"{where}: labels cut by the panel's edge {state['clipped']}"
                )
                if size == "1280x800":
                    assert not state["onNodes"], f"{where}: labels over nodes {state['onNodes']}"
    finally:
        context.close()


def test_a_tap_on_a_node_brings_the_inspector_into_view_on_a_phone(
    browser: Browser, server: str
) -> None:
    context = new_context(browser, viewport=PHONE, has_touch=True, is_mobile=True)
    try:
        page = context.new_page()
        app = Playground(page, server).open()
        inspector = app.inspector
        window_height = PHONE["height"]
        assert (inspector.bounding_box() or {"y": 0})["y"] > window_height  # far below, at first
        x = app.node("x scalar, leaf tensor")
        x.scroll_into_view_if_needed()
        x.tap()
        expect(page.get_by_test_id("inspector-grad")).to_have_text("tensor(56.)")
        page.wait_for_function(
            "(height) => { const top = document.querySelector('[data-testid=inspector]').getBoundingClientRect().top;"
            " return top > -2 && top < height / 2; }",
            arg=window_height,
        )
    finally:
        context.close()


def test_a_click_on_a_wide_screen_leaves_the_page_where_it_is(page: Page, server: str) -> None:
    app = Playground(page, server).open()
    app.node("x scalar, leaf tensor").click()
    expect(page.get_by_test_id("inspector-grad")).to_have_text("tensor(56.)")
    # Two frames: the one the reveal would scroll in, and one to see it done.
    page.evaluate(
        "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"
    )
    assert page.evaluate("() => window.scrollY") == 0
