"""The screenshots in docs/usage.md, taken from the real app so the guide cannot drift from it.

Fixed viewports, the light theme, no animations, no focus ring or hover left on the page; the
only thing that varies between runs, the run time in the status line, is pinned to one value.

Each test checks the page is in the state its picture is about just before the shot, then that
the picture shows it: the colours of the things it is named after (the server's palette, the
page's theme) in the regions where those things are drawn.
"""

from __future__ import annotations

import base64
import html
import os
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, FloatRect, Frame, Locator, Page, expect

from app.draw.palette import FUNCTION_STYLE, ROLE_STYLES
from tests.browser.conftest import ROOT, new_context
from tests.browser.playground import Playground

pytestmark = pytest.mark.browser

# The guide's pictures are rewritten only on request (`make screenshots`), so a test run leaves
# the work tree clean; otherwise they go to the git-ignored test-artifacts/ folder.
IMG = (
    ROOT / "docs" / "img"
    if os.environ.get("AGV_UPDATE_SCREENSHOTS")
    else ROOT / "test-artifacts" / "screenshots"
)
NONSCALAR_BACKWARD = """x = torch.arange(4.0, requires_grad=True)
y = x * 2
y.backward()
print(x.grad)
"""
COURSE_PROGRAM = """w = torch.tensor(3.0, requires_grad=True)
x = torch.tensor(2.0)
b = torch.tensor(1.0, requires_grad=True)
y = w * x + b
y.backward()
"""


def settle(page: Page) -> None:
    """Nothing hovered or focused, the run time pinned: the same picture every run."""
    page.mouse.move(0, 0)
    page.evaluate(
        "document.activeElement && document.activeElement.blur && document.activeElement.blur()"
    )
    page.get_by_test_id("status").evaluate(
        "el => { el.textContent = el.textContent.replace(/\\d+(?=\\s*(ms|毫秒))/, '4'); }"
    )
    page.wait_for_timeout(150)


def shoot(page: Page, name: str, **options: Any) -> bytes:
    IMG.mkdir(parents=True, exist_ok=True)
    png = page.screenshot(path=str(IMG / name), animations="disabled", caret="hide", **options)
    assert (IMG / name).stat().st_size > 5_000
    return png


# How many pixels of each {box, colour, tolerance} query the PNG has: decoded by the browser, as
# no image library is installed. Colours are "#rrggbb"; a channel may be off by `tolerance`.
COUNT_PIXELS = """async ({ png, queries }) => {
  const bytes = Uint8Array.from(atob(png), (c) => c.charCodeAt(0));
  const bitmap = await createImageBitmap(new Blob([bytes], { type: "image/png" }));
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext("2d", { willReadFrequently: true });
  context.drawImage(bitmap, 0, 0);
  const counts = queries.map(({ box, colour, tolerance }) => {
    const x = Math.max(0, Math.floor(box.x));
    const y = Math.max(0, Math.floor(box.y));
    const w = Math.min(bitmap.width, Math.ceil(box.x + box.width)) - x;
    const h = Math.min(bitmap.height, Math.ceil(box.y + box.height)) - y;
    if (w <= 0 || h <= 0) return 0;
    const data = context.getImageData(x, y, w, h).data;
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16));
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      const near = (v, want) => Math.abs(v - want) <= tolerance;
      if (near(data[i], r) && near(data[i + 1], g) && near(data[i + 2], b)) n += 1;
    }
    return n;
  });
  return { size: [bitmap.width, bitmap.height], counts };
}"""


