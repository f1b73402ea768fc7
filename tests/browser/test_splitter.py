"""The program panel's width: wide enough at 1280x800 for the first example and the gallery's
titles, and resizable with the splitter (splitter.js), by keyboard too."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, FloatRect, Locator, Page, expect

from app.examples import load_examples
from tests.browser.conftest import new_context
from tests.browser.playground import Playground

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def box(locator: Locator) -> FloatRect:
    found = locator.bounding_box()
    assert found is not None
    return found


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


def test_splitter_resizes_the_program_panel_by_keyboard(page: Page, server: str) -> None:
    Playground(page, server).open()
    splitter = page.get_by_role("separator", name="Program panel width")
    panel = page.locator("#program-panel")
    expect(splitter).to_have_attribute("aria-controls", "program-panel")
    expect(splitter).to_have_attribute("aria-orientation", "vertical")
    start = box(panel)["width"]
    start_value = int(splitter.get_attribute("aria-valuenow") or 0)
    splitter.focus()
    page.keyboard.press("ArrowRight")
    assert box(panel)["width"] == pytest.approx(start + 20, abs=1)
    assert int(splitter.get_attribute("aria-valuenow") or 0) > start_value
    page.keyboard.press("Shift+ArrowLeft")
    assert box(panel)["width"] == pytest.approx(start - 60, abs=1)
    page.keyboard.press("Home")
    assert box(panel)["width"] == pytest.approx(300, abs=1)
    assert splitter.get_attribute("aria-valuenow") == splitter.get_attribute("aria-valuemin")
    page.keyboard.press("End")
    assert box(panel)["width"] > start + 100
    assert splitter.get_attribute("aria-valuenow") == splitter.get_attribute("aria-valuemax")
    # The graph follows the panel: still fitted into its narrower viewport.
    viewport = box(page.get_by_test_id("graph-viewport"))
    drawing = box(page.get_by_test_id("graph-svg"))
    assert drawing["x"] >= viewport["x"] - 1
    assert drawing["x"] + drawing["width"] <= viewport["x"] + viewport["width"] + 1
    page.keyboard.press("Enter")  # back to the layout's own width
    assert box(panel)["width"] == pytest.approx(start, abs=1)
    # Kept for the next visit.
    page.keyboard.press("ArrowRight")
    page.reload()
    expect(page.get_by_test_id("graph-svg")).to_be_visible()
    assert box(page.locator("#program-panel"))["width"] == pytest.approx(start + 20, abs=1)


def test_splitter_is_named_in_chinese_and_absent_on_a_phone(browser: Browser, server: str) -> None:
    context = new_context(browser, locale="zh-CN")
    try:
        page = context.new_page()
        Playground(page, server).open()
        expect(page.get_by_role("separator", name="程序面板宽度")).to_be_visible()
        page.set_viewport_size(PHONE)
        expect(page.get_by_test_id("code-splitter")).to_be_hidden()
    finally:
        context.close()
