"""A training loop shown one iteration at a time, with its loss curve (iterations.js, loss-curve.js).

Every expectation comes from the API's answer for the same program (`iteration` on each node,
`curve`, `backward[i].call`), never from the page's own code.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.axe import blocking
from tests.browser.playground import Playground
from tests.browser.test_chinese_ui import READ_PAGE, _english_words

pytestmark = pytest.mark.browser

STEPS = 30
LOOP = f"""x = torch.linspace(-1, 1, 8)
y = 3 * x + 1
w = torch.zeros(1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
for step in range({STEPS}):
    pred = w * x + b
    loss = ((pred - y) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= 0.1 * w.grad
        b -= 0.1 * b.grad
        w.grad.zero_()
        b.grad.zero_()
"""
TWO_PASSES = """w = torch.tensor(2.0, requires_grad=True)
for step in range(2):
    loss = (w * 3) ** 2
    loss.backward()
"""
ONE_PASS = "w = torch.tensor(2.0, requires_grad=True)\nloss = (w * 3) ** 2\nloss.backward()\n"

Api = Callable[[str], dict[str, Any]]


def fragment(code: str) -> str:
    """The share link's plain form (#p=base64url(utf-8)), as static/js/share.js reads it."""
    return "p=" + base64.urlsafe_b64encode(code.encode()).decode().rstrip("=")


def open_program(page: Page, server: str, code: str, path: str = "/") -> Playground:
    app = Playground(page, server)
    page.goto(f"{server}{path}#{fragment(code)}")
    app.wait_for_run(0)
    return app


def expected_shown(graph: dict[str, Any], k: int) -> set[str]:
    """Iteration k's nodes and every node they read from (the sources of the edges into them)."""
    made = {node["id"] for node in graph["nodes"] if node["iteration"] == k}
    inputs = {edge["source"] for edge in graph["edges"] if edge["target"] in made}
    return made | inputs


def shown_ids(app: Playground) -> set[str]:
    """The nodes drawn (Chromium's checkVisibility() says true for an SVG group with display: none)."""
    ids: list[str] = app.nodes.evaluate_all(
        "gs => gs.filter((g) => getComputedStyle(g).display !== 'none').map((g) => g.id)"
    )
    return set(ids)


def short(value: float) -> str:
    """A value as the chart's text alternative writes it: 4 significant digits."""
    return repr(float(f"{value:.4g}")).removesuffix(".0")


def curve_label(graph: dict[str, Any]) -> re.Pattern[str]:
    values = [point["value"] for point in graph["curve"]]
    return re.compile(
        rf"{len(values)}.*{re.escape(short(values[0]))}.*{re.escape(short(values[-1]))}.*{re.escape(short(min(values)))}"
    )


def pass_position(graph: dict[str, Any], call: int) -> int:
    return next(pos for pos, p in enumerate(graph["backward"]) if p["call"] == call)


def selector(page: Page, name: str = "Iteration") -> Locator:
    return page.get_by_role("combobox", name=name, exact=True)


def test_a_training_loop_shows_its_last_iteration_and_the_loss_curve(
    page: Page, server: str, api: Api
) -> None:
    graph = api(LOOP)
    assert len(graph["curve"]) == STEPS
    last = graph["backward"][-1]["call"]
    assert last == STEPS - 1
    app = open_program(page, server, LOOP)

    iteration = selector(page)
    expect(iteration).to_have_value(str(last))
    assert shown_ids(app) == expected_shown(graph, last)
    # The parameters, made before the loop, are among the inputs shown.
    names = {node["id"]: node.get("name") for node in graph["nodes"]}
    assert {"w", "b"} <= {names[i] for i in shown_ids(app)}
    expect(page.get_by_test_id("stepper-pass")).to_have_value(str(pass_position(graph, last)))

    chart = page.get_by_role("img", name=re.compile("^Loss curve"))
    expect(chart).to_have_attribute("aria-label", curve_label(graph))
    expect(page.get_by_test_id("loss-curve-line")).to_have_attribute("data-points", str(STEPS))
    expect(page.get_by_test_id("loss-curve-mark")).to_have_attribute("data-call", str(last))
    expect(page.get_by_test_id("loss-curve-x-axis")).to_have_text("backward() call")
    # The loss falls from 4.9 to 0.02: more than two decades, so the scale is logarithmic.
    values = [point["value"] for point in graph["curve"]]
    assert max(values) / min(values) > 100
    expect(page.get_by_test_id("loss-curve-y-axis")).to_have_text("loss (log)")


def test_choosing_an_iteration_shows_its_nodes_and_its_pass(
    page: Page, server: str, api: Api
) -> None:
    graph = api(LOOP)
    kept = [p["call"] for p in graph["backward"]]
    app = open_program(page, server, LOOP)
    iteration = selector(page)

    chosen = kept[3]
    iteration.select_option(str(chosen))
    assert shown_ids(app) == expected_shown(graph, chosen)
    expect(page.get_by_test_id("stepper-pass")).to_have_value(str(pass_position(graph, chosen)))
    expect(page.get_by_test_id("loss-curve-mark")).to_have_attribute("data-call", str(chosen))

    # A light loop records only the iterations of the passes it keeps (it runs twice:
    # app/walk/pass_window.py): the selector offers those; Previous/Next step through them.
    assert kept == [0, *range(STEPS - 19, STEPS)]
    offered = iteration.locator("option").evaluate_all("(options) => options.map((o) => o.value)")
    assert offered == ["all", *map(str, kept)]
    iteration.select_option(str(kept[1]))
    page.get_by_role("button", name="Previous iteration").click()
    expect(iteration).to_have_value(str(kept[0]))
    assert shown_ids(app) == expected_shown(graph, kept[0])
    page.get_by_role("button", name="Next iteration").click()
    page.get_by_role("button", name="Next iteration").click()
    expect(iteration).to_have_value(str(kept[2]))
    assert shown_ids(app) == expected_shown(graph, kept[2])

    iteration.select_option("all")
    expect(app.nodes).to_have_count(len(graph["nodes"]))
    assert shown_ids(app) == {node["id"] for node in graph["nodes"]}

    # The stepper's pass choice moves the iteration too.
    iteration.select_option(str(kept[-1]))
    page.get_by_test_id("stepper-pass").select_option(str(pass_position(graph, kept[5])))
    expect(iteration).to_have_value(str(kept[5]))
    assert shown_ids(app) == expected_shown(graph, kept[5])


def test_the_loss_curve_picks_an_iteration_by_click_and_by_keys(
    page: Page, server: str, api: Api
) -> None:
    graph = api(LOOP)
    app = open_program(page, server, LOOP)
    iteration = selector(page)
    chart = page.get_by_test_id("loss-curve")
    box = chart.bounding_box()
    assert box is not None
    # The plot's left end is the first call: a click just inside it picks iteration 0.
    plot = page.locator(".loss-curve-plot").bounding_box()
    assert plot is not None
    page.mouse.click(plot["x"] + 1, plot["y"] + plot["height"] / 2)
    expect(iteration).to_have_value("0")
    assert shown_ids(app) == expected_shown(graph, 0)

    chart.focus()
    page.keyboard.press("End")
    expect(iteration).to_have_value(str(STEPS - 1))
    page.keyboard.press("ArrowLeft")
    expect(iteration).to_have_value(str(STEPS - 2))
    page.keyboard.press("Home")
    expect(iteration).to_have_value("0")


def test_few_passes_show_no_selector(page: Page, server: str, api: Api) -> None:
    # Two passes: the curve has two values, but two iterations are no loop to step through.
    graph = api(TWO_PASSES)
    assert len([p for p in graph["curve"] if p["value"] is not None]) == 2
    app = open_program(page, server, TWO_PASSES)
    expect(page.get_by_role("img", name=re.compile("^Loss curve"))).to_be_visible()
    expect(selector(page)).to_be_hidden()
    assert shown_ids(app) == {node["id"] for node in graph["nodes"]}
    expect(page.get_by_test_id("loss-curve-y-axis")).to_have_text("loss")

    # One pass: one point, no chart, no panel.
    open_program(page, server, ONE_PASS)
    page.reload()
    app.wait_for_run(0)
    expect(page.get_by_test_id("iterations")).to_be_hidden()


def test_a_program_after_a_training_loop_shows_all_its_nodes_and_edges(
    page: Page, server: str, api: Api
) -> None:
    # The loop's last iteration was chosen; the next program has no iterations, and ids
    # ("e3", "n5") that the loop's filter had hidden. Before, its stepper's first change
    # applied the loop's filter to the new drawing, and two of the cross-entropy's edges
    # (with their gradient labels) stayed hidden.
    app = open_program(page, server, LOOP)
    expect(selector(page)).to_be_visible()
    app.choose_example("cross_entropy")
    graph = api(app.editor_value())
    assert shown_ids(app) == {node["id"] for node in graph["nodes"]}
    hidden: list[str] = app.svg.locator("g.node, g.edge").evaluate_all(
        "gs => gs.filter((g) => getComputedStyle(g).display === 'none').map((g) => g.id)"
    )
    assert hidden == []
    assert app.svg.locator("g.edge").count() == len(graph["edges"])


def test_iterations_in_chinese(page: Page, server: str, api: Api) -> None:
    graph = api(LOOP)
    app = open_program(page, server, LOOP, "/?lang=zh")
    iteration = selector(page, "迭代")
    expect(iteration).to_have_value(str(STEPS - 1))
    expect(page.get_by_role("option", name="全部")).to_have_count(1)
    chart = page.get_by_role("img", name=re.compile("^损失曲线"))
    expect(chart).to_have_attribute("aria-label", curve_label(graph))
    expect(page.get_by_test_id("loss-curve-x-axis")).to_have_text("backward() 调用")
    expect(page.get_by_test_id("loss-curve-y-axis")).to_have_text("损失（对数）")
    page.get_by_role("button", name="上一次迭代").click()
    expect(iteration).to_have_value(str(STEPS - 2))
    assert shown_ids(app) == expected_shown(graph, STEPS - 2)
    # No English sentence left in the panel, the chart or the search box (as test_chinese_ui checks the page).
    page.get_by_role("searchbox", name="查找节点").fill("没有")
    left = _english_words(page.evaluate(READ_PAGE), LOOP)
    assert not left, sorted(left)


def test_the_embed_shows_the_last_iteration_too(page: Page, server: str, api: Api) -> None:
    graph = api(LOOP)
    app = open_program(page, server, LOOP, "/embed")
    expect(selector(page)).to_have_value(str(STEPS - 1))
    assert shown_ids(app) == expected_shown(graph, STEPS - 1)
    expect(page.get_by_role("img", name=re.compile("^Loss curve"))).to_be_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_iteration_panel_and_search_have_no_serious_axe_violation(
    page: Page, server: str, scheme: str
) -> None:
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    open_program(page, server, LOOP)
    expect(selector(page)).to_be_visible()
    page.get_by_role("searchbox", name="Find node").fill("loss")
    found = blocking(page)
    assert not found, "; ".join(
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['summary']}" for v in found
    )


POLYNOMIAL = """import math
x = torch.linspace(-math.pi, math.pi, 50)
y = torch.sin(x)
a = torch.zeros((), requires_grad=True)
b = torch.zeros((), requires_grad=True)
c = torch.zeros((), requires_grad=True)
d = torch.zeros((), requires_grad=True)
for t in range(120):
    y_pred = a + b * x + c * x ** 2 + d * x ** 3
    loss = (y_pred - y).pow(2).sum()
    loss.backward()
    with torch.no_grad():
        for p in (a, b, c, d):
            p -= 1e-4 * p.grad
            p.grad = None
"""


@pytest.mark.parametrize("view", ["autograd", "computation"])
def test_one_iteration_of_a_long_loop_is_drawn_whole_and_readable(
    page: Page, server: str, api: Api, view: str
) -> None:
    # The whole graph's layout puts 120 iterations side by side, and the node that adds `a` next
    # to `a`, far from its iteration: the iteration's nodes are laid out again, together.
    graph = api(POLYNOMIAL)
    app = open_program(page, server, POLYNOMIAL)
    page.get_by_test_id(f"view-{view}").check(force=True)
    expect(selector(page)).to_have_value("119")
    assert shown_ids(app) == expected_shown(graph, 119)
    frame = page.get_by_test_id("graph-viewport").bounding_box()
    assert frame is not None
    boxes = [app.node_by_id(node_id).bounding_box() for node_id in sorted(shown_ids(app))]
    for box in boxes:
        assert box is not None
        assert frame["x"] <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"]
        assert frame["y"] <= box["y"] and box["y"] + box["height"] <= frame["y"] + frame["height"]
    left = min(box["x"] for box in boxes if box)
    right = max(box["x"] + box["width"] for box in boxes if box)
    assert right - left > frame["width"] / 4  # a picture, not a speck