class Picture:
    """A screenshot, read back: pixels of a colour inside a page region."""

    def __init__(self, page: Page, png: bytes, origin: tuple[float, float] = (0, 0)) -> None:
        self.page = page
        self.png = base64.b64encode(png).decode("ascii")
        self.origin = origin  # where the picture's top left is in the page's coordinates

    def read(self, queries: list[tuple[FloatRect, str, int]]) -> dict[str, Any]:
        shifted = [
            {
                "box": {**box, "x": box["x"] - self.origin[0], "y": box["y"] - self.origin[1]},
                "colour": colour.lower(),
                "tolerance": tolerance,
            }
            for box, colour, tolerance in queries
        ]
        result: dict[str, Any] = self.page.evaluate(
            COUNT_PIXELS, {"png": self.png, "queries": shifted}
        )
        return result

    def count(self, box: FloatRect, colour: str, tolerance: int = 6) -> int:
        """Pixels of `colour` in `box` (page coordinates), each channel within `tolerance`."""
        counts: list[int] = self.read([(box, colour, tolerance)])["counts"]
        return counts[0]

    @property
    def size(self) -> tuple[int, int]:
        width, height = self.read([])["size"]
        return width, height


def box_of(locator: Locator) -> FloatRect:
    """The element's box in the page (full-page pictures start at the page's top left)."""
    found = locator.bounding_box()
    assert found is not None, f"{locator} is not on the page"
    scroll = locator.page.evaluate("[scrollX, scrollY]")
    return {**found, "x": found["x"] + scroll[0], "y": found["y"] + scroll[1]}


def filled(box: FloatRect) -> float:
    """Pixels enough to say a shape in this box is filled with a colour: a quarter of its box."""
    return box["width"] * box["height"] / 4


def outlined(box: FloatRect) -> float:
    """Pixels enough to say a shape in this box is outlined in a colour: its perimeter, once
    round (a node's thick outline gives two or three times that; arrowheads touching the box, far
    less)."""
    return 2 * (box["width"] + box["height"])


def theme(page: Page | Frame, name: str) -> str:
    """A colour of the page's theme, as app.css sets it ("--grad" -> "#d6336c")."""
    value: str = page.evaluate(
        "name => getComputedStyle(document.documentElement).getPropertyValue(name).trim()", name
    )
    assert re.fullmatch(r"#[0-9a-fA-F]{6}", value), (name, value)
    return value


PAGE_LANG = {"en-US": "en", "zh-CN": "zh-CN"}
LEAF = ROLE_STYLES["leaf"]["fillcolor"]
ROOT_FILL = ROLE_STYLES["root"]["fillcolor"]


def assert_stepping_shown(app: Playground, picture: Picture) -> None:
    """The running node's outline, and the gradient this step made (its label, filled), in --grad."""
    grad = theme(app.page, "--grad")
    running = app.svg.locator("g.node.is-running")
    expect(running).to_have_count(1)
    made = app.svg.locator(".grad-label.is-current, .grad-badge.is-fresh, .value-card.is-fresh")
    expect(made.first).to_be_attached()
    running_box, made_box = box_of(running), box_of(made.first)
    assert picture.count(running_box, grad) >= outlined(running_box), "the running node's outline"
    # Filled, so more than its outline; half of it at most may be cut off at the picture's edge.
    assert picture.count(made_box, grad) >= filled(made_box) / 2, "the step's gradient"


def playground(browser: Browser, server: str, **options: Any) -> Playground:
    context = new_context(browser, **options)
    return Playground(context.new_page(), server).open()


def test_screenshot_playground(browser: Browser, server: str) -> None:
    for locale, name, step in (
        ("en-US", "playground.png", "Step forward"),
        ("zh-CN", "playground-zh.png", "前进一步"),
    ):
        app = playground(browser, server, locale=locale)
        try:
            app.node_by_id("n4").click()
            for _ in range(2):
                app.page.get_by_role("button", name=step).click()
            settle(app.page)
            x = app.node_by_id("n4")
            expect(x).to_have_attribute("aria-pressed", "true")
            expect(app.page.get_by_test_id("inspector-value")).to_have_text("tensor(2.)")
            expect(app.step_count).to_have_text(re.compile(r"\b2\b.*\b4\b"))
            expect(app.page.locator("html")).to_have_attribute("lang", PAGE_LANG[locale])
            picture = Picture(app.page, shoot(app.page, name))
            assert picture.size == (1280, 800)
            x_box, z_box = box_of(x), box_of(app.node_by_id("n0"))
            assert picture.count(x_box, LEAF) >= filled(x_box), "x, a leaf, in the leaf colour"
            assert picture.count(z_box, ROOT_FILL) >= filled(z_box), "z, the backward root"
            primary = theme(app.page, "--primary")
            assert picture.count(x_box, primary) >= outlined(x_box), "x's outline, selected"
            assert_stepping_shown(app, picture)
        finally:
            app.page.context.close()


