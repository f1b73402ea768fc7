"""The playground in Debian's Chromium, driven by Playwright: time to the first picture, frames.

Never downloads a browser: it launches /usr/bin/chromium. Each program is typed into the
editor with a new leaf (so no cache answers), then Run is clicked; the time runs until the
new graph SVG (`data-testid="graph-svg"`, a fresh element each render) holds its nodes.
"""

from __future__ import annotations

import itertools
import time
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from bench.bare_page import click_run, client_box, wait_for_element
from bench.client import GRAPH
from bench.programs import with_run_leaf
from bench.stats import Summary
from tools.chromium import launch_chromium

# Program texts no other part of the bench sends, so no cache answers them.
_RUNS = itertools.count(10**9)
_NEW_SVG = '[data-testid="graph-svg"]:not([data-bench-old]) g.node'
_MARK_OLD = (
    "document.querySelectorAll('[data-testid=\"graph-svg\"]')"
    ".forEach((svg) => svg.setAttribute('data-bench-old', ''))"
)
# requestAnimationFrame intervals while the page is panned and zoomed.
_WATCH_FRAMES = """() => {
  window.__benchFrames = [];
  let last = performance.now();
  const tick = (now) => {
    window.__benchFrames.push(now - last);
    last = now;
    if (!window.__benchStop) requestAnimationFrame(tick);
  };
  window.__benchStop = false;
  requestAnimationFrame(tick);
}"""


@dataclass
class BrowserSample:
    """One program drawn several times in the playground (ms)."""

    program: str
    nodes: int
    click_to_svg: list[float] = field(default_factory=list)
    response_to_svg: list[float] = field(default_factory=list)


@dataclass
class BrowserResult:
    """What the browser measured, or why it could not."""

    note: str = ""
    samples: list[BrowserSample] = field(default_factory=list)
    frames_program: str = ""
    frames: list[float] = field(default_factory=list)

    @property
    def measured(self) -> bool:
        """Whether any program was drawn."""
        return bool(self.samples)


def measure_browser(
    base: str, programs: list[tuple[str, str]], frames_index: int, repeats: int = 3
) -> BrowserResult:
    """Draw each ``(label, code)`` ``repeats`` times; pan and zoom the one at ``frames_index``."""
    try:
        with urllib.request.urlopen(f"{base}/", timeout=5) as page:
            html = page.read().decode()
    except OSError as exc:
        return BrowserResult(note=f"not measured yet: the playground at `/` is not served ({exc})")
    if "<script" not in html:
        return BrowserResult(note="not measured yet: the page at `/` has no script")
    try:
        return _drive(base, programs, frames_index, repeats)
    except Exception as exc:  # noqa: BLE001 - any failure means "not measured", with the reason
        return BrowserResult(note=not_measured(exc))


def not_measured(exc: BaseException) -> str:
    """Why a browser measurement has no figure: the exception's type and first line."""
    reason = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
    return f"not measured yet: {type(exc).__name__}: {reason}"


def _drive(
    base: str, programs: list[tuple[str, str]], frames_index: int, repeats: int
) -> BrowserResult:
    from playwright.sync_api import sync_playwright

    result = BrowserResult()
    with sync_playwright() as driver:
        browser = launch_chromium(driver)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(f"{base}/", wait_until="networkidle")
            for index, (label, code) in enumerate(programs):
                sample = BrowserSample(label, 0)
                for run in range(repeats + 1):  # the first run warms the page's code paths
                    click, after, nodes = _draw(page, with_run_leaf(code, next(_RUNS)))
                    if run:
                        sample.click_to_svg.append(click)
                        sample.response_to_svg.append(after)
                    sample.nodes = nodes
                result.samples.append(sample)
                if index == frames_index:
                    result.frames_program = label
                    result.frames = pan_and_zoom(page)
        finally:
            browser.close()
    return result


def _draw(page: Any, code: str) -> tuple[float, float, int]:
    """Type ``code``, click Run; ms from click and from the response to the drawn SVG."""
    page.get_by_test_id("code-input").fill(code)
    page.wait_for_load_state("networkidle")
    page.evaluate(_MARK_OLD)
    clicked = time.perf_counter()
    with page.expect_response(lambda response: response.url.endswith(GRAPH)) as answer:
        click_run(page)
    answer.value.finished()
    answered = time.perf_counter()
    wait_for_element(page, _NEW_SVG)
    drawn = time.perf_counter()
    nodes = int(page.locator(_NEW_SVG).count())
    return (drawn - clicked) * 1000, (drawn - answered) * 1000, nodes


def pan_and_zoom(page: Any) -> list[float]:
    """Frame intervals (ms) while the wheel zooms and the mouse drags the graph."""
    viewport = client_box(page, '[data-testid="graph-viewport"]')
    x = viewport["x"] + viewport["width"] / 2
    y = viewport["y"] + viewport["height"] / 2
    page.mouse.move(x, y)
    page.evaluate(_WATCH_FRAMES)
    for step in range(30):
        page.mouse.wheel(0, -120 if step < 15 else 120)
        page.wait_for_timeout(16)
    page.mouse.down()
    for step in range(30):
        page.mouse.move(x + 8 * (step % 15), y + 5 * (step % 15))
        page.wait_for_timeout(16)
    page.mouse.up()
    page.evaluate("window.__benchStop = true")
    frames: list[float] = page.evaluate("window.__benchFrames")
    return frames[1:]  # the first interval starts before the first frame


def frames_summary(frames: list[float]) -> str:
    """Frame intervals as p50 / p95 / max and the share of frames slower than 33 ms."""
    spread = Summary.of(frames)
    slow = sum(frame > 33.4 for frame in frames) / max(len(frames), 1)
    return (
        f"{len(frames)} frames: interval p50 {spread.p50:.1f} / p95 {spread.p95:.1f} /"
        f" max {spread.max:.1f} ms; {slow:.0%} slower than 33 ms"
    )
