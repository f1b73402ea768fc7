"""Values and .grad on the graph's tensor nodes (step-overlay.js, value-text.js) and their
switch in the graph toolbar: as of the stepper's position, in both languages."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.playground import Playground

pytestmark = pytest.mark.browser


def _card(app: Playground, node_id: str) -> Any:
    return app.svg.locator(f'[data-testid="value-card"][data-node="{node_id}"] text')


@pytest.mark.parametrize(("lang", "toggle"), [("en", "Values"), ("zh", "数值")])
def test_each_tensor_node_shows_its_value_and_grad(
    page: Page, server: str, lang: str, toggle: str
) -> None:
    """The scalar chain: x = 2 with .grad 56 (plain PyTorch), y = 7 with 14 through it, z =
    49; .grad is empty until x's AccumulateGrad runs, then filled."""
    app = Playground(page, server).open(f"/?lang={lang}")
    x, y, z = _card(app, "n4"), _card(app, "n5"), _card(app, "n0")
    expect(x).to_have_text(["= 2.", ".grad 56."])  # the program's end, before stepping
    expect(y).to_have_text(["= 7.", "∂ 14."])
    page.get_by_test_id("stepper-forward").click()
    page.get_by_test_id("stepper-back").click()  # before the first step of the pass
    expect(x).to_have_text(["= 2.", ".grad None"])
    expect(y).to_have_text(["= 7."])
    expect(z).to_have_text(["= 49."])
    page.get_by_test_id("stepper-slider").fill("1")
    expect(y).to_have_text(["= 7.", "∂ 14."])
    expect(x).to_have_text(["= 2.", ".grad None"])
    page.get_by_test_id("stepper-slider").fill("3")
    expect(x).to_have_text(["= 2.", ".grad 56."])
    switch = page.get_by_role("button", name=toggle)
    expect(switch).to_have_attribute("aria-pressed", "true")
    switch.click()
    expect(switch).to_have_attribute("aria-pressed", "false")
    expect(app.svg.locator('[data-testid="value-card"]')).to_have_count(0)
    switch.click()
    expect(app.svg.locator('[data-testid="value-card"]')).to_have_count(3)


def test_a_larger_tensor_shows_its_mean_and_norm(
    page: Page, server: str, api: Callable[[str], dict[str, Any]]
) -> None:
    code = "torch.manual_seed(0)\nw = torch.randn(4, 5, requires_grad=True)\nloss = (w * w).sum()\nloss.backward()\n"
    graph = api(code)
    w = next(node for node in graph["nodes"] if node["label"] == "w")
    numbers = [v for row in w["value"]["data"] for v in row]
    mean = sum(numbers) / len(numbers)
    norm = math.sqrt(sum(v * v for v in numbers))
    app = Playground(page, server).open()
    app.type_program(code)
    app.run()
    card = _card(app, w["id"]).first
    expect(card).to_have_text(re.compile(r"^= mean -?[\d.e-]+, norm [\d.]+$"))
    shown_mean, shown_norm = (
        float(v) for v in re.findall(r"-?[\d.]+(?:e-?\d+)?", card.text_content() or "")
    )
    assert shown_mean == pytest.approx(mean, rel=1e-2, abs=1e-3)
    assert shown_norm == pytest.approx(norm, rel=1e-2)


def test_values_start_hidden_on_a_dense_graph(page: Page, server: str) -> None:
    app = Playground(page, server).open()
    app.type_program(
        "x = torch.tensor(1.0, requires_grad=True)\nys = []\n"
        "for i in range(45):\n    ys.append(x * i)\nsum(ys).backward()\n"
    )
    app.run()
    expect(page.get_by_role("button", name="Values")).to_have_attribute("aria-pressed", "false")
    expect(app.svg.locator('[data-testid="value-card"]')).to_have_count(0)
    page.get_by_role("button", name="Values").click()
    expect(app.svg.locator('[data-testid="value-card"]').first).to_be_visible()


