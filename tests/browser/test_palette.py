"""static/js/palette.js in the browser: it reads app.css's colours, and what the browser draws
(legend, computation view, role chips) has the colours of the server's drawing."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from app.draw.palette import EDGE_COLOR, EDGE_STYLES, FUNCTION_STYLE, ROLE_STYLES
from tests.browser.conftest import new_context
from tests.browser.playground import Playground

pytestmark = pytest.mark.browser

READ_PALETTE = """async () => {
  const { ROLE_STYLE, FUNCTION_STYLE, EDGE_STYLE } = await import("/static/js/palette.js");
  return { roles: ROLE_STYLE, fn: FUNCTION_STYLE, edges: EDGE_STYLE };
}"""


def rgb(hex_colour: str) -> str:
    """'#cfe8ff' as getComputedStyle writes it: 'rgb(207, 232, 255)'."""
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def assert_server_palette(palette: dict[str, Any]) -> None:
    assert list(palette["roles"]) == list(ROLE_STYLES)
    for role, style in ROLE_STYLES.items():
        assert palette["roles"][role]["fill"] == style["fillcolor"], role
        assert palette["roles"][role]["stroke"] == style["color"], role
    assert palette["fn"] == {"fill": FUNCTION_STYLE["fillcolor"], "stroke": FUNCTION_STYLE["color"]}
    assert list(palette["edges"]) == list(EDGE_STYLES)
    for kind, style in EDGE_STYLES.items():
        assert palette["edges"][kind]["stroke"] == style.get("color", EDGE_COLOR), kind


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_palette_module_reads_the_servers_colours(
    browser: Browser, server: str, scheme: str
) -> None:
    """The palette is not themed: the server's drawing is the same in both."""
    context = new_context(browser, color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(f"{server}/embed")
        expect(page.locator("body")).to_have_attribute("data-ready", "empty")
        assert_server_palette(page.evaluate(READ_PALETTE))
    finally:
        context.close()


def test_legend_and_server_drawing_share_each_colour(page: Page, server: str) -> None:
    app = Playground(page, server).open()
    legend = page.get_by_test_id("legend")
    # The server's drawing of x (a leaf) and the legend's leaf swatch: the same fill and stroke.
    x_shape = app.node("x scalar, leaf tensor").locator("polygon, path").first
    leaf = ROLE_STYLES["leaf"]
    assert (x_shape.get_attribute("fill"), x_shape.get_attribute("stroke")) == (
        leaf["fillcolor"],
        leaf["color"],
    )
    for role in ("leaf", "parameter", "named", "root", "constant", "no_grad"):
        swatch = legend.locator(f".swatch-{role} rect")
        assert swatch.get_attribute("fill") == ROLE_STYLES[role]["fillcolor"], role
        assert swatch.get_attribute("stroke") == ROLE_STYLES[role]["color"], role
        expect(swatch).to_have_css("fill", rgb(ROLE_STYLES[role]["fillcolor"]))
    for kind in EDGE_STYLES:
        line = legend.locator(f".edge-swatch-{kind} line")
        assert line.get_attribute("stroke") == EDGE_STYLES[kind].get("color", EDGE_COLOR), kind


def test_computation_view_and_role_chips_use_the_palette(page: Page, server: str) -> None:
    app = Playground(page, server).open()
    page.get_by_role("radio", name="Computation").check()
    x = app.node("x scalar, leaf tensor")
    box = x.locator("rect")
    assert box.get_attribute("fill") == ROLE_STYLES["leaf"]["fillcolor"]
    assert box.get_attribute("stroke") == ROLE_STYLES["leaf"]["color"]
    z_box = app.node("z scalar, backward root tensor").locator("rect")
    assert z_box.get_attribute("fill") == ROLE_STYLES["root"]["fillcolor"]
    assert z_box.get_attribute("stroke-width") == ROLE_STYLES["root"]["penwidth"]
    x.click()
    chip = app.inspector.locator(".role-chip")
    expect(chip).to_have_css("background-color", rgb(ROLE_STYLES["leaf"]["fillcolor"]))
    expect(chip).to_have_css("border-top-color", rgb(ROLE_STYLES["leaf"]["color"]))
