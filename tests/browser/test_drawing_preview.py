"""A large drawing's first picture (drawing-preview.js): a canvas painted before the SVG is built.

What the page did is recorded in its order by a MutationObserver set up before the page's own
scripts: when the canvas holding the drawing joined the page, and when the SVG's nodes did.
Nothing here is timed.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.playground import Playground
from tests.browser.test_iterations import open_program

pytestmark = pytest.mark.browser

# A chain of 1,100 steps: about 2,200 nodes, past the size from which a picture comes first.
OPS = 1_100
CHAIN = f"""x = torch.tensor(1.0, requires_grad=True)
y = x
for i in range({OPS}):
    y = y * 1.001
y.backward()
"""

# window.__seen: "picture" when the painted canvas appeared, "svg" when the SVG's nodes did, in
# that order; at the picture, what the page showed then, and (window.__atPicture) a move to make
# on the picture before its SVG is in.
WATCH = """
window.__seen = [];
window.__atPicture ??= null;
new MutationObserver(() => {
  const viewport = document.querySelector('[data-testid="graph-viewport"]');
  if (!viewport) return;
  const canvas = viewport.querySelector('[data-testid="graph-preview"][data-painted]');
  if (canvas && canvas !== window.__picture) {
    window.__picture = canvas;
    window.__seen.push("picture");
    window.__pictureState = {
      busy: viewport.getAttribute("aria-busy"),
      zoom: viewport.dataset.zoom,
      svgNodes: viewport.querySelectorAll('[data-testid="graph-svg"] g.node').length,
    };
    window.__atPicture?.(viewport);
  }
  const svg = viewport.querySelector('[data-testid="graph-svg"]');
  if (svg && svg.querySelector("g.node") && svg !== window.__svg) {
    window.__svg = svg;
    window.__seen.push("svg");
  }
}).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ["data-painted"] });
"""

# The node nearest the viewport's centre: its id, the centre of its box (client px) and its fill.
NEAREST_NODE = """() => {
  const viewport = document.querySelector('[data-testid="graph-viewport"]').getBoundingClientRect();
  const cx = viewport.left + viewport.width / 2;
  const cy = viewport.top + viewport.height / 2;
  let best = null;
  for (const group of document.querySelectorAll('[data-testid="graph-svg"] g.node')) {
    const box = group.getBoundingClientRect();
    const x = box.left + box.width / 2;
    const y = box.top + box.height / 2;
    const d = Math.hypot(x - cx, y - cy);
    if (!best || d < best.d) best = { d, id: group.id, x, y, fill: group.querySelector("polygon, path").getAttribute("fill") };
  }
  return best;
}"""

# The colours of the first picture's pixels where the client point (x, y) of the drawing on
# screen was in the view the picture was last painted for (its data-view: the view may have been
# fitted again to a resized viewport since), and a colour string as rgb. The drawing's point
# comes from pan-zoom's transform of the stage now and the SVG's viewBox.
PICTURE_PIXEL = r"""([x, y, fill]) => {
  const canvas = window.__picture;
  const viewport = document.querySelector('[data-testid="graph-viewport"]');
  const box = viewport.getBoundingClientRect();
  const base = document.querySelector('[data-testid="graph-svg"]').viewBox.baseVal;
  const [tx, ty, k] = viewport.querySelector(".graph-stage").style.transform.match(/-?[\d.]+(e-?\d+)?/g).map(Number);
  const drawingX = base.x + (x - box.left - viewport.clientLeft - tx) / k;
  const drawingY = base.y + (y - box.top - viewport.clientTop - ty) / k;
  const [viewX, viewY, zoom] = canvas.dataset.view.split(" ").map(Number);
  const px = (drawingX - viewX) * zoom;
  const py = (drawingY - viewY) * zoom;
  const ratio = canvas.width / parseFloat(canvas.style.width);
  // The 3 by 3 device pixels around that point: at the fitted zoom a box is a few pixels tall,
  // and its centre can fall on a pixel its border shares.
  const around = canvas.getContext("2d").getImageData(Math.round(px * ratio) - 1, Math.round(py * ratio) - 1, 3, 3).data;
  const picture = [];
  for (let i = 0; i < around.length; i += 4) picture.push([around[i], around[i + 1], around[i + 2]]);
  const probe = document.createElement("canvas").getContext("2d");
  probe.fillStyle = fill;
  probe.fillRect(0, 0, 1, 1);
  return { picture, fill: [...probe.getImageData(0, 0, 1, 1).data.slice(0, 3)] };
}"""


def open_large(page: Page, server: str) -> Playground:
    page.add_init_script(WATCH)
    app = open_program(page, server, CHAIN)
    expect(app.nodes.first).to_be_attached()
    return app


def test_a_large_graph_is_painted_on_a_canvas_first_then_swapped_for_its_svg(
    page: Page, server: str
) -> None:
    app = open_large(page, server)
    assert page.evaluate("window.__seen") == ["picture", "svg"]
    state = page.evaluate("window.__pictureState")
    assert state["svgNodes"] == 0  # the picture came before any SVG node
    assert state["busy"] == "true"  # and the view said so
    viewport = page.get_by_test_id("graph-viewport")
    expect(viewport).to_have_attribute("aria-busy", "false")
    expect(page.get_by_test_id("graph-preview")).to_have_count(0)
    # The view fitted for the picture is the SVG's: nothing refitted it.
    assert viewport.get_attribute("data-zoom") == state["zoom"]
    # The picture drew the SVG's geometry: where a node is now, the canvas had its colour.
    node = page.evaluate(NEAREST_NODE)
    colours = page.evaluate(PICTURE_PIXEL, [node["x"], node["y"], node["fill"]])
    assert colours["fill"] in colours["picture"]
    assert app.nodes.count() > 2_000


def test_zooming_the_first_picture_carries_over_to_the_svg(page: Page, server: str) -> None:
    page.add_init_script(
        """window.__atPicture = (viewport) => {
             window.__atPicture = null;
             viewport.dispatchEvent(new KeyboardEvent("keydown", { key: "+", bubbles: true }));
             window.__zoomedTo = viewport.dataset.zoom;
           };"""
    )
    open_large(page, server)
    assert page.evaluate("window.__seen") == ["picture", "svg"]
    fitted = page.evaluate("window.__pictureState.zoom")
    zoomed = page.evaluate("window.__zoomedTo")
    assert float(zoomed) == pytest.approx(float(fitted) * 1.25, abs=0.002)
    # Not fitted again when the SVG came in.
    expect(page.get_by_test_id("graph-viewport")).to_have_attribute("data-zoom", zoomed)


def test_a_tap_on_the_first_picture_selects_the_node_there_once_the_svg_is_in(
    page: Page, server: str
) -> None:
    app = open_large(page, server)
    node = page.evaluate(NEAREST_NODE)
    # The same graph again, fitted the same way: tap where that node will be, on its picture.
    page.evaluate(
        """([x, y]) => {
             window.__atPicture = (viewport) => {
               window.__atPicture = null;
               const at = { clientX: x, clientY: y, bubbles: true, pointerId: 1, isPrimary: true, button: 0, pointerType: "mouse" };
               viewport.dispatchEvent(new PointerEvent("pointerdown", at));
               viewport.dispatchEvent(new PointerEvent("pointerup", at));
               window.__tappedBeforeSvg = !document.querySelector('[data-testid="graph-svg"] g.node');
             };
           }""",
        [node["x"], node["y"]],
    )
    app.type_program(f"# again\n{CHAIN}")
    app.run()
    assert page.evaluate("window.__tappedBeforeSvg") is True
    expect(app.node_by_id(node["id"])).to_have_attribute("aria-pressed", "true")


def test_after_the_swap_the_minimap_stepper_and_inspector_work_on_the_svg(
    page: Page, server: str
) -> None:
    app = open_large(page, server)
    count = app.nodes.count()
    minimap = page.get_by_test_id("minimap")
    expect(minimap).to_have_attribute("data-nodes", str(count))
    page.get_by_role("button", name="Step forward").click()
    expect(page.get_by_test_id("minimap-running")).to_be_visible()
    node = page.evaluate(NEAREST_NODE)
    page.mouse.click(node["x"], node["y"])
    expect(app.node_by_id(node["id"])).to_have_attribute("aria-pressed", "true")