def test_screenshot_computation_view(browser: Browser, server: str) -> None:
    app = playground(browser, server)
    try:
        app.choose_example("neuron")
        app.page.get_by_role("radio", name="Computation").check()
        app.page.get_by_test_id("stepper-slider").fill("9")
        app.node("w1 scalar, leaf tensor").click()
        settle(app.page)
        w1 = app.node("w1 scalar, leaf tensor")
        expect(app.svg).to_have_class(re.compile("mode-computation"))
        expect(w1).to_have_attribute("aria-pressed", "true")
        expect(app.step_count).to_have_text(re.compile(r"^step 10 / "))
        functions = app.svg.locator("g.node.kind-function")
        expect(functions.first.locator("circle")).to_have_count(1)
        picture = Picture(app.page, shoot(app.page, "computation-view.png"))
        w1_box = box_of(w1)
        assert picture.count(w1_box, LEAF) >= filled(w1_box), "w1, a leaf, in the leaf colour"
        # An operation is a white disc: it fills about pi/4 of its box, the corners are canvas.
        circle = box_of(functions.first.locator("circle"))
        white = picture.count(circle, FUNCTION_STYLE["fillcolor"], tolerance=0)
        assert 0.45 < white / (circle["width"] * circle["height"]) < 0.8, "an operation's disc"
        # The last step adds into w1.grad: the selected node is the running one.
        expect(w1).to_have_class(re.compile(r"\bis-running\b"))
        assert_stepping_shown(app, picture)
    finally:
        app.page.context.close()


def test_screenshot_error(browser: Browser, server: str) -> None:
    app = playground(browser, server)
    try:
        app.type_program(NONSCALAR_BACKWARD)
        app.run()
        expect(app.page.get_by_role("alert")).to_be_visible()
        settle(app.page)
        # The program panel, whole (its width follows the layout and the splitter).
        panel = box_of(app.page.locator("#program-panel"))
        clip = {"x": 0, "y": 48, "width": round(panel["x"] + panel["width"] + 12), "height": 560}
        alert = app.page.get_by_role("alert")
        expect(alert).to_contain_text("RuntimeError")
        expect(app.page.get_by_test_id("error-hint")).to_be_visible()
        gutter = app.page.get_by_test_id("gutter-line-3")
        expect(gutter).to_have_class(re.compile("is-error"))
        for part in (alert, gutter):
            box = box_of(part)
            assert box["x"] + box["width"] <= clip["x"] + clip["width"] + 1, part
            assert box["y"] + box["height"] <= clip["y"] + clip["height"] + 1, part
        picture = Picture(app.page, shoot(app.page, "error.png", clip=clip), (clip["x"], clip["y"]))
        assert picture.size == (clip["width"], 560)
        error_bg, error = theme(app.page, "--error-bg"), theme(app.page, "--error")
        alert_box = box_of(alert)
        assert picture.count(alert_box, error_bg) >= alert_box["width"] * alert_box["height"] / 3
        gutter_box = box_of(gutter)
        assert picture.count(gutter_box, error) >= filled(gutter_box), "the failing line, marked"
    finally:
        app.page.context.close()


