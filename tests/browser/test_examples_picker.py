"""The example picker (examples-picker.js): every gallery example, and what the picker says."""

from __future__ import annotations

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


@pytest.mark.parametrize("example_id", [example.id for example in load_examples()])
def test_gallery_example_draws_every_node(
    page: Page, server: str, api: Api, example_id: str
) -> None:
    app = Playground(page, server).open()
    if example_id != load_examples()[0].id:
        app.choose_example(example_id)
    expected = api(example_code(example_id))
    if len(expected["nodes"]) > 60:  # a large graph opens folded by module (module-fold.js)
        expect(app.svg).to_have_attribute("data-folded", "true")
        page.get_by_role("button", name="Unfold all").click()
    expect(app.nodes).to_have_count(len(expected["nodes"]))
    shown = sorted(app.nodes.evaluate_all("nodes => nodes.map(n => n.id)"))
    assert shown == sorted(node["id"] for node in expected["nodes"])
    expect(page.get_by_test_id("error-panel")).to_be_hidden()


def test_editing_the_example_makes_it_your_program(page: Page, server: str) -> None:
    app = Playground(page, server).open()
    picker = page.get_by_label("Example")
    description = page.get_by_test_id("example-description")
    expect(picker).to_have_value(SCALAR_CHAIN)
    expect(description).to_be_visible()
    app.type_program(app.editor_value().replace("2.0", "3.0"))
    expect(picker).to_have_value("")
    expect(description).to_be_hidden()
    expect(picker.locator("option:checked")).to_have_text("Your program")


def test_choosing_your_program_keeps_the_program(page: Page, server: str) -> None:
    app = Playground(page, server).open()
    before = app.runs()
    code = app.editor_value()
    page.get_by_label("Example").select_option("")
    expect(page.get_by_test_id("example-description")).to_be_hidden()
    assert app.editor_value() == code
    assert app.runs() == before
