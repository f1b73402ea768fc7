"""Big drawings (detail-level.js, minimap.js): words left out when zoomed far out; every feature kept."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
import torch
from playwright.sync_api import Page, expect

from tests.browser.test_iterations import open_program

pytestmark = pytest.mark.browser

FAR = re.compile(r"\bis-far\b")
CURRENT = re.compile(r"\bis-search-current\b")

Api = Callable[[str], dict[str, Any]]

# About 2,000 nodes: past detail-level.js's FAR_NODES, drawn by the server's layered layout.
OPS = 1_000
BIG_CHAIN = f"""x = torch.tensor(1.0, requires_grad=True)
y = x
for i in range({OPS}):
    y = y * 1.001
y.backward()
"""


def leaf_grad() -> str:
    """x.grad of BIG_CHAIN as plain PyTorch prints it."""
    x = torch.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(OPS):
        y = y * 1.001
    y.backward()
    return str(x.grad)


def words_shown(page: Page) -> int:
    """How many node words the browser lays out (display is not none)."""
    shown: int = page.get_by_test_id("graph-svg").evaluate(
        "svg => [...svg.querySelectorAll('g.node > text')]"
        ".filter((text) => getComputedStyle(text).display !== 'none').length"
    )
    return shown


def test_big_drawing_zoomed_out_leaves_its_words_out_until_zoomed_in(
    page: Page, server: str, api: Api
) -> None:
    assert len(api(BIG_CHAIN)["nodes"]) >= 2_000
    open_program(page, server, BIG_CHAIN)
    svg = page.get_by_test_id("graph-svg")
    zoom = float(page.get_by_test_id("graph-viewport").get_attribute("data-zoom") or 1)
    assert zoom < 0.3  # so tall a drawing fits only far zoomed out
    expect(svg).to_have_class(FAR)
    assert words_shown(page) == 0
    for _ in range(8):  # 1.25 ** 8 ~ 6: past 0.3 from any fit below it
        page.get_by_role("button", name="Zoom in").click()
    expect(svg).not_to_have_class(FAR)
    assert words_shown(page) > 0
    page.get_by_role("button", name="Fit to screen").click()
    expect(svg).to_have_class(FAR)


def test_big_drawing_keeps_search_selection_inspector_minimap_and_stepper(
    page: Page, server: str, api: Api
) -> None:
    graph = api(BIG_CHAIN)
    app = open_program(page, server, BIG_CHAIN)
    minimap = page.get_by_test_id("minimap")
    expect(minimap).to_be_visible()
    expect(minimap).to_have_attribute("data-nodes", str(len(graph["nodes"])))
    # Search finds the leaf and pans to it; Enter on the focused node selects it.
    leaf = next(node["id"] for node in graph["nodes"] if node.get("name") == "x")
    page.get_by_role("searchbox", name="Find node").fill("x")
    expect(app.node_by_id(leaf)).to_have_class(CURRENT)
    app.node_by_id(leaf).focus()
    page.keyboard.press("Enter")
    expect(app.node_by_id(leaf)).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_test_id("inspector-grad")).to_have_text(leaf_grad())
    # The stepper runs on it and the minimap marks the running node.
    page.get_by_role("button", name="Step forward").click()
    expect(page.get_by_test_id("minimap-running")).to_be_visible()


def test_big_drawing_names_every_node_after_its_first_picture(
    page: Page, server: str, api: Api
) -> None:
    graph = api(BIG_CHAIN)
    app = open_program(page, server, BIG_CHAIN)
    page.wait_for_function(
        "n => document.querySelectorAll('[data-testid=graph-svg] g.node[aria-label]').length === n",
        arg=len(graph["nodes"]),
    )
    leaf = next(node["id"] for node in graph["nodes"] if node.get("name") == "x")
    # `y = x` binds the leaf to both names.
    expect(app.node("x, y scalar, leaf tensor")).to_have_id(leaf)
    functions = sum(node["kind"] == "function" for node in graph["nodes"])
    expect(page.get_by_role("button", name="MulBackward0, function node")).to_have_count(functions)
