"""The minimap (minimap.js): shown for drawings larger than the view, moves the view, follows it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import FloatRect, Locator, Page, expect

from tests.browser.playground import Playground
from tests.browser.test_iterations import open_program

pytestmark = pytest.mark.browser

Api = Callable[[str], dict[str, Any]]

# A chain drawn as one tall column: the leaf `x` at the top, the backward root `y` at the bottom.
OPS = 30
CHAIN = f"""x = torch.tensor(1.0, requires_grad=True)
y = x
for i in range({OPS}):
    y = y * 1.001
y.backward()
"""


def box(locator: Locator) -> FloatRect:
    found = locator.bounding_box()
    assert found is not None
    return found


def overlaps(inner: FloatRect, outer: FloatRect) -> bool:
    """Whether two page rectangles share any area."""
    return (
        inner["x"] < outer["x"] + outer["width"]
        and inner["x"] + inner["width"] > outer["x"]
        and inner["y"] < outer["y"] + outer["height"]
        and inner["y"] + inner["height"] > outer["y"]
    )


def zoomed_in(page: Page, server: str, code: str = CHAIN) -> Playground:
    """The program drawn, then zoomed in with the toolbar until the drawing is larger than the view."""
    app = open_program(page, server, code)
    for _ in range(4):
        page.get_by_role("button", name="Zoom in").click()
    expect(page.get_by_test_id("minimap")).to_be_visible()
    return app


def node_in_view(page: Page, app: Playground, node_id: str) -> bool:
    return overlaps(box(app.node_by_id(node_id)), box(page.get_by_test_id("graph-viewport")))


def ends(graph: dict[str, Any]) -> tuple[str, str]:
    """The ids of the chain's leaf `x` and of its backward root (the last `y`)."""
    leaf = next(node["id"] for node in graph["nodes"] if node.get("name") == "x")
    root = next(node["id"] for node in graph["nodes"] if node.get("role") == "root")
    return leaf, root


def test_minimap_is_hidden_while_the_whole_graph_is_in_view(page: Page, server: str) -> None:
    open_program(page, server, CHAIN)
    minimap = page.get_by_test_id("minimap")
    expect(minimap).to_be_hidden()
    page.get_by_role("button", name="Zoom in").click()
    page.get_by_role("button", name="Zoom in").click()
    expect(minimap).to_be_visible()
    page.get_by_role("button", name="Fit to screen").click()
    expect(minimap).to_be_hidden()


def test_minimap_draws_every_node_of_the_answer(page: Page, server: str, api: Api) -> None:
    zoomed_in(page, server)
    expected = len(api(CHAIN)["nodes"])
    assert expected > 2 * OPS  # a tensor and a function node per step
    expect(page.get_by_test_id("minimap")).to_have_attribute("data-nodes", str(expected))
    # Drawn as an overview: a picture on a canvas, not a second copy of the SVG.
    assert page.get_by_test_id("minimap").locator("svg").count() == 0


def test_pressing_the_minimap_pans_the_view_to_that_point(
    page: Page, server: str, api: Api
) -> None:
    leaf, root = ends(api(CHAIN))
    app = zoomed_in(page, server)
    minimap = box(page.get_by_test_id("minimap"))
    middle = minimap["x"] + minimap["width"] / 2
    page.mouse.click(middle, minimap["y"] + minimap["height"] - 2)
    assert node_in_view(page, app, root)
    assert not node_in_view(page, app, leaf)
    page.mouse.click(middle, minimap["y"] + 2)
    assert node_in_view(page, app, leaf)
    assert not node_in_view(page, app, root)


