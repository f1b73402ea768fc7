"""The Export menu (export-menu.js, export.js): each format downloads the current graph; the
menu closes as menus do, and a failure is said in the status line."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.playground import Playground

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("kind", "filename"),
    [
        ("SVG image", "autograd-graph.svg"),
        ("PNG image", "autograd-graph.png"),
        ("Graphviz DOT", "autograd-graph.dot"),
        ("JSON (graph data)", "autograd-graph.json"),
    ],
)
def test_export_downloads_the_current_graph(
    page: Page, server: str, kind: str, filename: str
) -> None:
    Playground(page, server).open()
    page.get_by_test_id("export-button").click()
    with page.expect_download() as info:
        page.get_by_role("button", name=kind).click()
    download = info.value
    assert download.suggested_filename == filename
    data = download.path().read_bytes()
    if filename.endswith(".png"):
        assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 1000
    elif filename.endswith(".svg"):
        assert b"<svg" in data and b'id="n4"' in data
    elif filename.endswith(".dot"):
        assert data.startswith(b"digraph autograd")
    else:
        body = json.loads(data)
        assert (
            len(body["nodes"]) == 6
            and "svg" not in body
            and body["code"].startswith("import torch")
        )


def test_export_menu_closes_on_escape_and_on_a_click_outside(page: Page, server: str) -> None:
    Playground(page, server).open()
    menu = page.get_by_test_id("export-button")
    item = page.get_by_role("button", name="SVG image")
    menu.click()
    expect(item).to_be_visible()
    page.keyboard.press("Escape")
    expect(item).to_be_hidden()
    expect(menu).to_be_focused()
    menu.click()
    expect(item).to_be_visible()
    page.get_by_role("heading", name="Program").click()
    expect(item).to_be_hidden()


def test_failed_export_is_said_in_the_status_line(page: Page, server: str) -> None:
    Playground(page, server).open()
    page.evaluate(
        "() => { Image.prototype.decode = () => Promise.reject(new Error('no decoder')); }"
    )
    page.get_by_test_id("export-button").click()
    page.get_by_role("button", name="PNG image").click()
    expect(page.get_by_test_id("status")).to_have_text("Export failed: no decoder")
    expect(page.get_by_role("button", name="PNG image")).to_be_hidden()


@pytest.mark.parametrize(
    ("lang", "scalar", "item"), [("en", "scalar", "SVG image"), ("zh", "标量", "SVG 图片")]
)
def test_exported_svg_is_what_the_screen_shows(
    page: Page, server: str, lang: str, scalar: str, item: str
) -> None:
    """Stepped to the end of the scalar chain: the file has x's value and .grad 56 beside it,
    the step's marks, and the node texts in the page's language."""
    app = Playground(page, server).open(f"/?lang={lang}")
    page.get_by_test_id("stepper-slider").fill("3")
    expect(app.svg.locator('[data-testid="value-card"][data-node="n4"] text')).to_have_text(
        ["= 2.", ".grad 56."]
    )
    page.get_by_test_id("export-button").click()
    with page.expect_download() as info:
        page.get_by_role("button", name=item).click()
    text = info.value.path().read_text(encoding="utf-8")
    assert "<style>" in text and 'class="agv-overlay"' in text
    assert ".grad 56." in text and "= 2." in text
    assert re.search(r'class="[^"]*\bis-running\b', text)
    assert f">{scalar}<" in text
    if lang == "zh":
        assert ">scalar<" not in text
