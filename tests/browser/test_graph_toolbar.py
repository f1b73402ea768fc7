"""The graph toolbar (graph-toolbar.js): zoom buttons and fit."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.playground import Playground

pytestmark = pytest.mark.browser


def test_zoom_buttons_and_fit(page: Page, server: str) -> None:
    Playground(page, server).open()
    viewport = page.get_by_test_id("graph-viewport")
    start = float(viewport.get_attribute("data-zoom") or 0)
    page.get_by_role("button", name="Zoom in").click()
    assert float(viewport.get_attribute("data-zoom") or 0) > start
    page.get_by_role("button", name="Zoom out").click()
    page.get_by_role("button", name="Zoom out").click()
    assert float(viewport.get_attribute("data-zoom") or 0) < start
    page.get_by_role("button", name="Fit to screen").click()
    assert float(viewport.get_attribute("data-zoom") or 0) == pytest.approx(start, rel=1e-3)
