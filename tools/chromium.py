"""Debian's Chromium under Playwright: the one browser the tests and the benchmark drive.

Never a browser build of Playwright's own (``playwright install`` is not run anywhere).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

CHROMIUM = Path(os.environ.get("AGV_CHROMIUM", "/usr/bin/chromium"))
# As the machine's notes require: without the networking switches Chromium keeps trying to reach
# Google's hosts, which this machine refuses.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def launch_chromium(playwright: Playwright) -> Browser:
    """Start the system Chromium, headless."""
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )
