"""The 20-layer MLP's folded first picture in the playground (issue 15, point 7).

Gallery example ``twenty_layer_mlp`` opens folded by module (a dozen boxes, the 20 identical
blocks as one marked x20). Each run types it with a new leaf (``with_run_leaf``: no cache
answers) and clicks Run against the real server; the time runs, in the page's own clock, from
the /api/graph answer's arrival to the first painted frame that holds the folded drawing. The
page-side watch is the one ``bench/large_drawing.py`` uses for the 20,000-node graph.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bench.bare_page import click_run, wait_until
from bench.browser import _MARK_OLD, _RUNS, not_measured
from bench.client import GRAPH
from bench.large_drawing import _ANSWER_TO_PICTURE, _WATCH_DRAWING
from bench.programs import gallery, with_run_leaf
from tools.chromium import launch_chromium

FOLDED_EXAMPLE = "twenty_layer_mlp"
# The folded drawing (module-fold-view.js marks its <svg> data-folded), not the one before it.
_FOLDED = '[data-testid="graph-svg"][data-folded]:not([data-bench-old]) g.node'


@dataclass
class FoldedPicture:
    """What the browser measured on the folded example, or why it could not."""

    note: str = ""
    nodes: int = 0  # boxes in the folded drawing
    response_to_picture: list[float] = field(default_factory=list)  # ms

    @property
    def measured(self) -> bool:
        """Whether the folded drawing was painted at least once."""
        return bool(self.response_to_picture)


def measure_folded_picture(base: str, repeats: int = 5) -> FoldedPicture:
    """Run the folded example ``repeats`` times after one warm-up run, each a new program text."""
    try:
        code = next(p.code for p in gallery() if p.name == FOLDED_EXAMPLE)
        return _drive(base, code, repeats)
    except Exception as exc:  # noqa: BLE001 - any failure means "not measured", with the reason
        return FoldedPicture(note=not_measured(exc))


def _drive(base: str, code: str, repeats: int) -> FoldedPicture:
    from playwright.sync_api import sync_playwright

    result = FoldedPicture()
    with sync_playwright() as driver:
        browser = launch_chromium(driver)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(f"{base}/", wait_until="networkidle")
            wait_until(page, "Number(document.body.dataset.runs || 0) > 0")
            for run in range(repeats + 1):  # the first run warms the page's code paths
                after, nodes = _draw(page, with_run_leaf(code, next(_RUNS)))
                if run:
                    result.response_to_picture.append(after)
                result.nodes = nodes
        finally:
            browser.close()
    return result


def _draw(page: Any, code: str) -> tuple[float, int]:
    """Type ``code``, click Run; ms from the answer's arrival to the folded drawing, painted."""
    page.get_by_test_id("code-input").fill(code)
    page.wait_for_load_state("networkidle")
    page.evaluate(_MARK_OLD)
    page.evaluate(_WATCH_DRAWING, [_FOLDED, _FOLDED])
    with page.expect_response(lambda response: response.url.endswith(GRAPH)) as answer:
        click_run(page)
    answer.value.finished()
    wait_until(page, "window.__benchSettled", timeout_ms=30_000)
    after: list[float] | None = page.evaluate(_ANSWER_TO_PICTURE, GRAPH)
    if after is None:
        raise RuntimeError("the page has no resource timing of the answer")
    return after[0], int(page.locator(_FOLDED).count())
