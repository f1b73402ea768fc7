"""The code editor (editor.js)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.playground import Playground

pytestmark = pytest.mark.browser


def test_tab_indents_in_the_editor(page: Page, server: str) -> None:
    app = Playground(page, server).open()
    editor = page.get_by_role("textbox", name="Program")
    editor.fill("")
    editor.press("Tab")
    editor.type("x = 1")
    assert app.editor_value() == "    x = 1"
