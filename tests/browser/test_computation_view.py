"""The computation view (computation-view.js): the same graph, drawn the textbook way."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.playground import Playground

pytestmark = pytest.mark.browser


def test_computation_view_keeps_node_ids(page: Page, server: str) -> None:
    app = Playground(page, server).open()
    autograd_ids = sorted(app.nodes.evaluate_all("nodes => nodes.map(n => n.id)"))
    page.get_by_role("radio", name="Computation").check()
    expect(app.svg).to_have_class(re.compile("mode-computation"))
    assert sorted(app.nodes.evaluate_all("nodes => nodes.map(n => n.id)")) == autograd_ids
    expect(app.svg.locator("g.node.kind-function circle")).to_have_count(3)
    expect(app.node_by_id("n1")).to_contain_text("x²")
    app.node("x scalar, leaf tensor").click()
    expect(page.get_by_test_id("inspector-grad")).to_have_text("tensor(56.)")
    page.get_by_role("radio", name="Autograd").check()
    expect(app.svg).to_have_class(re.compile("mode-autograd"))
