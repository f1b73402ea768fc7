"""Languages (i18n.js): the switch, remembered, and a Chinese browser."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.playground import Playground

pytestmark = pytest.mark.browser


def test_language_switch_is_remembered(page: Page, server: str) -> None:
    app = Playground(page, server).open()
    page.get_by_label("Language").select_option("zh")
    expect(page.get_by_role("button", name="运行")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_label("示例").locator("option:checked")).to_have_text("标量链式法则")
    page.reload()
    app.wait_for_run(0)
    expect(page.get_by_role("button", name="运行")).to_be_visible()
    expect(app.inspector).to_contain_text("检查器")


def test_chinese_browser_gets_chinese(browser: Any, server: str) -> None:
    from tests.browser.conftest import new_context

    context = new_context(browser, locale="zh-CN")
    try:
        page = context.new_page()
        Playground(page, server).open()
        expect(page.get_by_role("button", name="前进一步")).to_be_visible()
    finally:
        context.close()
