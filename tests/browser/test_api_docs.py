"""/docs in Chromium: Swagger UI from the app's own files shows the API under the page's CSP,
with no request to any other origin (issue 16, point 6)."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext

pytestmark = pytest.mark.browser


def test_swagger_ui_renders_the_api_offline_under_its_csp(
    context: BrowserContext, server: str
) -> None:
    page = context.new_page()
    requested: list[str] = []
    console: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("console", lambda message: console.append(message.text))
    page.goto(f"{server}/docs")
    page.get_by_text("/api/graph", exact=True).first.wait_for()
    assert page.get_by_text("/healthz/ready", exact=True).first.is_visible()
    operation = page.locator("#operations-graph-create_graph_api_graph_post")
    operation.get_by_role("button").first.click()  # opens it: Swagger UI's own scripts run
    page.get_by_text("Request body").first.wait_for()
    assert [url for url in requested if not url.startswith(server)] == []
    assert [line for line in console if "Content Security Policy" in line] == []
