"""The playground page (main.js): what it opens on, and the views wired together."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from app.examples import get_example, load_examples
from tests.browser.playground import Playground

pytestmark = pytest.mark.browser

Api = Callable[[str], dict[str, Any]]


SCALAR_CHAIN = "scalar_chain"


def example_code(example_id: str) -> str:
    example = get_example(example_id)
    assert example is not None
    return example.code


def test_playground_opens_on_the_first_example(page: Page, server: str, api: Api) -> None:
    app = Playground(page, server).open()
    expect(page).to_have_title(re.compile("autograd-viz"))
    expect(page.get_by_role("button", name="Run")).to_be_visible()
    expect(page.get_by_label("Example")).to_have_value(load_examples()[0].id)
    expect(page.get_by_label("Example").locator("option")).to_have_count(len(load_examples()) + 1)
    expected = api(example_code(SCALAR_CHAIN))
    expect(app.nodes).to_have_count(len(expected["nodes"]))
    expect(page.get_by_test_id("stdout")).to_have_text(expected["stdout"].strip())
    expect(page.get_by_test_id("status")).to_contain_text("6 nodes")


def test_keyboard_runs_and_inspects(page: Page, server: str) -> None:
    app = Playground(page, server).open()
    editor = page.get_by_role("textbox", name="Program")
    editor.fill("a = torch.tensor(3.0, requires_grad=True)\nb = a * a\nb.backward()\n")
    before = app.runs()
    editor.press("Control+Enter")
    app.wait_for_run(before)
    expect(app.nodes).to_have_count(3)
    app.node("a scalar, leaf tensor").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("inspector-grad")).to_have_text("tensor(6.)")
