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


def test_counts_take_the_plural_form_of_the_language(page: Page, server: str) -> None:
    """tn(): English says "1 node" and "2 nodes"; Chinese has one form ("1 个节点")."""
    Playground(page, server).open()
    said = page.evaluate(
        """async () => {
          const { setLanguage, tn } = await import("/static/js/i18n.js");
          const say = () => [1, 2, 0].flatMap((n) => [
            tn("graph.omitted.nodes", n), tn("graph.omitted.values", n),
            tn("graph.omitted.text_chars", n),
          ]);
          const english = say();
          setLanguage("zh", { remember: false });
          return [english, say()];
        }"""
    )
    assert said[0] == [
        *("1 node", "1 tensor value", "1 character of long names"),
        *("2 nodes", "2 tensor values", "2 characters of long names"),
        *("0 nodes", "0 tensor values", "0 characters of long names"),
    ]
    assert said[1] == [
        *("1 个节点", "1 个张量值", "长名称中的 1 个字符"),
        *("2 个节点", "2 个张量值", "长名称中的 2 个字符"),
        *("0 个节点", "0 个张量值", "长名称中的 0 个字符"),
    ]
