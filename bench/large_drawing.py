"""A 20,000-node graph in the playground (issue 15, point 7): first picture and pan/zoom frames.

The page is fed a recorded answer (the bench server's own answer to a 10,000-op chain, whole
under its node limit), through Playwright's request routing. The time
runs, in the page's own clock, from that answer's arrival to the first painted frame of its
drawing: the canvas picture the graph view paints first for large drawings (drawing-preview.js)
once it holds the drawing, or the SVG if that comes first. The time to the first painted frame of
the interactive SVG (nodes one can click, focus, search) is the second figure.

Frames are then counted while the wheel zooms and the mouse drags the drawn graph, as
``bench/browser.py`` does for the 5,000-node graph: what a user feels panning and zooming a
graph on screen. So the gesture starts once the interactive SVG is in and the page is idle:
the viewport no longer aria-busy, and the work that follows a drawing (the nodes' names
written a chunk per task, the minimap's boxes) done, taken as three animation frames in a row
no longer than 25 ms (waited for at most 20 s). Started earlier, the frames would time that
work, not the gesture.
"""

from __future__ import annotations

import json
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from bench.bare_page import click_run, wait_until
from bench.browser import not_measured, pan_and_zoom
from bench.client import GRAPH
from bench.programs import chain
from tools.chromium import launch_chromium

LARGE_NODES = 20_000
LARGE_PROGRAM = chain(10_000)
_NEW_SVG = '[data-testid="graph-svg"]:not([data-bench-old]) g.node'
_PREVIEW = '[data-testid="graph-preview"][data-painted]'


@dataclass
class LargeDrawing:
    """What the browser measured on the 20,000-node graph, or why it could not."""

    note: str = ""
    nodes: int = 0
    source: str = ""  # where the recorded answer came from
    response_to_picture: list[float] = field(default_factory=list)  # ms, first picture
    response_to_svg: list[float] = field(default_factory=list)  # ms, the interactive SVG
    frames: list[float] = field(default_factory=list)  # ms between animation frames

    @property
    def measured(self) -> bool:
        """Whether the graph was drawn at least once."""
        return bool(self.response_to_picture)


def post_program(base: str, code: str, timeout_s: float = 120) -> bytes:
    """The server's JSON answer to ``code``, as bytes."""
    request = urllib.request.Request(
        f"{base}{GRAPH}",
        data=json.dumps({"code": code}).encode(),
        headers={"content-type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=timeout_s) as answer:
        body: bytes = answer.read()
    return body


def record_answer(base: str) -> tuple[bytes, str]:
    """The bench server's whole answer to the 10,000-op chain (about 20,000 nodes)."""
    body = post_program(base, LARGE_PROGRAM)
    graph = json.loads(body)
    if len(graph.get("nodes", [])) < LARGE_NODES:
        error = (graph.get("error") or {}).get("type") or "cut"
        raise RuntimeError(f"the server's answer has {len(graph.get('nodes', []))} nodes ({error})")
    return body, "the bench's server"


def measure_large_drawing(base: str, repeats: int = 3) -> LargeDrawing:
    """Draw the recorded 20,000-node answer ``repeats`` times in the playground; pan and zoom it."""
    try:
        body, source = record_answer(base)
        result = _drive(base, body, repeats)
        result.source = source
        return result
    except Exception as exc:  # noqa: BLE001 - any failure means "not measured", with the reason
        return LargeDrawing(note=not_measured(exc))


def _drive(base: str, body: bytes, repeats: int) -> LargeDrawing:
    from playwright.sync_api import sync_playwright

    result = LargeDrawing()
    with sync_playwright() as driver:
        browser = launch_chromium(driver)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(f"{base}/", wait_until="networkidle")
            # The first example's answer comes from the server; only the runs below are routed.
            wait_until(page, "Number(document.body.dataset.runs || 0) > 0")
            page.route(
                f"**{GRAPH}",
                lambda route: route.fulfill(
                    status=200, body=body, headers={"content-type": "application/json"}
                ),
            )
            for run in range(repeats + 1):  # the first run warms the page's code paths
                picture, interactive, nodes = _draw(page, run)
                if run:
                    result.response_to_picture.append(picture)
                    result.response_to_svg.append(interactive)
                result.nodes = nodes
            page.evaluate(_WAIT_IDLE)
            result.frames = pan_and_zoom(page)
        finally:
            browser.close()
    return result


# In the page's own clock: when the answer's last byte arrived (resource timing), and when the
# first frame after the picture (a canvas holding the drawing, or the new SVG's nodes) joined the
# page was painted (a task after that frame's requestAnimationFrame); the same for the SVG's
# nodes alone. The canvas is marked data-painted in the task that paints the drawing on it.
# Playwright's own view of the answer comes over its pipe, late.
_WATCH_DRAWING = """([svg, picture]) => {
  performance.clearResourceTimings();
  const viewport = document.getElementById("graph-viewport");
  const painted = (selector) => new Promise((resolve) => {
    const seen = () => viewport.querySelector(selector);
    const watch = new MutationObserver(() => {
      if (!seen()) return;
      watch.disconnect();
      requestAnimationFrame(() => setTimeout(() => resolve(performance.now())));
    });
    watch.observe(viewport, { childList: true, subtree: true, attributes: true, attributeFilter: ["data-painted"] });
  });
  window.__benchPainted = [painted(`${picture}, ${svg}`), painted(svg)];
  Promise.all(window.__benchPainted).then(() => (window.__benchSettled = true));
}"""
_ANSWER_TO_PICTURE = """async (graph) => {
  const [picture, svg] = await Promise.all(window.__benchPainted);
  const answer = performance.getEntriesByType("resource").filter((e) => e.name.endsWith(graph)).at(-1);
  return answer ? [picture - answer.responseEnd, svg - answer.responseEnd] : null;
}"""


# The drawing in and the page idle (see the module's docstring): no aria-busy, then three
# animation frames in a row of at most 25 ms, or 20 s gone.
_WAIT_IDLE = """() => new Promise((resolve) => {
  const viewport = document.getElementById("graph-viewport");
  const started = performance.now();
  let last = 0;
  let calm = 0;
  const tick = (now) => {
    const busy = viewport.getAttribute("aria-busy") === "true";
    calm = !busy && last && now - last <= 25 ? calm + 1 : 0;
    last = now;
    if (calm >= 3 || now - started > 20000) resolve(now - started);
    else requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})"""


def _draw(page: Any, run: int) -> tuple[float, float, int]:
    """Run (the route answers); ms from the answer's arrival to the first picture and to the
    interactive SVG, painted; the SVG's nodes."""
    page.get_by_test_id("code-input").fill(f"# run {run}\n{LARGE_PROGRAM}")
    page.evaluate(
        "document.querySelectorAll('[data-testid=\"graph-svg\"]')"
        ".forEach((svg) => svg.setAttribute('data-bench-old', ''))"
    )
    page.evaluate(_WATCH_DRAWING, [_NEW_SVG, _PREVIEW])
    with page.expect_response(
        lambda response: response.url.endswith(GRAPH), timeout=180_000
    ) as answer:
        click_run(page)
    answer.value.finished()
    # Polled slowly: a selector polled on every frame would query 20,000 nodes in the page's time.
    wait_until(page, "window.__benchSettled", timeout_ms=180_000, poll_ms=500)
    after: list[float] | None = page.evaluate(_ANSWER_TO_PICTURE, GRAPH)
    if after is None:
        raise RuntimeError("the page has no resource timing of the answer")
    return after[0], after[1], int(page.locator(_NEW_SVG).count())
