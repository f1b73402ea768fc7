"""One program and what every view shows of it (session.js, with output.js and the stepper):
never the last program's graph under a new program's error, never a `null` or a `None` where
a sentence belongs, the line a program stopped at, the NameError's "did you mean", plurals."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, Route, expect

from tests.browser.playground import Playground

pytestmark = pytest.mark.browser

WITH_BACKWARD = """x = torch.tensor(2.0, requires_grad=True)
y = x ** 2 + 3
z = y ** 2
z.backward()
print(x.grad)
"""
# A leaf, then a line that fails before any backward() (the graph so far is shown).
STOPS_AT_LINE_3 = """w = torch.ones(2, requires_grad=True)
v = (w * 3).sum()
f = open("data.txt")
v.backward()
"""


def _type(page: Page, code: str) -> None:
    """Type into the editor whatever the page's language (its name follows the language)."""
    page.get_by_test_id("code-input").fill(code)


def _run(app: Playground, code: str) -> None:
    before = app.runs()
    _type(app.page, code)
    app.page.locator("#run").click()
    app.wait_for_run(before)


def _ran_with_backward(app: Playground) -> None:
    _run(app, WITH_BACKWARD)
    expect(app.nodes).to_have_count(6)
    app.page.get_by_test_id("stepper-forward").click()
    app.node("x scalar, leaf tensor").click()
    expect(app.inspector.get_by_role("heading", name="x", exact=True)).to_be_visible()


def test_refused_program_leaves_no_old_node_stepper_or_inspector(page: Page, server: str) -> None:
    app = Playground(page, server).open()
    _ran_with_backward(app)
    _run(app, "import os\nx = torch.ones(2)\n")
    expect(page.get_by_role("alert")).to_contain_text("RefusedImport")
    expect(page.get_by_test_id("graph-svg")).to_have_count(0)
    expect(page.get_by_test_id("graph-message")).to_have_text(
        "The program did not run (RefusedImport on line 1), so there is no graph."
    )
    expect(app.caption).to_have_text("The program did not run, so no backward pass was recorded.")
    expect(app.step_count).to_have_text("")
    expect(page.get_by_test_id("stepper-forward")).to_be_disabled()
    expect(page.get_by_test_id("inspector-body")).to_contain_text("Click a node in the graph")
    page.get_by_label("Language").select_option("zh")
    expect(page.get_by_test_id("graph-message")).to_have_text(
        "程序没有运行（第 1 行：RefusedImport），所以没有计算图。"
    )
    expect(app.caption).to_have_text("程序没有运行，所以没有记录反向传播。")


def test_early_failure_says_where_the_program_stopped(page: Page, server: str) -> None:
    app = Playground(page, server).open()
    _ran_with_backward(app)
    _run(app, "x = toch.ones(3)\n")
    message = page.get_by_test_id("graph-message")
    expect(message).to_have_text(
        "The program stopped at line 1 (NameError) before it made any tensor that requires grad."
    )
    expect(app.caption).to_have_text(
        "The program stopped at line 1 (NameError) before any backward() ran."
    )
    expect(page.get_by_test_id("graph-svg")).to_have_count(0)
    page.get_by_label("Language").select_option("zh")
    expect(message).to_have_text("程序在第 1 行停止（NameError），那时还没有创建需要梯度的张量。")
    expect(app.caption).to_have_text(
        "程序在第 1 行停止（NameError），那时还没有运行任何 backward()。"
    )


def test_failure_after_some_graph_shows_it_and_the_stepper_says_where(
    page: Page, server: str
) -> None:
    app = Playground(page, server).open()
    _ran_with_backward(app)
    _run(app, STOPS_AT_LINE_3)
    # The new program's partial graph (w, its MulBackward0, SumBackward0 and v), not the old one.
    expect(app.nodes).to_have_count(4)
    expect(app.node("w [2], leaf tensor")).to_be_visible()
    expect(page.get_by_test_id("graph-message")).to_be_hidden()
    expect(app.caption).to_have_text(
        "The program stopped at line 3 (SandboxViolation) before any backward() ran."
    )


def test_no_null_or_none_where_a_sentence_belongs(page: Page, server: str) -> None:
    app = Playground(page, server).open()
    # An error with no hint and no line-independent parts: ZeroDivisionError.
    _run(app, "x = torch.ones(2, requires_grad=True)\ny = 1 / 0\n")
    panel = page.get_by_role("alert")
    expect(panel).to_contain_text("division by zero")
    assert "null" not in panel.inner_text()
    # A parameter has no line of its own; a tensor with no gradients has no gradient section.
    _run(app, "layer = nn.Linear(2, 1)\nout = layer(torch.ones(2))\n")
    app.node("layer.weight [1, 2], parameter tensor").click()
    body = page.get_by_test_id("inspector-body")
    expect(body).to_contain_text("not recorded")
    assert "null" not in body.inner_text()
    source = body.locator("dt", has_text="source").locator("xpath=following-sibling::dd[1]")
    expect(source).to_have_text("not recorded")
    page.get_by_label("Language").select_option("zh")
    source = body.locator("dt", has_text="源代码").locator("xpath=following-sibling::dd[1]")
    expect(source).to_have_text("没有记录")
    assert "null" not in page.locator("main").inner_text()


def test_name_error_suggests_the_name_in_both_languages(page: Page, server: str) -> None:
    app = Playground(page, server).open()
    _run(app, "x = toch.ones(3)\n")
    hint = page.get_by_test_id("error-hint")
    expect(hint).to_contain_text("Did you mean torch?")
    expect(hint.locator("code", has_text=re.compile("^torch$"))).to_have_count(1)
    page.get_by_label("Language").select_option("zh")
    expect(hint).to_contain_text("你是不是想写 torch？")
    # The suggestion runs.
    page.get_by_label("语言").select_option("en")
    _run(app, "x = torch.ones(3)\n")
    expect(page.get_by_role("alert")).to_be_hidden()


