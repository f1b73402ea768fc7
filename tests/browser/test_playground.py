"""The playground at `/`: gallery, graph, inspector, stepper, errors, views, export, languages."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from app.examples import get_example, load_examples
from tests.browser.playground import Playground

pytestmark = pytest.mark.browser

Api = Callable[[str], dict[str, Any]]
SCALAR_CHAIN = "scalar_chain"
NONSCALAR_BACKWARD = """x = torch.arange(4.0, requires_grad=True)
y = x * 2
y.backward()
print("never printed")
"""


def example_code(example_id: str) -> str:
    example = get_example(example_id)
    assert example is not None
    return example.code


def test_playground_opens_on_the_first_example(page: Page, server: str, api: Api) -> None:
    app = Playground(page, server).open()
    expect(page).to_have_title(re.compile("autograd-viz"))
    expect(page.get_by_role("button", name="Run")).to_be_visible()
    expect(page.get_by_label("Example")).to_have_value(load_examples()[0].id)
    expect(page.get_by_label("Example").locator("option")).to_have_count(len(load_examples()) + 1)
    expected = api(example_code(SCALAR_CHAIN))
    expect(app.nodes).to_have_count(len(expected["nodes"]))
    expect(page.get_by_test_id("stdout")).to_have_text(expected["stdout"].strip())
    expect(page.get_by_test_id("status")).to_contain_text("6 nodes")


@pytest.mark.parametrize("example_id", [example.id for example in load_examples()])
def test_gallery_example_draws_every_node(
    page: Page, server: str, api: Api, example_id: str
) -> None:
    app = Playground(page, server).open()
    if example_id != load_examples()[0].id:
        app.choose_example(example_id)
    expected = api(example_code(example_id))
    expect(app.nodes).to_have_count(len(expected["nodes"]))
    shown = sorted(app.nodes.evaluate_all("nodes => nodes.map(n => n.id)"))
    assert shown == sorted(node["id"] for node in expected["nodes"])
    expect(page.get_by_test_id("error-panel")).to_be_hidden()


def test_clicking_leaf_x_shows_its_grad(page: Page, server: str) -> None:
    app = Playground(page, server).open()
    app.node("x: leaf tensor, scalar").click()
    expect(app.inspector).to_contain_text("56")
    expect(page.get_by_test_id("inspector-grad")).to_have_text("tensor(56.)")
    expect(page.get_by_test_id("inspector-value")).to_have_text("tensor(2.)")
    expect(app.inspector).to_contain_text("is_leaf")
    expect(app.node("x: leaf tensor, scalar")).to_have_attribute("aria-pressed", "true")


def test_inspector_source_line_highlights_the_editor_line(page: Page, server: str) -> None:
    app = Playground(page, server).open()
    app.node("y: non-leaf tensor, scalar").click()
    page.get_by_test_id("inspector-line").click()
    expect(page.get_by_test_id("gutter-line-4")).to_have_class(re.compile("is-highlighted"))


def test_clicking_an_editor_line_lights_the_nodes_it_created(page: Page, server: str) -> None:
    app = Playground(page, server).open()
    page.get_by_test_id("gutter-line-4").click()  # y = x ** 2 + 3
    expect(app.svg).to_have_class(re.compile("is-tracing"))
    lit = app.svg.locator("g.node.is-line-match")
    expect(lit).to_have_count(3)  # PowBackward0, AddBackward0 and y


def test_saved_tensor_links_to_its_node(page: Page, server: str) -> None:
    app = Playground(page, server).open()
    app.node_by_id("n1").click()  # z's PowBackward0 saved `self`, which is y
    saved = page.get_by_test_id("inspector-saved")
    expect(saved).to_contain_text("exponent")
    saved.get_by_role("button", name="→ y").click()
    expect(page.get_by_test_id("inspector-value")).to_have_text("tensor(7.)")


def test_backward_stepper_walks_the_scalar_chain(page: Page, server: str) -> None:
    app = Playground(page, server).open()
    forward = page.get_by_role("button", name="Step forward")
    expect(app.step_count).to_have_text("step 0 / 4")
    expect(app.caption).to_contain_text("backward() on line 6 starts at z")

    forward.click()
    expect(app.step_count).to_have_text("step 1 / 4")
    expect(app.node_by_id("n1")).to_have_class(re.compile("is-running"))
    expect(app.caption).to_contain_text("PowBackward0 (line 5) runs")
    expect(app.svg.locator('.grad-label[data-edge="e2"] text')).to_have_text("∂ 14.")

    forward.click()
    forward.click()
    expect(app.node_by_id("n3")).to_have_class(re.compile("is-running"))
    expect(app.svg.locator('.grad-label[data-edge="e4"] text')).to_have_text("∂ 56.")
    expect(app.svg.locator(".grad-badge")).to_have_count(0)

    forward.click()
    expect(app.step_count).to_have_text("step 4 / 4")
    expect(forward).to_be_disabled()
    expect(app.svg.locator('.grad-badge[data-node="n4"] text')).to_have_text([".grad", "56."])
    expect(app.caption).to_contain_text("x.grad, which is now tensor(56.)")

    page.get_by_role("button", name="Step back").click()
    expect(app.step_count).to_have_text("step 3 / 4")
    expect(app.svg.locator(".grad-badge")).to_have_count(0)

    page.get_by_role("button", name="Reset").click()
    expect(app.step_count).to_have_text("step 0 / 4")
    expect(app.svg.locator(".is-running")).to_have_count(0)

    page.get_by_role("button", name="Play").click()
    expect(page.get_by_role("button", name="Pause")).to_be_visible()
    expect(app.step_count).to_have_text("step 4 / 4", timeout=20_000)
    expect(page.get_by_role("button", name="Play")).to_be_visible()


def test_grad_accumulates_across_backward_passes(page: Page, server: str) -> None:
    app = Playground(page, server).open()
    app.choose_example("grad_accumulation")
    passes = page.get_by_label("Backward pass to step through")
    expect(passes.locator("option")).to_have_count(2)
    page.get_by_test_id("stepper-slider").fill("2")
    expect(app.svg.locator(".grad-badge text")).to_have_text([".grad", "[2., 4.]"])
    passes.select_option("1")
    expect(app.svg.locator(".grad-badge text")).to_have_text([".grad (pass 1)", "[2., 4.]"])
    page.get_by_test_id("stepper-slider").fill("2")
    expect(app.svg.locator(".grad-badge text")).to_have_text([".grad", "[4., 8.]"])


def test_runtime_error_marks_its_line_with_message_and_hint(page: Page, server: str) -> None:
    app = Playground(page, server).open()
    app.type_program(NONSCALAR_BACKWARD)
    app.run()
    expect(page.get_by_test_id("gutter-line-3")).to_have_class(re.compile("is-error"))
    expect(page.get_by_test_id("gutter-line-2")).not_to_have_class(re.compile("is-error"))
    panel = page.get_by_role("alert")
    expect(panel).to_contain_text("RuntimeError")
    expect(panel).to_contain_text("grad can be implicitly created only for scalar outputs")
    expect(page.get_by_test_id("error-hint")).to_contain_text("y.sum().backward()")
    expect(page.get_by_test_id("error-line")).to_have_text("line 3")
    # The graph is the state at the failing line.
    expect(app.nodes).to_have_count(3)
    page.get_by_label("Language").select_option("zh")
    expect(page.get_by_test_id("error-hint")).to_contain_text("标量")


def test_refused_program_marks_its_line(page: Page, server: str) -> None:
    app = Playground(page, server).open()
    app.type_program("x = torch.ones(2)\ny = (x + 1\n")
    app.run()
    expect(page.get_by_role("alert")).to_contain_text("SyntaxError")
    expect(page.get_by_test_id("gutter-line-2")).to_have_class(re.compile("is-error"))


def test_hovering_a_node_traces_its_ancestors_and_descendants(page: Page, server: str) -> None:
    app = Playground(page, server).open()
    app.choose_example("two_variables")
    app.node("x: leaf tensor, scalar").hover()
    expect(app.svg).to_have_class(re.compile("is-tracing"))
    expect(app.node("z: backward root tensor, scalar")).to_have_class(re.compile("is-lineage"))
    expect(app.node("y: leaf tensor, scalar")).not_to_have_class(re.compile("is-lineage"))
    page.mouse.move(5, 5)
    expect(app.svg).not_to_have_class(re.compile("is-tracing"))


def test_tooltips_name_nodes_and_edges_once_reached(page: Page, server: str) -> None:
    """Titles are made on first hover or focus; Graphviz's DOT names ("n0", "n1->n0") never show."""
    app = Playground(page, server).open()
    app.choose_example("two_variables")
    titles = app.svg.locator("g.node > title, g.edge > title")
    expect(titles).to_have_count(0)
    x = app.node("x: leaf tensor, scalar")
    x.hover()
    expect(x.locator("> title")).to_have_text(re.compile(r"^x · tensor\(2\."))
    edge = app.svg.locator("g.edge").first
    edge.locator("path").first.dispatch_event("pointerover")
    expect(edge.locator("> title")).to_have_text(re.compile(r"^\S+ → \S+$"))
    y = app.node("y: leaf tensor, scalar")
    y.focus()
    expect(y.locator("> title")).to_have_text(re.compile(r"^y · tensor\(3\."))
    dot_names = app.svg.locator("g.node, g.edge").evaluate_all("gs => gs.map(g => g.id)")
    assert not set(titles.all_text_contents()) & set(dot_names)


