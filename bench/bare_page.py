"""Driving the playground in the benchmark without Playwright's page-side helpers.

Several Playwright calls (``locator.click``, ``bounding_box``, ``wait_for_selector``,
``wait_for_function``, ``scroll_into_view_if_needed``) load its injected script into the page,
which adds capturing, non-passive ``touchstart``, ``touchend`` and ``touchcancel`` listeners to
the window for good. While any blocking touch (or wheel) listener exists in a page, Chromium
works out, in each frame that moves a composited drawing, where input must wait for script over
every shape of it: 10-15 ms a frame for a 20,000-node drawing zoomed out. No user's page has
those listeners, so the frames the benchmark times must not either: the pages it times are
driven with ``page.evaluate`` (run in the page's own world, no injected script), the raw mouse
and keyboard, ``locator.fill`` and ``locator.count`` (which add none; checked in
``tests/browser/test_bench_bare_page.py``).
"""

from __future__ import annotations

import json
from string import Template
from typing import Any

# Resolves once `predicate` (a JavaScript expression, written into the function's text: the page's
# content security policy allows no eval of its own) is truthy, checked every `poll` ms; rejects
# after `timeout` ms.
_WAIT = Template("""() => new Promise((resolve, reject) => {
  const started = performance.now();
  const check = () => {
    if ($predicate) resolve(true);
    else if (performance.now() - started > $timeout) reject(new Error("not true in $timeout ms: " + $said));
    else setTimeout(check, $poll);
  };
  check();
})""")
_BOX = """(selector) => {
  const found = document.querySelector(selector);
  if (!found) return null;
  const { x, y, width, height } = found.getBoundingClientRect();
  return { x, y, width, height };
}"""


def wait_until(page: Any, predicate: str, timeout_ms: float = 30_000, poll_ms: float = 100) -> None:
    """Wait until the JavaScript expression ``predicate`` is true in the page."""
    page.evaluate(
        _WAIT.substitute(
            predicate=f"({predicate})", timeout=timeout_ms, poll=poll_ms, said=json.dumps(predicate)
        )
    )


def wait_for_element(page: Any, selector: str, timeout_ms: float = 30_000) -> None:
    """Wait until an element matching ``selector`` is in the page (checked every 20 ms)."""
    wait_until(page, f"document.querySelector({json.dumps(selector)})", timeout_ms, poll_ms=20)


def client_box(page: Any, selector: str) -> dict[str, float]:
    """The first element matching ``selector``: its box in the window (CSS px)."""
    box: dict[str, float] | None = page.evaluate(_BOX, selector)
    if box is None:
        raise RuntimeError(f"nothing in the page matches {selector}")
    return box


def click_run(page: Any) -> None:
    """Click the playground's Run button as a user does: the mouse, at its centre, on screen."""
    box = client_box(page, "#run")
    size = page.viewport_size
    if size is None or not 0 <= box["y"] + box["height"] / 2 <= size["height"]:
        raise RuntimeError("the Run button is not on screen")
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