def test_screenshot_share_dialog(browser: Browser, server: str) -> None:
    app = playground(browser, server)
    try:
        app.page.get_by_role("button", name="Share").click()
        expect(app.page.get_by_role("dialog")).to_be_visible()
        # The test server's port changes each run; show the address a reader would have.
        app.page.get_by_role("dialog").locator(".copy-field").evaluate_all(
            "(fields, origin) => fields.forEach(f => { f.value = f.value.replaceAll(origin, 'http://localhost:8000'); })",
            server,
        )
        settle(app.page)
        dialog = app.page.get_by_role("dialog")
        expect(dialog.get_by_label("Link")).to_have_value(
            re.compile(r"^http://localhost:8000/#[zp]=")
        )
        expect(app.page.get_by_test_id("share-iframe")).to_have_value(
            re.compile(r'^<iframe src="http://localhost:8000/embed#')
        )
        picture = Picture(app.page, shoot(app.page, "share.png"))
        surface = theme(app.page, "--surface")
        # The dialog stands out white; the page behind it (its white top bar too) is dimmed.
        dialog_box = box_of(dialog)
        assert picture.count(dialog_box, surface) >= dialog_box["width"] * dialog_box["height"] / 2
        bar = box_of(app.page.locator(".topbar"))
        assert picture.count(bar, surface) == 0, "the page behind the dialog is not dimmed"
    finally:
        app.page.context.close()


def test_screenshot_mobile(browser: Browser, server: str) -> None:
    app = playground(
        browser, server, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    try:
        app.page.get_by_test_id("stepper-slider").fill("2")
        settle(app.page)
        expect(app.step_count).to_have_text("step 3 / 4")
        picture = Picture(app.page, shoot(app.page, "mobile.png", full_page=True))
        width, height = picture.size
        assert width == 390 and height > 844, "the whole page, one column"
        x_box = box_of(app.node_by_id("n4"))
        assert picture.count(x_box, LEAF) >= filled(x_box), "x, a leaf"
        assert_stepping_shown(app, picture)
    finally:
        app.page.context.close()


def test_screenshot_course_page(
    browser: Browser, server: str, course_site: tuple[str, Path]
) -> None:
    site, root = course_site
    (root / "course.html").write_text(
        f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Lesson 3</title>
<style>body {{ font: 16px/1.5 Georgia, serif; max-width: 760px; margin: 32px auto; color: #222; }}</style></head>
<body><h1>Lesson 3: y = wx + b</h1>
<p>Run the cell below: the graph is live. Click a node, or step through the backward pass.</p>
<pre data-autograd>{html.escape(COURSE_PROGRAM)}</pre>
<script src="{server}/static/embed.js"></script></body></html>""",
        encoding="utf-8",
    )
    # Tall enough for the frame with the teacher's code, which an embed shows by default.
    context = new_context(browser, viewport={"width": 900, "height": 1000})
    try:
        page = context.new_page()
        page.goto(f"{site}/course.html")
        frame = page.frame_locator("iframe[data-autograd-frame]")
        expect(frame.get_by_test_id("graph-svg").locator("g.node")).to_have_count(6)
        expect(page.locator("iframe[data-autograd-frame]")).not_to_have_attribute("height", "360")
        frame.get_by_role("button", name="Step forward").click()
        frame.get_by_role("button", name="Step forward").click()
        page.wait_for_timeout(300)
        page.mouse.move(0, 0)
        expect(frame.get_by_test_id("stepper-count")).to_have_text("step 2 / 4")
        running = frame.get_by_test_id("graph-svg").locator("g.node.is-running")
        expect(running).to_have_count(1)
        iframe = page.locator("iframe[data-autograd-frame]")
        expect(page.locator("pre[data-autograd]")).to_have_count(0)
        picture = Picture(page, shoot(page, "embed.png"))
        frame_box = box_of(iframe)
        assert frame_box["y"] + frame_box["height"] <= 1000, "the whole frame is in the picture"
        leaves = frame.get_by_test_id("graph-svg").locator("g.node.role-leaf")
        expect(leaves).to_have_count(2)  # w and b
        backward_root = frame.get_by_test_id("graph-svg").locator("g.node.role-root")
        for node in (leaves.nth(0), leaves.nth(1)):
            assert picture.count(box_of(node), LEAF) >= filled(box_of(node)), "w and b, leaves"
        root_box = box_of(backward_root)
        assert picture.count(root_box, ROOT_FILL) >= filled(root_box), "y, the backward root"
        embed = page.frame(url=re.compile(r"/embed[?#]"))
        assert embed is not None
        grad = theme(embed, "--grad")
        running_box = box_of(running)
        assert picture.count(running_box, grad) >= outlined(running_box), "the running node"
    finally:
        context.close()
