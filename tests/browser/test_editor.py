"""The code editor (editor.js)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import new_context
from tests.browser.playground import Playground

pytestmark = pytest.mark.browser


def test_tab_indents_in_the_editor(page: Page, server: str) -> None:
    app = Playground(page, server).open()
    editor = page.get_by_role("textbox", name="Program")
    editor.fill("")
    editor.press("Tab")
    editor.type("x = 1")
    assert app.editor_value() == "    x = 1"


@pytest.mark.parametrize(
    ("locale", "hint"),
    [
        ("en-US", "Tab indents. Esc, then Tab: leave the editor."),
        ("zh-CN", "先按 Esc 再按 Tab：离开编辑器"),
    ],
)
def test_escape_then_tab_leaves_the_editor_as_the_page_says(
    browser: Browser, server: str, locale: str, hint: str
) -> None:
    context = new_context(browser, locale=locale)
    try:
        page = context.new_page()
        Playground(page, server).open()
        help_line = page.get_by_test_id("editor-keys-help")
        expect(help_line).to_be_visible()
        expect(help_line).to_contain_text(hint)
        editor = page.get_by_test_id("code-input")
        expect(editor).to_have_attribute("aria-describedby", "editor-keys-help")
        editor.focus()
        page.keyboard.press("End")
        page.keyboard.press("Tab")  # indents
        expect(editor).to_be_focused()
        page.keyboard.press("Escape")
        page.keyboard.press("Tab")
        expect(page.locator("#run")).to_be_focused()
        page.keyboard.press("Shift+Tab")  # back into the editor
        expect(editor).to_be_focused()
        page.keyboard.press("Escape")
        page.keyboard.press("Shift+Tab")  # and out the other way
        expect(editor).not_to_be_focused()
    finally:
        context.close()
