"""Share links (share-dialog.js, program-link.js, share.js): a link reproduces the graph, and
the address follows the program."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.playground import Playground, share_link

pytestmark = pytest.mark.browser


def node_summary(app: Playground) -> list[tuple[str, str]]:
    return sorted(app.nodes.evaluate_all("ns => ns.map(n => [n.id, n.getAttribute('aria-label')])"))


def test_share_link_reproduces_the_graph(context: BrowserContext, server: str) -> None:
    app = Playground(context.new_page(), server).open()
    app.choose_example("two_variables")
    app.type_program(app.editor_value().replace("3.0", "5.0"))
    app.run()
    link = share_link(app.page)
    expect(app.page.get_by_test_id("share-iframe")).to_have_value(
        re.compile(r'^<iframe src="http://[^"]+/embed#')
    )
    expect(app.page.get_by_test_id("share-script")).to_have_value(re.compile(r"static/embed\.js"))

    other = Playground(context.new_page(), server)
    other.page.goto(link)
    other.wait_for_run(0)
    assert other.editor_value() == app.editor_value()
    expect(other.nodes).to_have_count(app.nodes.count())
    assert node_summary(other) == node_summary(app)
    expect(other.page.get_by_test_id("stdout")).to_contain_text("dz/dy = tensor(75.)")


def test_the_address_carries_the_program_that_ran(page: Page, server: str) -> None:
    """After a run the fragment is its program; going back to an older fragment reopens it."""
    app = Playground(page, server).open()
    expect(page).to_have_url(re.compile(r"/#[zp]=[\w-]+$"))
    first = page.url
    app.choose_example("two_variables")
    expect(page).not_to_have_url(first)
    before = app.runs()
    page.evaluate("fragment => { location.hash = fragment; }", first.split("#", 1)[1])
    app.wait_for_run(before)
    expect(page.get_by_label("Example")).to_have_value("scalar_chain")
    expect(app.nodes).to_have_count(6)
    assert page.url == first
