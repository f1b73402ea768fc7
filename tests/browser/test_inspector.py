"""The inspector (inspector.js): a node's value, grad, source line and saved tensors."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.playground import Playground

pytestmark = pytest.mark.browser


def test_clicking_leaf_x_shows_its_grad(page: Page, server: str) -> None:
    app = Playground(page, server).open()
    app.node("x scalar, leaf tensor").click()
    expect(app.inspector).to_contain_text("56")
    expect(page.get_by_test_id("inspector-grad")).to_have_text("tensor(56.)")
    expect(page.get_by_test_id("inspector-value")).to_have_text("tensor(2.)")
    expect(app.inspector).to_contain_text("is_leaf")
    expect(app.node("x scalar, leaf tensor")).to_have_attribute("aria-pressed", "true")


def test_inspector_source_line_highlights_the_editor_line(page: Page, server: str) -> None:
    app = Playground(page, server).open()
    app.node("y scalar, non-leaf tensor").click()
    page.get_by_test_id("inspector-line").click()
    expect(page.get_by_test_id("gutter-line-4")).to_have_class(re.compile("is-highlighted"))


def test_saved_tensor_links_to_its_node(page: Page, server: str) -> None:
    app = Playground(page, server).open()
    app.node_by_id("n1").click()  # z's PowBackward0 saved `self`, which is y
    saved = page.get_by_test_id("inspector-saved")
    expect(saved).to_contain_text("exponent")
    saved.get_by_role("button", name="→ y").click()
    expect(page.get_by_test_id("inspector-value")).to_have_text("tensor(7.)")
