"""Browser tests: a real uvicorn server, and Debian's Chromium driven by Playwright.

The browser is ``/usr/bin/chromium`` (``scripts/setup.sh --test`` installs it); Playwright never
downloads one. Each launch gets a fresh profile directory from Playwright, and each test a fresh
browser context (its own storage), so no test sees another's language choice or history.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tools.chromium import CHROMIUM, launch_chromium

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture(scope="session")
def server(live_server: str) -> str:
    """The app under uvicorn (the session's shared server, see tests/conftest.py)."""
    return live_server


@pytest.fixture(scope="session")
def api(server: str) -> Callable[[str], dict[str, Any]]:
    """POST a program to the running server's API and return the JSON answer."""

    def run(code: str) -> dict[str, Any]:
        response = httpx.post(f"{server}/api/graph", json={"code": code}, timeout=30)
        response.raise_for_status()
        body: dict[str, Any] = response.json()
        return body

    return run


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: run `bash scripts/setup.sh --test`")
    with sync_playwright() as playwright:
        launched = launch_chromium(playwright)
        yield launched
        launched.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Keep each phase's report on the test item, so fixtures can tell whether the test failed."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    setattr(item, f"report_{report.when}", report)


def new_context(browser: Browser, **options: Any) -> BrowserContext:
    """A fresh context: fixed viewport, English, light theme, no animations (for stable pixels)."""
    settings: dict[str, Any] = {
        "viewport": DESKTOP,
        "locale": "en-US",
        "color_scheme": "light",
        "reduced_motion": "reduce",
        "accept_downloads": True,
    }
    settings.update(options)
    context = browser.new_context(**settings)
    context.set_default_timeout(20_000)
    return context


@pytest.fixture
def context(browser: Browser, request: pytest.FixtureRequest) -> Iterator[BrowserContext]:
    """A fresh browser context; on failure every page it has is saved to test-artifacts/."""
    ctx = new_context(browser)
    errors: list[str] = []
    ctx.on("weberror", lambda error: errors.append(str(error.error)))
    yield ctx
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid.split("::", 1)[-1])
        for index, open_page in enumerate(ctx.pages):
            try:
                open_page.screenshot(path=str(ARTIFACTS / f"{name}-{index}.png"), full_page=True)
            except Exception as exc:  # noqa: BLE001 - a failed screenshot must not hide the failure
                print(f"screenshot of page {index} failed: {exc}")
    ctx.close()
    assert not errors, f"uncaught errors in the page: {errors}"


@pytest.fixture
def page(context: BrowserContext) -> Page:
    """A page in a fresh context."""
    return context.new_page()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output free of one line per request."""


@pytest.fixture(scope="session")
def course_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A static 'course page' host on another port (so another origin than the app)."""
    root = tmp_path_factory.mktemp("course")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", root
    finally:
        httpd.shutdown()
        httpd.server_close()
