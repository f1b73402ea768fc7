"""A tap on a node brings the inspector into view on a phone (inspector-reveal.js); on a wide
screen, where it is in view already, nothing moves."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import new_context
from tests.browser.playground import Playground

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


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
