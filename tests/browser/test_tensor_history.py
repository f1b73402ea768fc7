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
