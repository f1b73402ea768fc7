"""The screenshots in docs/usage.md, taken from the real app so the guide cannot drift from it.

Fixed viewports, the light theme, no animations, no focus ring or hover left on the page; the
only thing that varies between runs, the run time in the status line, is pinned to one value.
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import ROOT, new_context
from tests.browser.playground import Playground

pytestmark = pytest.mark.browser

# The guide's pictures are rewritten only on request (`make screenshots`), so a test run leaves
# the work tree clean; otherwise they go to the git-ignored test-artifacts/ folder.
IMG = (
    ROOT / "docs" / "img"
    if os.environ.get("AGV_UPDATE_SCREENSHOTS")
    else ROOT / "test-artifacts" / "screenshots"
)
NONSCALAR_BACKWARD = """x = torch.arange(4.0, requires_grad=True)
y = x * 2
y.backward()
print(x.grad)
"""
COURSE_PROGRAM = """w = torch.tensor(3.0, requires_grad=True)
x = torch.tensor(2.0)
b = torch.tensor(1.0, requires_grad=True)
y = w * x + b
y.backward()
"""


def settle(page: Page) -> None:
    """Nothing hovered or focused, the run time pinned: the same picture every run."""
    page.mouse.move(0, 0)
    page.evaluate(
        "document.activeElement && document.activeElement.blur && document.activeElement.blur()"
    )
    page.get_by_test_id("status").evaluate(
        "el => { el.textContent = el.textContent.replace(/\\d+(?=\\s*(ms|毫秒))/, '4'); }"
    )
    page.wait_for_timeout(150)


def shoot(page: Page, name: str, **options: Any) -> None:
    IMG.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(IMG / name), animations="disabled", caret="hide", **options)
    assert (IMG / name).stat().st_size > 5_000


def playground(browser: Browser, server: str, **options: Any) -> Playground:
    context = new_context(browser, **options)
    return Playground(context.new_page(), server).open()


def test_screenshot_playground(browser: Browser, server: str) -> None:
    for locale, name, step in (
        ("en-US", "playground.png", "Step forward"),
        ("zh-CN", "playground-zh.png", "前进一步"),
    ):
        app = playground(browser, server, locale=locale)
        try:
            app.node_by_id("n4").click()
            for _ in range(2):
                app.page.get_by_role("button", name=step).click()
            settle(app.page)
            shoot(app.page, name)
        finally:
            app.page.context.close()


def test_screenshot_computation_view(browser: Browser, server: str) -> None:
    app = playground(browser, server)
    try:
        app.choose_example("neuron")
        app.page.get_by_role("radio", name="Computation").check()
        app.page.get_by_test_id("stepper-slider").fill("9")
        app.node("w1: leaf tensor, scalar").click()
        settle(app.page)
        shoot(app.page, "computation-view.png")
    finally:
        app.page.context.close()


def test_screenshot_error(browser: Browser, server: str) -> None:
    app = playground(browser, server)
    try:
        app.type_program(NONSCALAR_BACKWARD)
        app.run()
        expect(app.page.get_by_role("alert")).to_be_visible()
        settle(app.page)
        shoot(app.page, "error.png", clip={"x": 0, "y": 48, "width": 420, "height": 560})
    finally:
        app.page.context.close()


def test_screenshot_share_dialog(browser: Browser, server: str) -> None:
    app = playground(browser, server)
    try:
        app.page.get_by_role("button", name="Share").click()
        expect(app.page.get_by_role("dialog")).to_be_visible()
        # The test server's port changes each run; show the address a reader would have.
        app.page.get_by_role("dialog").locator(".copy-field").evaluate_all(
            "(fields, origin) => fields.forEach(f => { f.value = f.value.replaceAll(origin, 'http://localhost:8000'); })",
            server,
        )
        settle(app.page)
        shoot(app.page, "share.png")
    finally:
        app.page.context.close()


def test_screenshot_mobile(browser: Browser, server: str) -> None:
    app = playground(
        browser, server, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    try:
        app.page.get_by_test_id("stepper-slider").fill("2")
        settle(app.page)
        shoot(app.page, "mobile.png", full_page=True)
    finally:
        app.page.context.close()


def test_screenshot_course_page(
    browser: Browser, server: str, course_site: tuple[str, Path]
) -> None:
    site, root = course_site
    (root / "course.html").write_text(
        f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Lesson 3</title>
<style>body {{ font: 16px/1.5 Georgia, serif; max-width: 760px; margin: 32px auto; color: #222; }}</style></head>
<body><h1>Lesson 3: y = wx + b</h1>
<p>Run the cell below: the graph is live. Click a node, or step through the backward pass.</p>
<pre data-autograd>{html.escape(COURSE_PROGRAM)}</pre>
<script src="{server}/static/embed.js"></script></body></html>""",
        encoding="utf-8",
    )
    context = new_context(browser, viewport={"width": 900, "height": 760})
    try:
        page = context.new_page()
        page.goto(f"{site}/course.html")
        frame = page.frame_locator("iframe[data-autograd-frame]")
        expect(frame.get_by_test_id("graph-svg").locator("g.node")).to_have_count(6)
        expect(page.locator("iframe[data-autograd-frame]")).not_to_have_attribute("height", "360")
        frame.get_by_role("button", name="Step forward").click()
        frame.get_by_role("button", name="Step forward").click()
        page.wait_for_timeout(300)
        page.mouse.move(0, 0)
        shoot(page, "embed.png")
    finally:
        context.close()