def test_svg_parsing_strips_active_content(page: Page, server: str) -> None:
    Playground(page, server).open()
    result = page.evaluate(
        """async () => {
          const { parseSvg } = await import("/static/js/dom.js");
          const svg = parseSvg('<?xml version="1.0"?>\\n<!-- c -->\\n<svg xmlns="http://www.w3.org/2000/svg"'
            + ' viewBox="0 0 10 10" onload="x()"><g id="a" class="node" ONCLICK="x()"><title>n0</title>'
            + '<a href=" javascript:x()"><text x="1" y="2">a &amp; &#45;b</text></a></g>'
            + '<script>x()</script><foreignObject><p>hi</p></foreignObject></svg>\\n');
          const a = svg.querySelector("a");
          return {
            root: svg.localName, ns: svg.namespaceURI, viewBox: svg.getAttribute("viewBox"),
            onload: svg.hasAttribute("onload"), onclick: svg.querySelector("g").hasAttribute("onclick"),
            href: a.hasAttribute("href"), text: svg.querySelector("text").textContent,
            active: svg.querySelectorAll("script, foreignObject").length, inPage: svg.ownerDocument === document,
            broken: parseSvg("<p>not svg</p>"),
          };
        }"""
    )
    assert result == {
        "root": "svg",
        "ns": "http://www.w3.org/2000/svg",
        "viewBox": "0 0 10 10",
        "onload": False,
        "onclick": False,
        "href": False,
        "text": "a & -b",
        "active": 0,
        "inPage": True,
        "broken": None,
    }


