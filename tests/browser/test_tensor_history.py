"""The inspector's names and flags over the run (tensor-history.js), in English and Chinese:
which binding of a loop's name is current, a helper's local, and a tensor whose flags changed."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.playground import Playground

pytestmark = pytest.mark.browser

LOOP = """\
x = torch.tensor(1.5, requires_grad=True)
y = x
for i in range(3):
    y = y * 2
def helper(a):
    h = a.sin()
    return h * 3
h = helper(y)
h.backward()
"""

FROZEN = """\
w = torch.tensor([1.0, 2.0], requires_grad=True)
loss = (w * 3).sum()
loss.backward()
w.requires_grad_(False)
"""


def _node_with_label(page: Page, server: str, code: str, label: str) -> str:
    """The id of the node labelled ``label`` in the API's answer (ids are stable per program)."""
    answer = page.request.post(
        f"{server}/api/graph", data={"code": code, "svg": False, "dot": False}
    ).json()
    return str(next(n["id"] for n in answer["nodes"] if n["label"] == label))


def test_a_loops_earlier_binding_says_which_time_it_was_and_links_to_the_current(
    page: Page, server: str
) -> None:
    app = Playground(page, server).open()
    app.type_program(LOOP)
    app.run()
    app.node_by_id(_node_with_label(page, server, LOOP, "y #2")).click()
    names = page.get_by_test_id("inspector-bindings")
    expect(names).to_contain_text("line 4")
    expect(names).to_contain_text("time 2 of 3")
    expect(names).to_contain_text("the variable now holds another tensor")
    names.get_by_role("button", name="→ y").click()
    expect(
        page.get_by_test_id("inspector-bindings").get_by_test_id("binding-current")
    ).to_have_text("current")
    app.node_by_id(_node_with_label(page, server, LOOP, "h (helper)")).click()
    expect(page.get_by_test_id("inspector-bindings")).to_contain_text("in helper()")


def test_a_frozen_leaf_shows_its_flags_over_the_run_in_chinese(page: Page, server: str) -> None:
    app = Playground(page, server).open()
    app.type_program(FROZEN)
    app.run()
    app.node_by_id(_node_with_label(page, server, FROZEN, "w")).click()
    page.get_by_label("Language").select_option("zh")
    history = page.get_by_test_id("inspector-history")
    expect(history).to_contain_text("运行过程中的标志")
    expect(history).to_contain_text("创建时（第 1 行）")
    expect(history).to_contain_text("程序结束时")
    rows = history.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("True")
    expect(rows.nth(1).locator("td").first).to_have_text("False")


HOOKED = """\
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 3
h = y.register_hook(lambda g: g / 10)
z = (y * y).sum()
z.backward(retain_graph=True)
h.remove()
with x.register_hook(lambda g: g * 100):
    z.backward()
"""


def test_where_a_hook_changed_the_gradient_the_step_says_before_and_after(
    page: Page, server: str
) -> None:
    app = Playground(page, server).open()
    app.type_program(HOOKED)
    app.run()
    # The first pass: Sum, Mul (y * y), then y's Mul (x * 3), whose hook divides by 10.
    page.get_by_test_id("stepper-slider").fill("2")
    hook = app.caption.get_by_test_id("chain-hook")
    expect(hook).to_contain_text("A hook on y changed the gradient")
    expect(hook).to_contain_text("[6., 12.] arrived")
    expect(hook).to_contain_text("[0.6000, 1.2000] went on")
    page.get_by_label("Language").select_option("zh")
    expect(app.caption.get_by_test_id("chain-hook")).to_contain_text("上的钩子改变了梯度")


def test_an_in_place_node_shows_the_version_it_left_its_tensor_at(page: Page, server: str) -> None:
    code = "x = torch.ones(2, requires_grad=True)\ny = x * 2\ny.add_(1)\ny.sum().backward()\n"
    app = Playground(page, server).open()
    app.type_program(code)
    app.run()
    answer = page.request.post(
        f"{server}/api/graph", data={"code": code, "svg": False, "dot": False}
    ).json()
    node = next(n for n in answer["nodes"] if n.get("op") == "AddBackward0")
    assert node["version"] == 1
    app.node_by_id(node["id"]).click()
    expect(app.inspector).to_contain_text("_version")
    expect(app.inspector).to_contain_text("made in place")
    expect(app.node_by_id(node["id"])).to_contain_text("_version=1")