def test_dragging_on_the_minimap_moves_the_view_and_its_rectangle(
    page: Page, server: str, api: Api
) -> None:
    _, root = ends(api(CHAIN))
    app = zoomed_in(page, server)
    minimap = box(page.get_by_test_id("minimap"))
    rectangle = page.get_by_test_id("minimap-view")
    middle = minimap["x"] + minimap["width"] / 2
    page.mouse.move(middle, minimap["y"] + 2)
    page.mouse.down()
    top = box(rectangle)["y"]
    for step in range(1, 11):
        page.mouse.move(middle, minimap["y"] + 2 + step * (minimap["height"] - 4) / 10)
    page.mouse.up()
    assert box(rectangle)["y"] > top + minimap["height"] / 2
    assert node_in_view(page, app, root)
    # The press on the minimap selected nothing in the graph behind it.
    expect(page.locator('[aria-pressed="true"]').filter(has=page.locator("text"))).to_have_count(0)


def test_minimap_rectangle_follows_zoom_and_keyboard_panning(page: Page, server: str) -> None:
    zoomed_in(page, server)
    rectangle = page.get_by_test_id("minimap-view")
    before = box(rectangle)
    page.get_by_role("button", name="Zoom in").click()
    smaller = box(rectangle)
    assert smaller["height"] < before["height"]
    page.get_by_test_id("graph-viewport").focus()
    for _ in range(5):
        page.keyboard.press("Shift+ArrowDown")  # the view goes down the drawing
    assert box(rectangle)["y"] > smaller["y"]


def test_minimap_marks_the_running_node_inside_the_view_while_stepping(
    page: Page, server: str
) -> None:
    zoomed_in(page, server)
    running = page.get_by_test_id("minimap-running")
    expect(running).to_be_hidden()
    forward = page.get_by_role("button", name="Step forward")
    for _ in range(3):
        forward.click()
    expect(running).to_be_visible()
    # The view follows the running node, and so does the rectangle.
    dot = box(running)
    view = box(page.get_by_test_id("minimap-view"))
    assert overlaps(dot, view)
    first = dot["y"]
    for _ in range(20):
        forward.click()
    assert box(running)["y"] != first
    assert overlaps(box(running), box(page.get_by_test_id("minimap-view")))


def test_minimap_toggle_hides_it_and_the_choice_is_kept(page: Page, server: str) -> None:
    zoomed_in(page, server)
    toggle = page.get_by_role("button", name="Minimap")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    expect(page.get_by_test_id("minimap")).to_be_hidden()
    page.reload()
    Playground(page, server).wait_for_run(0)
    page.get_by_role("button", name="Zoom in").click()
    page.get_by_role("button", name="Zoom in").click()
    expect(page.get_by_role("button", name="Minimap")).to_have_attribute("aria-pressed", "false")
    expect(page.get_by_test_id("minimap")).to_be_hidden()
    page.get_by_role("button", name="Minimap").click()
    expect(page.get_by_test_id("minimap")).to_be_visible()


def test_minimap_is_left_out_of_the_accessibility_tree_and_speaks_chinese(
    page: Page, server: str
) -> None:
    open_program(page, server, CHAIN, "/?lang=zh")
    for _ in range(4):
        page.get_by_role("button", name="放大").click()
    minimap = page.get_by_test_id("minimap")
    expect(minimap).to_be_visible()
    expect(minimap).to_have_attribute("aria-hidden", "true")
    expect(page.get_by_role("button", name="小地图")).to_have_attribute("aria-pressed", "true")


def test_minimap_steps_aside_while_one_iteration_of_a_loop_is_shown(
    page: Page, server: str
) -> None:
    """One iteration is laid out on its own, apart from the whole drawing the overview shows: the
    overview is hidden while an iteration is chosen and comes back for "all iterations"."""
    from tests.browser.test_iterations import POLYNOMIAL, selector

    open_program(page, server, POLYNOMIAL)
    expect(selector(page)).to_have_value("119")
    minimap = page.get_by_test_id("minimap")
    expect(minimap).to_be_hidden()
    selector(page).select_option(label="All")
    expect(selector(page)).not_to_have_value("119")
    for _ in range(3):
        page.get_by_role("button", name="Zoom in").click()
    expect(minimap).to_be_visible()
    selector(page).select_option("101")  # the first kept after 0: the latest 19 are 101-119
    expect(minimap).to_be_hidden()
