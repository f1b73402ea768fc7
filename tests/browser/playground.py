"""The playground as the browser tests see it: roles, labels and test ids, never CSS paths."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect


class Playground:
    """A page showing `/` or `/embed`, with the few moves the tests make."""

    def __init__(self, page: Page, base: str) -> None:
        self.page = page
        self.base = base

    # --- navigation and runs ---------------------------------------------------------------
    def runs(self) -> int:
        return int(self.page.locator("body").get_attribute("data-runs") or 0)

    def wait_for_run(self, after: int) -> None:
        """Wait until a run that started after `after` finished runs has been shown."""
        expect(self.page.locator("body")).to_have_attribute("data-runs", re.compile(r"\d+"))
        self.page.wait_for_function(
            "n => Number(document.body.dataset.runs || 0) > n", arg=after, timeout=30_000
        )

    def open(self, path: str = "/") -> Playground:
        self.page.goto(self.base + path)
        self.wait_for_run(0)
        return self

    def choose_example(self, example_id: str) -> None:
        before = self.runs()
        self.page.get_by_label("Example").select_option(example_id)
        self.wait_for_run(before)

    def type_program(self, code: str) -> None:
        editor = self.page.get_by_role("textbox", name="Program")
        editor.fill(code)

    def run(self) -> None:
        before = self.runs()
        self.page.get_by_role("button", name="Run").click()
        self.wait_for_run(before)

    # --- the graph -----------------------------------------------------------------------------
    @property
    def svg(self) -> Locator:
        return self.page.get_by_test_id("graph-svg")

    @property
    def nodes(self) -> Locator:
        """Every node shape of the graph (Graphviz's and ours are <g class="node">)."""
        return self.svg.locator("g.node")

    def node(self, accessible_name: str) -> Locator:
        return self.page.get_by_role("button", name=accessible_name, exact=True)

    def node_by_id(self, node_id: str) -> Locator:
        return self.svg.locator(f'g.node[id="{node_id}"]')

    def edge_by_id(self, edge_id: str) -> Locator:
        return self.svg.locator(f'g.edge[id="{edge_id}"]')

    # --- panels ------------------------------------------------------------------------------
    @property
    def inspector(self) -> Locator:
        return self.page.get_by_test_id("inspector")

    @property
    def caption(self) -> Locator:
        return self.page.get_by_test_id("stepper-caption")

    @property
    def step_count(self) -> Locator:
        return self.page.get_by_test_id("stepper-count")

    def editor_value(self) -> str:
        return self.page.get_by_role("textbox", name="Program").input_value()


def share_link(page: Page) -> str:
    """Open the share dialog and return the link it shows."""
    page.get_by_role("button", name="Share").click()
    dialog = page.get_by_role("dialog", name="Share this graph")
    expect(dialog).to_be_visible()
    link = dialog.get_by_label("Link").input_value()
    assert re.search(r"/#[zp]=[\w-]+(&\w+=[\w%.-]+)*$", link), link
    return link
