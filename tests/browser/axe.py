"""axe-core in the browser tests: the npm package's axe.min.js, run inside the page under test.

The script is evaluated through Playwright (the DevTools protocol), which the page's Content
Security Policy does not govern: the product's CSP stays as it is (``script-src 'self'``) and
nothing is added to the page's DOM. ``scripts/setup.sh --test`` installs it (``npm ci``).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from playwright.sync_api import Frame, Page

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# What the issue asks for: no violation of these impacts anywhere.
BLOCKING = {"serious", "critical"}


@cache
def axe_source() -> str:
    """The text of axe.min.js (pinned in package-lock.json)."""
    if not AXE_JS.exists():
        raise FileNotFoundError(f"{AXE_JS} is missing: run `bash scripts/setup.sh --test`")
    return AXE_JS.read_text(encoding="utf-8")


def inject(page: Page) -> None:
    """Load axe into the page and into each of its frames (their checks report to the top)."""
    for frame in page.frames:
        load(frame)


def load(frame: Frame) -> None:
    """Load axe into one frame, once."""
    if not frame.evaluate("() => typeof window.axe === 'object'"):
        frame.evaluate(axe_source())
        # The embeds are of another origin than the course page: let the frames report back.
        frame.evaluate("() => axe.configure({ allowedOrigins: ['<unsafe_all_origins>'] })")


def violations(page: Page) -> list[dict[str, Any]]:
    """axe's violations on the whole page, its frames included: id, impact, and where."""
    inject(page)
    found: list[dict[str, Any]] = page.evaluate(
        """async () => {
            const result = await axe.run(document, { resultTypes: ["violations"] });
            return result.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                nodes: v.nodes.map((n) => ({ target: n.target, summary: n.failureSummary })),
            }));
        }"""
    )
    return found


def checks_inside_frames(page: Page) -> int:
    """How many elements inside the page's frames axe checked (rules passed there): proof that
    a page of iframes was looked into, not only its outer document."""
    inject(page)
    count: int = page.evaluate(
        """async () => {
            const result = await axe.run(document, { resultTypes: ["passes"] });
            return result.passes.flatMap((rule) => rule.nodes).filter((node) => node.target.length > 1).length;
        }"""
    )
    return count


def blocking(page: Page) -> list[dict[str, Any]]:
    """The serious and critical violations (what the tests forbid)."""
    return [found for found in violations(page) if found["impact"] in BLOCKING]
