"""Arrow keys on a graph node move the focus along its edges (edge-keys.js); Shift+arrows pan."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import FloatRect, Locator, Page, expect

from tests.browser.playground import Playground

pytestmark = pytest.mark.browser

Api = Callable[[str], dict[str, Any]]

CHAIN = "x = torch.tensor(2.0, requires_grad=True)\ny = x ** 2 + 3\nz = y ** 2\nz.backward()\n"
PRODUCT = "a = torch.tensor(2.0, requires_grad=True)\nb = torch.tensor(3.0, requires_grad=True)\nc = a * b\nc.backward()\n"


def box(locator: Locator) -> FloatRect:
    found = locator.bounding_box()
    assert found is not None
    return found


def focused_id(page: Page) -> str:
    return str(page.evaluate("() => document.activeElement?.id ?? ''"))


def forward_path(answer: dict[str, Any], start_label: str) -> list[str]:
    """The node ids from the tensor `start_label` to the end, following each node's one edge out."""
    start = next(n["id"] for n in answer["nodes"] if n.get("label") == start_label)
    out = {e["source"]: e["target"] for e in answer["edges"]}
    path = [start]
    while path[-1] in out:
        path.append(out[path[-1]])
    return path


@pytest.mark.parametrize("view", ["autograd", "computation"])
def test_arrow_keys_move_the_focus_along_the_edges(
    page: Page, server: str, api: Api, view: str
) -> None:
    app = Playground(page, server).open()
    app.type_program(CHAIN)
    app.run()
    page.get_by_test_id(f"view-{view}").check(force=True)
    path = forward_path(api(CHAIN), "x")
    assert len(path) == 6  # x, PowBackward0, AddBackward0, y, PowBackward0, z
    app.node_by_id(path[0]).focus()
    # The drawing runs from x at the top down to z: ↓ follows the forward pass, ↑ the gradient.
    for node_id in path[1:]:
        page.keyboard.press("ArrowDown")
        assert focused_id(page) == node_id
    page.keyboard.press("ArrowDown")  # z has nothing below: the focus stays
    assert focused_id(page) == path[-1]
    for node_id in reversed(path[:-1]):
        page.keyboard.press("ArrowUp")
        assert focused_id(page) == node_id
    # Enter still inspects the node the keys reached.
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("inspector-grad")).to_have_text("tensor(56.)")


def test_left_and_right_move_between_inputs_of_the_same_node(page: Page, server: str) -> None:
    app = Playground(page, server).open()
    app.type_program(PRODUCT)
    app.run()
    a = app.node("a scalar, leaf tensor")
    b = app.node("b scalar, leaf tensor")
    left, right = (a, b) if box(a)["x"] < box(b)["x"] else (b, a)
    left.focus()
    page.keyboard.press("ArrowRight")
    expect(right).to_be_focused()
    page.keyboard.press("ArrowRight")  # nothing further right
    expect(right).to_be_focused()
    page.keyboard.press("ArrowLeft")
    expect(left).to_be_focused()


def test_shift_arrows_pan_without_moving_the_focus(page: Page, server: str) -> None:
    app = Playground(page, server).open()
    x = app.node("x scalar, leaf tensor")
    x.focus()
    start = box(x)
    page.keyboard.press("Shift+ArrowLeft")  # shows more of the left: the drawing moves right
    expect(x).to_be_focused()
    assert box(x)["x"] - start["x"] == pytest.approx(40, abs=1)
    page.keyboard.press("Shift+ArrowUp")
    assert box(x)["y"] - start["y"] == pytest.approx(40, abs=1)
    expect(x).to_be_focused()
