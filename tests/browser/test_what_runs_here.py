"""The "What runs here" page (what-runs-here.js): its language, and what it lists."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import new_context
from tests.browser.playground import Playground

pytestmark = pytest.mark.browser

# The words written in Latin letters that a Chinese page may show outside code: the names of
# the languages and libraries it is about, and names in the hints' prose ("用 print 打印").
NAMES = {
    "PyTorch", "NumPy", "Python", "GPU", "MNIST", "DataLoader",
    "torch", "nn", "optim", "utils", "data", "numpy", "math", "random", "collections", "copy",
    "time", "matplotlib", "print", "import",
}  # fmt: skip

# Every word of visible text outside code, names and the language picker's options.
VISIBLE_WORDS = """() => {
  const words = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (parent.closest("code, kbd, pre, script, style, option, [translate='no']")) continue;
    if (!parent.getClientRects().length) continue;  // not shown (the other language)
    words.push(...(node.textContent.match(/[A-Za-z][A-Za-z'-]*/g) ?? []));
  }
  return words;
}"""


def test_page_follows_the_language_chosen_in_the_playground(page: Page, server: str) -> None:
    Playground(page, server).open()
    page.get_by_label("Language").select_option("zh")
    page.goto(f"{server}/what-runs-here")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("heading", level=1)).to_have_text("这里能运行什么", use_inner_text=True)
    expect(page).to_have_title("这里能运行什么 · autograd-viz")
    expect(page.get_by_role("link", name="演练场")).to_have_attribute("href", "/")


def test_lang_parameter_wins_and_the_switch_keeps_the_address(page: Page, server: str) -> None:
    page.goto(f"{server}/what-runs-here?lang=zh#limits")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("这里能运行什么", use_inner_text=True)
    expect(page.get_by_role("heading", name="限制", exact=True)).to_be_in_viewport()
    page.get_by_label("语言").select_option("en")
    expect(heading).to_have_text("What runs here", use_inner_text=True)
    expect(page).to_have_title("What runs here · autograd-viz")
    assert page.url.endswith("/what-runs-here?lang=en#limits")
    page.reload()
    expect(heading).to_have_text("What runs here", use_inner_text=True)


def test_page_lists_what_runs_and_what_stays_out(page: Page, server: str) -> None:
    page.goto(f"{server}/what-runs-here?lang=en")
    torch_names = page.get_by_role("list", name="torch", exact=True)
    expect(torch_names.get_by_text("normal", exact=True)).to_be_visible()
    files = page.get_by_test_id("refused-sandbox_files")
    expect(files.get_by_role("heading")).to_have_text("Files", use_inner_text=True)
    expect(files.get_by_text("numpy.load", exact=True)).to_be_visible()
    expect(files.get_by_text("open()", exact=True)).to_be_visible()
    expect(files).to_contain_text("Files cannot be opened or saved here")
    plots = page.locator("#plots")
    expect(plots).to_contain_text("run and do nothing")
    expect(page.locator("#random")).to_contain_text("torch.manual_seed(0)")
    limits = page.get_by_role("table")
    expect(limits.get_by_role("row", name=re.compile("Elements in one tensor"))).to_contain_text(
        "1,000,000"
    )


def test_chinese_page_has_no_english_outside_code_and_names(page: Page, server: str) -> None:
    page.goto(f"{server}/what-runs-here?lang=zh")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    english = sorted(set(page.evaluate(VISIBLE_WORDS)) - NAMES)
    assert not english, english
    # The same walk finds the English page's words, so it is not looking at nothing.
    page.get_by_label("语言").select_option("en")
    assert {"Files", "Limits", "Playground"} <= set(page.evaluate(VISIBLE_WORDS))


def test_page_fits_a_phone(browser: Browser, server: str) -> None:
    phone: dict[str, Any] = {"viewport": {"width": 390, "height": 844}, "is_mobile": True}
    context = new_context(browser, has_touch=True, **phone)
    try:
        page = context.new_page()
        for lang in ("en", "zh"):
            page.goto(f"{server}/what-runs-here?lang={lang}")
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, (lang, width)
            expect(page.get_by_test_id("back-to-playground")).to_be_visible()
    finally:
        context.close()
