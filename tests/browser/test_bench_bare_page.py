"""The benchmark drives the pages it times without adding input listeners to them
(bench/bare_page.py): a blocking touch or wheel listener would make Chromium work out input
regions over the whole drawing in every frame the benchmark times."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from bench.bare_page import click_run, client_box, wait_for_element, wait_until

pytestmark = pytest.mark.browser

# Counts every touch or wheel listener added to anything, from before the page's own scripts.
_COUNT_LISTENERS = """
window.__inputListeners = [];
const add = EventTarget.prototype.addEventListener;
EventTarget.prototype.addEventListener = function (type, handler, options) {
  if (/^(touch|wheel|mousewheel)/.test(type)) window.__inputListeners.push(type);
  return add.call(this, type, handler, options);
};
"""


def test_driving_a_run_adds_no_input_listener_to_the_page(page: Page, server: str) -> None:
    page.add_init_script(_COUNT_LISTENERS)
    page.goto(f"{server}/", wait_until="networkidle")
    wait_until(page, "Number(document.body.dataset.runs || 0) > 0")
    own = page.evaluate("window.__inputListeners.slice()")  # the page's own: the graph's wheel
    page.get_by_test_id("code-input").fill(
        "x = torch.ones(3, requires_grad=True)\ny = (x * 2).sum()\n"
    )
    click_run(page)
    wait_until(page, "Number(document.body.dataset.runs || 0) > 1")
    wait_for_element(page, '[data-testid="graph-svg"] g.node')
    box = client_box(page, '[data-testid="graph-viewport"]')
    assert box["width"] > 100 and box["height"] > 100
    assert page.locator('[data-testid="graph-svg"] g.node').count() >= 3
    assert page.evaluate("window.__inputListeners") == own


def test_waiting_gives_up_with_the_condition_it_waited_for(page: Page, server: str) -> None:
    page.goto(f"{server}/")
    with pytest.raises(Exception, match="window.neverSet"):
        wait_until(page, "window.neverSet === 1", timeout_ms=200, poll_ms=20)
