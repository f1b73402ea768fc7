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


@pytest.mark.parametrize(("lang", "forward"), [("en", "Step forward"), ("zh", "前进一步")])
def test_inspector_shows_the_state_at_the_current_step(
    page: Page, server: str, lang: str, forward: str
) -> None:
    """x.grad is 56 only once x's AccumulateGrad has run (step 4 of 4); at step 1 the
    inspector of x does not show the final value (plain PyTorch fills .grad at the end)."""
    app = Playground(page, server).open(f"/?lang={lang}")
    app.node_by_id("n4").click()  # x
    grad = page.get_by_test_id("inspector-grad")
    expect(grad).to_have_text("tensor(56.)")  # before stepping: the program's final state
    page.get_by_role("button", name=forward).click()
    expect(grad).to_have_text("None")
    expect(app.inspector).not_to_contain_text("56")
    expect(page.get_by_test_id("inspector-grad-at")).to_be_visible()
    page.get_by_test_id("stepper-slider").fill("2")
    expect(grad).to_have_text("None")
    page.get_by_test_id("stepper-slider").fill("3")
    expect(grad).to_have_text("tensor(56.)")


def test_function_node_shows_its_chain_rule_once_it_has_run(page: Page, server: str) -> None:
    app = Playground(page, server).open()
    app.node_by_id("n3").click()  # x's PowBackward0, the third step
    page.get_by_test_id("stepper-slider").fill("1")
    expect(app.inspector).to_contain_text("Not run yet at this step of backward pass 1.")
    page.get_by_test_id("stepper-slider").fill("2")
    chain = page.get_by_test_id("inspector-chain")
    expect(chain.get_by_test_id("chain-term")).to_have_text("To x: 14. × (2·x = 4.) = 56.")
