"""The /embed page (embed-page.js), and static/embed.js on a course page of another origin."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.playground import Playground, share_link

pytestmark = pytest.mark.browser

COURSE_PROGRAMS = [
    "w = torch.tensor(3.0, requires_grad=True)\nx = torch.tensor(2.0)\nb = torch.tensor(1.0, requires_grad=True)\ny = w * x + b\ny.backward()\n",
    "x = torch.tensor([1.0, 2.0], requires_grad=True)\nloss = (x ** 2).sum()\nloss.backward()\nprint(x.grad)\n",
]


def test_embed_page_renders_the_graph_read_only(context: BrowserContext, server: str) -> None:
    app = Playground(context.new_page(), server).open()
    fragment = share_link(app.page).split("#", 1)[1]

    embed = Playground(context.new_page(), server)
    embed.page.goto(f"{server}/embed#{fragment}")
    embed.wait_for_run(0)
    expect(embed.nodes).to_have_count(6)
    code = embed.page.get_by_test_id("code-details")
    expect(code).not_to_have_attribute("open", "")
    code.get_by_text("Code").click()
    editor = embed.page.get_by_role("textbox", name="Program")
    expect(editor).to_be_visible()
    expect(editor).not_to_be_editable()
    expect(embed.page.get_by_role("button", name="Run")).to_be_hidden()
    embed.node("x scalar, leaf tensor").click()
    expect(embed.inspector).to_contain_text("tensor(56.)")
    expect(embed.page.get_by_test_id("open-playground")).to_have_attribute("href", f"/#{fragment}")

    editable = Playground(context.new_page(), server)
    editable.page.goto(f"{server}/embed?edit=1#{fragment}")
    editable.wait_for_run(0)
    editable.page.get_by_test_id("code-details").get_by_text("Code").click()
    expect(editable.page.get_by_role("textbox", name="Program")).to_be_editable()
    editable.type_program("p = torch.ones(3, requires_grad=True)\nq = p.sum()\n")
    editable.run()
    expect(editable.nodes).to_have_count(3)


def test_embed_js_turns_code_blocks_into_live_graphs(
    page: Page, server: str, course_site: tuple[str, Path]
) -> None:
    site, root = course_site
    blocks = "\n".join(
        f"<h2>Example {i}</h2>\n<pre data-autograd>\n{html.escape(code)}</pre>"
        for i, code in enumerate(COURSE_PROGRAMS)
    )
    (root / "lesson.html").write_text(
        f"""<!doctype html><html><head><meta charset="utf-8"><title>Lesson</title></head>
<body><h1>Backpropagation</h1>{blocks}
<script src="{server}/static/embed.js"></script></body></html>""",
        encoding="utf-8",
    )
    page.goto(f"{site}/lesson.html")
    frames = page.locator("iframe[data-autograd-frame]")
    expect(frames).to_have_count(2)
    expect(page.locator("pre[data-autograd]")).to_have_count(0)
    for index, expected_nodes in enumerate([6, 4]):
        frame = page.frame_locator("iframe[data-autograd-frame]").nth(index)
        expect(frame.get_by_test_id("graph-svg").locator("g.node")).to_have_count(expected_nodes)
    # Each frame reports its height and the course page sizes the iframe to it.
    first = frames.nth(0)
    expect(first).not_to_have_attribute("height", "360")
    height = int(first.get_attribute("height") or 0)
    inner = page.frame_locator("iframe[data-autograd-frame]").nth(0).locator("html")
    inner_height = inner.evaluate("el => Math.ceil(el.getBoundingClientRect().height)")
    assert abs(height - inner_height) <= 2, (height, inner_height)
    src = first.get_attribute("src") or ""
    assert src.startswith(f"{server}/embed#")


def _embed(context: BrowserContext, server: str, code: str, query: str = "") -> Page:
    """The /embed page of `code` (through the playground's share link), its run shown."""
    app = Playground(context.new_page(), server).open()
    app.type_program(code)
    app.run()
    fragment = share_link(app.page).split("#", 1)[1]
    embed = Playground(context.new_page(), server)
    embed.page.goto(f"{server}/embed{query}#{fragment}")
    embed.wait_for_run(0)
    return embed.page


def test_embed_refusal_shows_its_hint_and_what_runs_here(
    context: BrowserContext, server: str
) -> None:
    page = _embed(context, server, "import torchvision\nx = torch.ones(2)\n", "?lang=zh")
    hint = page.get_by_test_id("error-hint")
    expect(hint).to_contain_text("这里不能下载任何东西")
    link = hint.get_by_role("link", name="这里能运行什么")
    expect(link).to_have_attribute("href", "/what-runs-here?lang=zh#sandbox_network")
    expect(link).to_have_attribute("target", "_blank")


def test_embed_notes_that_plots_are_not_drawn(context: BrowserContext, server: str) -> None:
    code = (
        "import matplotlib.pyplot as plt\nx = torch.ones(2, requires_grad=True)\nplt.plot([1, 2])\n"
    )
    page = _embed(context, server, code)
    notes = page.get_by_role("list", name="Notes on this run")
    expect(notes).to_be_visible()
    expect(notes).to_contain_text("Plots are not drawn here")
