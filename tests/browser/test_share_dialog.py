"""Share links (share-dialog.js, program-link.js, share.js): a link reproduces the graph, and
the address follows the program."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import new_context
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


TWO_PASSES = "x = torch.tensor(2.0, requires_grad=True)\n(x ** 2).backward()\n(x ** 3).backward()\n"


LABELS = {
    "en-US": {
        "program": "Program",
        "run": "Run",
        "computation": "Computation",
        "pass": "Backward pass to step through",
        "forward": "Step forward",
        "back": "Step back",
        "share": "Share",
        "dialog": "Share this graph",
        "link": "Link",
    },
    "zh-CN": {
        "program": "程序",
        "run": "运行",
        "computation": "计算",
        "pass": "要单步查看的反向传播",
        "forward": "前进一步",
        "back": "后退一步",
        "share": "分享",
        "dialog": "分享这个计算图",
        "link": "链接",
    },
}


@pytest.mark.parametrize("locale", list(LABELS), ids=["en", "zh"])
def test_share_link_restores_view_pass_and_step(browser: Browser, server: str, locale: str) -> None:
    label = LABELS[locale]
    context = new_context(browser, locale=locale)
    try:
        app = Playground(context.new_page(), server).open()
        app.page.get_by_role("textbox", name=label["program"]).fill(TWO_PASSES)
        before = app.runs()
        app.page.get_by_role("button", name=label["run"]).click()
        app.wait_for_run(before)
        app.page.get_by_role("radio", name=label["computation"]).check()
        app.page.get_by_label(label["pass"]).select_option("1")
        app.page.get_by_role("button", name=label["forward"]).click()
        app.page.get_by_role("button", name=label["forward"]).click()
        count = app.step_count.inner_text()
        caption = app.caption.text_content() or ""
        assert "2" in count, count
        app.page.get_by_role("button", name=label["share"]).click()
        link = (
            app.page.get_by_role("dialog", name=label["dialog"])
            .get_by_label(label["link"])
            .input_value()
        )
        for field in ("view=computation", "pass=2", "step=2"):
            assert f"&{field}" in link, link

        other = Playground(context.new_page(), server)
        other.page.goto(link)
        other.wait_for_run(0)
        expect(other.page.get_by_role("textbox", name=label["program"])).to_have_value(TWO_PASSES)
        expect(other.page.get_by_test_id("view-computation")).to_be_checked()
        expect(other.svg).to_have_class(re.compile("mode-computation"))
        expect(other.page.get_by_label(label["pass"])).to_have_value("1")
        expect(other.step_count).to_have_text(count)
        expect(other.caption).to_have_text(caption)
        expect(other.svg.locator(".is-running")).to_have_count(1)

        # The address follows the stepper, so a reload keeps the step too.
        other.page.get_by_role("button", name=label["back"]).click()
        expect(other.page).to_have_url(re.compile(r"&step=1$"))
        other.page.reload()
        other.wait_for_run(0)
        expect(other.step_count).to_have_text(re.compile(r"\b1\b"))
    finally:
        context.close()


def test_old_links_keep_working(context: BrowserContext, server: str) -> None:
    """A link with only the program (as links were before the view fields) opens as it did."""
    app = Playground(context.new_page(), server).open()
    fragment = app.page.evaluate(
        """async (code) => (await import("/static/js/share.js")).encodeProgram(code)""", TWO_PASSES
    )
    assert re.fullmatch(r"[zp]=[\w-]+", fragment), fragment
    other = Playground(context.new_page(), server)
    other.page.goto(f"{server}/#{fragment}")
    other.wait_for_run(0)
    assert other.editor_value() == TWO_PASSES
    expect(other.page.get_by_test_id("view-autograd")).to_be_checked()
    expect(other.step_count).to_have_text(re.compile(r"^step 0 / "))
    expect(other.svg.locator(".is-running")).to_have_count(0)
    expect(other.page.get_by_role("switch", name="Exercise mode")).not_to_be_checked()
    # Nonsense in the new fields is ignored, not an error.
    odd = Playground(context.new_page(), server)
    odd.page.goto(f"{server}/#{fragment}&view=3d&pass=-1&step=x")
    odd.wait_for_run(0)
    expect(odd.page.get_by_test_id("view-autograd")).to_be_checked()
    expect(odd.step_count).to_have_text(re.compile(r"^step 0 / "))