def test_node_counts_are_singular_and_plural(page: Page, server: str) -> None:
    app = Playground(page, server).open()
    status = page.get_by_test_id("status")
    _run(app, "x = torch.ones(2, requires_grad=True)\n")
    expect(status).to_have_text(re.compile(r"^Ran in \d+ ms · 1 node$"))
    _run(app, WITH_BACKWARD)
    expect(status).to_have_text(re.compile(r"^Ran in \d+ ms · 6 nodes$"))
    page.get_by_label("Language").select_option("zh")
    expect(status).to_have_text(re.compile(r"^用时 \d+ 毫秒 · 6 个节点$"))
    _run(app, "x = torch.ones(2, requires_grad=True)\n")
    expect(status).to_have_text(re.compile(r"^用时 \d+ 毫秒 · 1 个节点$"))


@pytest.mark.parametrize("language", ["en", "zh"])
def test_no_null_or_undefined_anywhere_after_any_outcome(
    page: Page, server: str, language: str
) -> None:
    """Python never prints `null` or `undefined`: on this page they could only be a slip of
    ours. Checked after a run with backward (stepped, a node inspected), a refusal, an early
    NameError, a run-time refusal, a PyTorch error and a limit."""
    app = Playground(page, server).open()
    page.get_by_label("Language").select_option(language)
    programs = [
        WITH_BACKWARD,
        "import os\n",
        "x = toch.ones(3)\n",
        STOPS_AT_LINE_3,
        "a = torch.arange(4.0, requires_grad=True)\n(a * 2).backward()\n",
        "x = torch.ones(10**9)\n",
    ]
    for code in programs:
        _run(app, code)
        forward = page.get_by_test_id("stepper-forward")
        if forward.is_enabled():
            forward.click()
        nodes = app.svg.locator("g.node")
        if nodes.count():
            nodes.first.click()
        text = page.locator("body").inner_text()
        assert not re.search(r"\b(null|undefined)\b", text), (code, text)
        labels = page.evaluate(
            "() => [...document.querySelectorAll('[aria-label], [title]')]"
            ".map((el) => `${el.getAttribute('aria-label') ?? ''} ${el.title ?? ''}`)"
        )
        assert not [label for label in labels if re.search(r"\b(null|undefined)\b", label)]


def test_a_stopped_program_says_its_graph_was_lost_not_never_made(page: Page, server: str) -> None:
    """A program stopped by the wall clock comes back with no graph (its worker was killed):
    it may have made tensors, so the page does not say it made none. (The answer is the one
    the API gives for a timeout, served here so the test need not wait for one.)"""
    app = Playground(page, server).open()
    answer = {
        "nodes": [], "edges": [], "backward": [], "variables": {}, "stdout": "",
        "stdout_truncated": False, "notes": [], "truncated": False, "timed_out": True,
        "elapsed_ms": 5000.0, "dot": None, "svg": None, "render_error": None,
        "error": {"type": "TimeLimitExceeded", "line": None, "hint": None,
                  "message": "program ran longer than 5 s and was stopped",
                  "message_zh": "程序运行超过了 5 秒，已被终止。"},
    }  # fmt: skip
    page.route("**/api/graph", lambda route: route.fulfill(json=answer))
    _run(app, "x = torch.ones(2, requires_grad=True)\nwhile True:\n    x = x * 1\n")
    expect(page.get_by_test_id("graph-message")).to_have_text(
        "The program was stopped (TimeLimitExceeded): no graph could be kept."
    )
    expect(app.caption).to_have_text(
        "The program was stopped (TimeLimitExceeded), so no backward pass can be shown."
    )
    expect(page.get_by_role("alert")).to_contain_text("The program ran too long and was stopped.")
    page.get_by_label("Language").select_option("zh")
    expect(page.get_by_test_id("graph-message")).to_have_text(
        "程序被终止了（TimeLimitExceeded）：没能保留计算图。"
    )


def test_the_marked_line_tells_the_error_in_the_language_of_the_page(
    page: Page, server: str
) -> None:
    app = Playground(page, server).open()
    _run(app, "import os\n")
    line = page.get_by_test_id("gutter-line-1")
    expect(line).to_have_class(re.compile("is-error"))
    expect(line).to_have_attribute("title", re.compile("^import of 'os' is not available"))
    page.get_by_label("Language").select_option("zh")
    expect(line).to_have_attribute("title", re.compile("^这里不能导入 'os'"))


@pytest.mark.parametrize("how", ["connectionreset", "connectionclosed"])
def test_a_run_whose_connection_broke_is_sent_once_more(page: Page, server: str, how: str) -> None:
    """A replica killed while its answer was on its way breaks the connection; the proxy cannot
    move such a request to another replica, so the page sends it once more (issue 16, point 5).
    Twice broken, the page says the network failed."""
    app = Playground(page, server).open()
    sent: list[str] = []

    def break_first(route: Route) -> None:
        sent.append(route.request.method)
        if len(sent) == 1:
            route.abort(how)
        else:
            route.continue_()

    page.route("**/api/graph", break_first)
    _run(app, WITH_BACKWARD)
    assert sent == ["POST", "POST"]
    expect(app.node("x scalar, leaf tensor")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_count(0)

    page.unroute("**/api/graph")
    sent.clear()
    page.route("**/api/graph", lambda route: (sent.append("POST"), route.abort(how)))
    _type(page, WITH_BACKWARD + "\n")
    page.locator("#run").click()
    expect(page.get_by_role("alert")).to_contain_text("NetworkError")
    assert sent == ["POST", "POST"]