def test_computation_view_keeps_node_ids(page: Page, server: str) -> None:
    app = Playground(page, server).open()
    autograd_ids = sorted(app.nodes.evaluate_all("nodes => nodes.map(n => n.id)"))
    page.get_by_role("radio", name="Computation").check()
    expect(app.svg).to_have_class(re.compile("mode-computation"))
    assert sorted(app.nodes.evaluate_all("nodes => nodes.map(n => n.id)")) == autograd_ids
    expect(app.svg.locator("g.node.kind-function circle")).to_have_count(3)
    expect(app.node_by_id("n1")).to_contain_text("x²")
    app.node("x: leaf tensor, scalar").click()
    expect(page.get_by_test_id("inspector-grad")).to_have_text("tensor(56.)")
    page.get_by_role("radio", name="Autograd").check()
    expect(app.svg).to_have_class(re.compile("mode-autograd"))


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


def test_keyboard_runs_and_inspects(page: Page, server: str) -> None:
    app = Playground(page, server).open()
    editor = page.get_by_role("textbox", name="Program")
    editor.fill("a = torch.tensor(3.0, requires_grad=True)\nb = a * a\nb.backward()\n")
    before = app.runs()
    editor.press("Control+Enter")
    app.wait_for_run(before)
    expect(app.nodes).to_have_count(3)
    app.node("a: leaf tensor, scalar").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("inspector-grad")).to_have_text("tensor(6.)")


