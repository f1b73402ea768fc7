"""The run's outcome (output.js): error panel, hint and the failing line."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.playground import Playground

pytestmark = pytest.mark.browser

NONSCALAR_BACKWARD = """x = torch.arange(4.0, requires_grad=True)
y = x * 2
y.backward()
print("never printed")
"""


def test_runtime_error_marks_its_line_with_message_and_hint(page: Page, server: str) -> None:
    app = Playground(page, server).open()
    app.type_program(NONSCALAR_BACKWARD)
    app.run()
    expect(page.get_by_test_id("gutter-line-3")).to_have_class(re.compile("is-error"))
    expect(page.get_by_test_id("gutter-line-2")).not_to_have_class(re.compile("is-error"))
    panel = page.get_by_role("alert")
    expect(panel).to_contain_text("RuntimeError")
    expect(panel).to_contain_text("grad can be implicitly created only for scalar outputs")
    expect(page.get_by_test_id("error-hint")).to_contain_text("y.sum().backward()")
    expect(page.get_by_test_id("error-line")).to_have_text("line 3")
    # The graph is the state at the failing line.
    expect(app.nodes).to_have_count(3)
    page.get_by_label("Language").select_option("zh")
    expect(page.get_by_test_id("error-hint")).to_contain_text("标量")


def test_refused_program_marks_its_line(page: Page, server: str) -> None:
    app = Playground(page, server).open()
    app.type_program("x = torch.ones(2)\ny = (x + 1\n")
    app.run()
    expect(page.get_by_role("alert")).to_contain_text("SyntaxError")
    expect(page.get_by_test_id("gutter-line-2")).to_have_class(re.compile("is-error"))