def test_cards_cover_no_node_and_a_constant_has_no_grad_line(page: Page, server: str) -> None:
    """A small MLP: every value card beside its node, none over another node; the input x,
    which does not require grad, shows its value only."""
    app = Playground(page, server).open()
    app.choose_example("matrix_multiply")
    x = app.svg.locator('[data-testid="value-card"] text').filter(has_text="= [1., -1.]")
    expect(x).to_have_count(1)
    expect(x.locator("xpath=..").locator("text")).to_have_count(1)
    app.choose_example("mlp_module")
    cards = app.svg.locator('[data-testid="value-card"] rect')
    expect(cards.first).to_be_visible()
    boxes = [box for box in (c.bounding_box() for c in cards.all()) if box]
    nodes = [box for box in (n.bounding_box() for n in app.nodes.all()) if box]
    assert len(boxes) == app.svg.locator("g.node.kind-tensor").count()

    def overlap(a: dict[str, float], b: dict[str, float]) -> bool:
        return (
            a["x"] < b["x"] + b["width"] - 1
            and b["x"] < a["x"] + a["width"] - 1
            and a["y"] < b["y"] + b["height"] - 1
            and b["y"] < a["y"] + a["height"] - 1
        )

    assert not [(c, n) for c in boxes for n in nodes if overlap(c, n)]
    assert not [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :] if overlap(a, b)]


def test_a_weight_shows_the_value_its_pass_used(page: Page, server: str) -> None:
    """Two SGD steps on w ** 2: each pass shows w as its backward used it (plain PyTorch:
    1, then 0.5, then 0.25 at the end); a weight no node of the pass saved says it is shown
    as the program left it."""
    import torch

    w = torch.tensor(1.0, requires_grad=True)
    opt = torch.optim.SGD([w], lr=0.25)
    used = []
    for _ in range(2):
        opt.zero_grad()
        used.append(w.item())
        (w**2).backward()
        opt.step()
    app = Playground(page, server).open()
    app.type_program(
        "w = torch.tensor(1.0, requires_grad=True)\nopt = torch.optim.SGD([w], lr=0.25)\n"
        "for i in range(2):\n    opt.zero_grad()\n    loss = w ** 2\n    loss.backward()\n"
        "    opt.step()\n"
    )
    app.run()
    w_id = app.node("w scalar, leaf tensor").get_attribute("id") or ""
    card = _card(app, w_id)
    expect(card.first).to_have_text(f"= {w.item():.4f}")  # before stepping: the end
    passes = page.get_by_label("Backward pass to step through")
    for index, value in enumerate(used):
        passes.select_option(str(index))
        page.get_by_test_id("stepper-slider").fill("0")
        shown = float((card.first.text_content() or "").removeprefix("= "))
        assert shown == pytest.approx(value)
    app.choose_example("training_loop")
    page.get_by_test_id("stepper-slider").fill("0")
    expect(
        app.svg.locator('[data-testid="value-card"]').filter(has_text="(at the end)")
    ).not_to_have_count(0)


def test_a_chinese_card_holds_its_text(page: Page, server: str) -> None:
    """In Chinese, "（程序结束时）" takes a full em a character: each value card's box is as wide
    as its longest line (counted as Latin letters, the box was 18 px short of it)."""
    app = Playground(page, server).open("/?lang=zh")
    before = app.runs()
    page.get_by_label("示例").select_option("training_loop")
    app.wait_for_run(before)
    page.get_by_test_id("stepper-slider").fill("0")
    cards = app.svg.locator('[data-testid="value-card"]').filter(has_text="（程序结束时）")
    expect(cards).not_to_have_count(0)
    overflow = cards.evaluate_all(
        """cards => cards.map(card => {
            const box = card.querySelector("rect").getBBox();
            const widest = Math.max(...[...card.querySelectorAll("text")].map(t => t.getBBox().width));
            return widest + 4 - box.width;
        })"""
    )
    assert max(overflow) <= 1, overflow
