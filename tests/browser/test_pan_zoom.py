"""Panning and zooming the graph: wheel, drag, keys, and what still works after a gesture."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import FloatRect, Locator, Page, expect

from tests.browser.playground import Playground

pytestmark = pytest.mark.browser

GESTURING = re.compile(r"\bis-gesturing\b")
TRACING = re.compile(r"\bis-tracing\b")
LINEAGE = re.compile(r"\bis-lineage\b")


def box(locator: Locator) -> FloatRect:
    found = locator.bounding_box()
    assert found is not None
    return found


def centre(rect: FloatRect) -> tuple[float, float]:
    return rect["x"] + rect["width"] / 2, rect["y"] + rect["height"] / 2


def test_wheel_zooms_about_the_pointer_and_a_click_right_after_selects(
    page: Page, server: str
) -> None:
    app = Playground(page, server).open()
    viewport = page.get_by_test_id("graph-viewport")
    x = app.node("x scalar, leaf tensor")
    before = box(x)
    cx, cy = centre(before)
    zoom = viewport.get_attribute("data-zoom") or ""
    page.mouse.move(cx, cy)
    page.mouse.wheel(0, 300)  # scrolling down zooms out
    # At once, while the wheel gesture's shield still covers the drawing.
    page.mouse.click(cx, cy)
    expect(viewport).not_to_have_attribute("data-zoom", zoom)
    expect(page.get_by_test_id("inspector-grad")).to_have_text("tensor(56.)")
    expect(x).to_have_attribute("aria-pressed", "true")
    after = box(x)
    assert after["width"] < 0.8 * before["width"]
    # The point under the pointer stays put.
    assert centre(after) == pytest.approx((cx, cy), abs=2)
    expect(viewport).not_to_have_class(GESTURING)


def test_dragging_the_background_pans_the_drawing(page: Page, server: str) -> None:
    app = Playground(page, server).open()
    viewport = page.get_by_test_id("graph-viewport")
    x = app.node("x scalar, leaf tensor")
    before = box(x)
    frame = box(viewport)
    start_x, start_y = frame["x"] + 20, frame["y"] + 20
    page.mouse.move(start_x, start_y)
    page.mouse.down()
    for step in range(1, 7):
        page.mouse.move(start_x + 10 * step, start_y + 5 * step)
    expect(viewport).to_have_class(GESTURING)
    page.mouse.up()
    expect(viewport).not_to_have_class(GESTURING)
    after = box(x)
    assert after["x"] - before["x"] == pytest.approx(60, abs=1)
    assert after["y"] - before["y"] == pytest.approx(30, abs=1)
    assert after["width"] == pytest.approx(before["width"], abs=0.5)
    # Nodes are still where they are drawn: a click on the moved node selects it.
    x.click()
    expect(page.get_by_test_id("inspector-grad")).to_have_text("tensor(56.)")


def test_dragging_from_a_node_keeps_its_lineage_lit_and_does_not_select_it(
    page: Page, server: str
) -> None:
    app = Playground(page, server).open()
    app.choose_example("two_variables")
    x = app.node("x scalar, leaf tensor")
    y = app.node("y scalar, leaf tensor")
    x.hover()
    expect(app.svg).to_have_class(TRACING)
    cx, cy = centre(box(x))
    page.mouse.down()
    for step in range(1, 7):
        page.mouse.move(cx - 8 * step, cy + 6 * step)
    expect(page.get_by_test_id("graph-viewport")).to_have_class(GESTURING)
    expect(app.svg).to_have_class(TRACING)
    expect(x).to_have_class(LINEAGE)
    expect(y).not_to_have_class(LINEAGE)
    page.mouse.up()
    expect(x).to_have_attribute("aria-pressed", "false")
    assert centre(box(x)) == pytest.approx((cx - 48, cy + 36), abs=1)
    # Hover tracing follows the pointer again once the gesture is over.
    page.mouse.move(5, 5)
    expect(app.svg).not_to_have_class(TRACING)
    y.hover()
    expect(y).to_have_class(LINEAGE)
    expect(x).not_to_have_class(LINEAGE)


def test_keys_pan_zoom_and_fit(page: Page, server: str) -> None:
    app = Playground(page, server).open()
    viewport = page.get_by_test_id("graph-viewport")
    x = app.node("x scalar, leaf tensor")
    start = box(x)
    viewport.focus()
    page.keyboard.press("ArrowLeft")  # shows more of the left: the drawing moves right
    assert box(x)["x"] - start["x"] == pytest.approx(40, abs=1)
    page.keyboard.press("-")
    assert box(x)["width"] == pytest.approx(0.8 * start["width"], rel=0.02)
    page.keyboard.press("0")
    fitted = box(x)
    assert (fitted["x"], fitted["y"], fitted["width"]) == pytest.approx(
        (start["x"], start["y"], start["width"]), abs=0.5
    )


def test_the_shield_takes_the_pointer_only_during_a_gesture(page: Page, server: str) -> None:
    app = Playground(page, server).open()
    shield = "getComputedStyle(document.getElementById('graph-viewport'), '::before').pointerEvents"
    assert page.evaluate(shield) == "none"
    x = app.node("x scalar, leaf tensor")
    cx, cy = centre(box(x))
    page.mouse.move(cx, cy)
    page.mouse.down()
    for step in range(1, 7):
        page.mouse.move(cx + 10 * step, cy)
    assert page.evaluate(shield) == "auto"
    # Under the pointer during the drag: the shield, not the node.
    assert page.evaluate(f"document.elementFromPoint({cx + 60}, {cy}).id") == "graph-viewport"
    page.mouse.up()
    assert page.evaluate(shield) == "none"
    assert page.evaluate(f"document.elementFromPoint({cx + 60}, {cy}).closest('g.node')?.id") == (
        x.get_attribute("id")
    )
