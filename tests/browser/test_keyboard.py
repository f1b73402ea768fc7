"""The playground by keyboard alone: arrow keys along the graph's edges (edge-keys.js), Shift+arrows
to pan, Esc then Tab out of the editor (as the page says), Tab to every control and out again,
and the program panel's splitter (splitter.js)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Browser, FloatRect, Locator, Page, expect

from tests.browser.conftest import new_context
from tests.browser.playground import Playground

pytestmark = pytest.mark.browser

Api = Callable[[str], dict[str, Any]]

CHAIN = "x = torch.tensor(2.0, requires_grad=True)\ny = x ** 2 + 3\nz = y ** 2\nz.backward()\n"
PRODUCT = "a = torch.tensor(2.0, requires_grad=True)\nb = torch.tensor(3.0, requires_grad=True)\nc = a * b\nc.backward()\n"
PHONE = {"width": 390, "height": 844}


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


@pytest.mark.parametrize(
    ("locale", "hint"),
    [
        ("en-US", "Tab indents. Esc, then Tab: leave the editor."),
        ("zh-CN", "先按 Esc 再按 Tab：离开编辑器"),
    ],
)
def test_escape_then_tab_leaves_the_editor_as_the_page_says(
    browser: Browser, server: str, locale: str, hint: str
) -> None:
    context = new_context(browser, locale=locale)
    try:
        page = context.new_page()
        Playground(page, server).open()
        help_line = page.get_by_test_id("editor-keys-help")
        expect(help_line).to_be_visible()
        expect(help_line).to_contain_text(hint)
        editor = page.get_by_test_id("code-input")
        expect(editor).to_have_attribute("aria-describedby", "editor-keys-help")
        editor.focus()
        page.keyboard.press("End")
        page.keyboard.press("Tab")  # indents
        expect(editor).to_be_focused()
        page.keyboard.press("Escape")
        page.keyboard.press("Tab")
        expect(page.locator("#run")).to_be_focused()
        page.keyboard.press("Shift+Tab")  # back into the editor
        expect(editor).to_be_focused()
        page.keyboard.press("Escape")
        page.keyboard.press("Shift+Tab")  # and out the other way
        expect(editor).not_to_be_focused()
    finally:
        context.close()


# Everything a Tab may stop at, as the browser decides: visible, enabled, not taken out of the
# order; of a radio group, the checked radio (the others are reached with the arrow keys).
MARK_TABBABLE = """() => {
    const selector = "a[href], button, input, select, textarea, summary, [tabindex]";
    const found = [...document.querySelectorAll(selector)].filter((element) =>
        element.tabIndex >= 0 && !element.disabled && element.checkVisibility({ visibilityProperty: true })
        && !element.closest("dialog:not([open]), [hidden], [inert]")
        && !(element.type === "radio" && !element.checked));
    found.forEach((element, index) => { element.dataset.tabCheck = String(index); });
    return found.map((element) => element.outerHTML.slice(0, 90));
}"""


@pytest.mark.parametrize("size", [None, PHONE], ids=["1280x800", "390x844"])
def test_tab_reaches_every_control_and_is_never_trapped(
    browser: Browser, server: str, size: dict[str, int] | None
) -> None:
    context = new_context(browser, **({"viewport": size} if size else {}))
    try:
        page = context.new_page()
        app = Playground(page, server).open()
        expect(app.nodes).to_have_count(6)
        page.get_by_role(
            "button", name="Step forward"
        ).click()  # the stepper's back buttons enabled
        tabbable: list[str] = page.evaluate(MARK_TABBABLE)
        assert len(tabbable) > 20
        page.evaluate("() => document.activeElement?.blur()")
        page.mouse.click(1, 1)  # start from the top of the page
        seen: list[str] = []
        for _ in range(4 * len(tabbable)):
            page.keyboard.press("Tab")
            mark = page.evaluate("() => document.activeElement?.dataset?.tabCheck ?? ''")
            if mark and seen and mark == seen[0]:
                break  # round the page and back to the first stop: nothing held the focus
            if mark:
                seen.append(mark)
            if page.evaluate("() => document.activeElement?.dataset?.testid === 'code-input'"):
                page.keyboard.press("Escape")  # as the line under the editor says
        else:
            pytest.fail(f"Tab never came back to the first control; last stops: {seen[-5:]}")
        missed = [tabbable[int(i)] for i in set(map(str, range(len(tabbable)))) - set(seen)]
        assert not missed, f"never reached by Tab: {missed}"
        assert len(seen) == len(set(seen)), "a control was visited twice in one round"
    finally:
        context.close()


def test_splitter_resizes_the_program_panel_by_keyboard(page: Page, server: str) -> None:
    Playground(page, server).open()
    splitter = page.get_by_role("separator", name="Program panel width")
    panel = page.locator("#program-panel")
    expect(splitter).to_have_attribute("aria-controls", "program-panel")
    expect(splitter).to_have_attribute("aria-orientation", "vertical")
    start = box(panel)["width"]
    start_value = int(splitter.get_attribute("aria-valuenow") or 0)
    splitter.focus()
    page.keyboard.press("ArrowRight")
    assert box(panel)["width"] == pytest.approx(start + 20, abs=1)
    assert int(splitter.get_attribute("aria-valuenow") or 0) > start_value
    page.keyboard.press("Shift+ArrowLeft")
    assert box(panel)["width"] == pytest.approx(start - 60, abs=1)
    page.keyboard.press("Home")
    assert box(panel)["width"] == pytest.approx(300, abs=1)
    assert splitter.get_attribute("aria-valuenow") == splitter.get_attribute("aria-valuemin")
    page.keyboard.press("End")
    assert box(panel)["width"] > start + 100
    assert splitter.get_attribute("aria-valuenow") == splitter.get_attribute("aria-valuemax")
    # The graph follows the panel: still fitted into its narrower viewport.
    viewport = box(page.get_by_test_id("graph-viewport"))
    drawing = box(page.get_by_test_id("graph-svg"))
    assert drawing["x"] >= viewport["x"] - 1
    assert drawing["x"] + drawing["width"] <= viewport["x"] + viewport["width"] + 1
    page.keyboard.press("Enter")  # back to the layout's own width
    assert box(panel)["width"] == pytest.approx(start, abs=1)
    # Kept for the next visit.
    page.keyboard.press("ArrowRight")
    page.reload()
    expect(page.get_by_test_id("graph-svg")).to_be_visible()
    assert box(page.locator("#program-panel"))["width"] == pytest.approx(start + 20, abs=1)


def test_splitter_is_named_in_chinese_and_absent_on_a_phone(browser: Browser, server: str) -> None:
    context = new_context(browser, locale="zh-CN")
    try:
        page = context.new_page()
        Playground(page, server).open()
        expect(page.get_by_role("separator", name="程序面板宽度")).to_be_visible()
        page.set_viewport_size(PHONE)
        expect(page.get_by_test_id("code-splitter")).to_be_hidden()
    finally:
        context.close()
