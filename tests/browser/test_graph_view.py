"""The graph view (graph-view.js): source lines, hover tracing, tooltips, drawn text."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.playground import Playground

pytestmark = pytest.mark.browser


def test_clicking_an_editor_line_lights_the_nodes_it_created(page: Page, server: str) -> None:
    app = Playground(page, server).open()
    page.get_by_test_id("gutter-line-4").click()  # y = x ** 2 + 3
    expect(app.svg).to_have_class(re.compile("is-tracing"))
    lit = app.svg.locator("g.node.is-line-match")
    expect(lit).to_have_count(3)  # PowBackward0, AddBackward0 and y


def test_hovering_a_node_traces_its_ancestors_and_descendants(page: Page, server: str) -> None:
    app = Playground(page, server).open()
    app.choose_example("two_variables")
    app.node("x scalar, leaf tensor").hover()
    expect(app.svg).to_have_class(re.compile("is-tracing"))
    expect(app.node("z scalar, backward root tensor")).to_have_class(re.compile("is-lineage"))
    expect(app.node("y scalar, leaf tensor")).not_to_have_class(re.compile("is-lineage"))
    page.mouse.move(5, 5)
    expect(app.svg).not_to_have_class(re.compile("is-tracing"))


def test_tooltips_name_nodes_and_edges_once_reached(page: Page, server: str) -> None:
    """Titles are made on first hover or focus; Graphviz's DOT names ("n0", "n1->n0") never show."""
    app = Playground(page, server).open()
    app.choose_example("two_variables")
    titles = app.svg.locator("g.node > title, g.edge > title")
    expect(titles).to_have_count(0)
    x = app.node("x scalar, leaf tensor")
    x.hover()
    expect(x.locator("> title")).to_have_text(re.compile(r"^x · tensor\(2\."))
    edge = app.svg.locator("g.edge").first
    edge.locator("path").first.dispatch_event("pointerover")
    expect(edge.locator("> title")).to_have_text(re.compile(r"^\S+ → \S+$"))
    y = app.node("y scalar, leaf tensor")
    y.focus()
    expect(y.locator("> title")).to_have_text(re.compile(r"^y · tensor\(3\."))
    dot_names = app.svg.locator("g.node, g.edge").evaluate_all("gs => gs.map(g => g.id)")
    assert not set(titles.all_text_contents()) & set(dot_names)


def test_scalar_shape_in_the_drawing_follows_the_language(page: Page, server: str) -> None:
    """The server's SVG says "scalar"; the drawing says it in the reader's language."""
    app = Playground(page, server).open()
    app.choose_example("scalar_chain")
    x_id = app.node("x scalar, leaf tensor").get_attribute("id")
    assert x_id is not None
    x_node = app.node_by_id(x_id)  # its accessible name changes with the language
    expect(x_node.locator("text").last).to_have_text("scalar")
    expect(x_node.locator("text").first).to_have_text("x")
    page.get_by_label("Language").select_option("zh")
    expect(x_node.locator("text").last).to_have_text("标量")
    expect(x_node.locator("text").first).to_have_text("x")  # a name is never translated
    page.get_by_label("语言").select_option("en")
    expect(x_node.locator("text").last).to_have_text("scalar")