def test_tab_indents_in_the_editor(page: Page, server: str) -> None:
    app = Playground(page, server).open()
    editor = page.get_by_role("textbox", name="Program")
    editor.fill("")
    editor.press("Tab")
    editor.type("x = 1")
    assert app.editor_value() == "    x = 1"


@pytest.mark.parametrize(
    ("kind", "filename"),
    [
        ("SVG image", "autograd-graph.svg"),
        ("PNG image", "autograd-graph.png"),
        ("Graphviz DOT", "autograd-graph.dot"),
        ("JSON (graph data)", "autograd-graph.json"),
    ],
)
def test_export_downloads_the_current_graph(
    page: Page, server: str, kind: str, filename: str
) -> None:
    Playground(page, server).open()
    page.get_by_test_id("export-button").click()
    with page.expect_download() as info:
        page.get_by_role("button", name=kind).click()
    download = info.value
    assert download.suggested_filename == filename
    data = download.path().read_bytes()
    if filename.endswith(".png"):
        assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 1000
    elif filename.endswith(".svg"):
        assert b"<svg" in data and b'id="n4"' in data
    elif filename.endswith(".dot"):
        assert data.startswith(b"digraph autograd")
    else:
        body = json.loads(data)
        assert (
            len(body["nodes"]) == 6
            and "svg" not in body
            and body["code"].startswith("import torch")
        )


def test_language_switch_is_remembered(page: Page, server: str) -> None:
    app = Playground(page, server).open()
    page.get_by_label("Language").select_option("zh")
    expect(page.get_by_role("button", name="运行")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_label("示例").locator("option:checked")).to_have_text("标量链式法则")
    page.reload()
    app.wait_for_run(0)
    expect(page.get_by_role("button", name="运行")).to_be_visible()
    expect(app.inspector).to_contain_text("检查器")


def test_scalar_shape_in_the_drawing_follows_the_language(page: Page, server: str) -> None:
    """The server's SVG says "scalar"; the drawing says it in the reader's language."""
    app = Playground(page, server).open()
    app.choose_example("scalar_chain")
    x_id = app.node("x: leaf tensor, scalar").get_attribute("id")
    assert x_id is not None
    x_node = app.node_by_id(x_id)  # its accessible name changes with the language
    expect(x_node.locator("text").last).to_have_text("scalar")
    expect(x_node.locator("text").first).to_have_text("x")
    page.get_by_label("Language").select_option("zh")
    expect(x_node.locator("text").last).to_have_text("标量")
    expect(x_node.locator("text").first).to_have_text("x")  # a name is never translated
    page.get_by_label("语言").select_option("en")
    expect(x_node.locator("text").last).to_have_text("scalar")


def test_chinese_browser_gets_chinese(browser: Any, server: str) -> None:
    from tests.browser.conftest import new_context

    context = new_context(browser, locale="zh-CN")
    try:
        page = context.new_page()
        Playground(page, server).open()
        expect(page.get_by_role("button", name="前进一步")).to_be_visible()
    finally:
        context.close()
