"""The /embed page (embed-page.js), and static/embed.js on a course page of another origin."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, FrameLocator, Page, expect

from tests.browser.conftest import new_context
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
    # The teacher's code is shown with the graph, without a click.
    code = embed.page.get_by_test_id("code-details")
    expect(code).to_have_attribute("open", "")
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


def test_embed_code_hidden_folds_the_code_away(context: BrowserContext, server: str) -> None:
    app = Playground(context.new_page(), server).open()
    fragment = share_link(app.page).split("#", 1)[1]
    embed = Playground(context.new_page(), server)
    embed.page.goto(f"{server}/embed?code=hidden#{fragment}")
    embed.wait_for_run(0)
    code = embed.page.get_by_test_id("code-details")
    expect(code).not_to_have_attribute("open", "")
    expect(embed.page.get_by_role("textbox", name="Program")).to_be_hidden()
    code.get_by_text("Code").click()
    expect(embed.page.get_by_role("textbox", name="Program")).to_be_visible()


def _lesson(root: Path, name: str, server: str, page_lang: str, blocks: str) -> str:
    (root / name).write_text(
        f"""<!doctype html><html lang="{page_lang}"><head><meta charset="utf-8"><title>Lesson</title></head>
<body><h1>Backpropagation</h1>{blocks}
<script src="{server}/static/embed.js"></script></body></html>""",
        encoding="utf-8",
    )
    return name


def _frames(page: Page, count: int) -> list[FrameLocator]:
    expect(page.locator("iframe[data-autograd-frame]")).to_have_count(count)
    frames = [page.frame_locator("iframe[data-autograd-frame]").nth(i) for i in range(count)]
    for frame in frames:
        expect(frame.get_by_test_id("graph-svg").locator("g.node")).to_have_count(4)
    return frames


def test_embed_language_comes_from_the_page_not_the_remembered_choice(
    context: BrowserContext, server: str, course_site: tuple[str, Path]
) -> None:
    """A visitor who last chose 中文 in the playground still gets an English course page in English."""
    playground = Playground(context.new_page(), server).open()
    playground.page.get_by_label("Language").select_option("zh")
    expect(playground.page.get_by_role("button", name="运行")).to_be_visible()
    site, root = course_site
    program = html.escape(COURSE_PROGRAMS[1])
    english = _lesson(
        root,
        "lang-en.html",
        server,
        "en-GB",
        f'<pre data-autograd>{program}</pre><pre data-autograd data-lang="zh" data-code="hidden">{program}</pre>',
    )
    chinese = _lesson(
        root,
        "lang-zh.html",
        server,
        "zh-CN",
        f'<pre data-autograd>{program}</pre><pre data-autograd data-lang="en">{program}</pre>',
    )
    page = context.new_page()
    page.goto(f"{site}/{english}")
    plain, marked = _frames(page, 2)
    expect(plain.get_by_role("button", name="Step forward")).to_be_visible()
    expect(plain.locator("html")).to_have_attribute("lang", "en")
    expect(plain.get_by_test_id("code-details")).to_have_attribute("open", "")
    expect(marked.get_by_role("button", name="前进一步")).to_be_visible()
    expect(marked.get_by_test_id("code-details")).not_to_have_attribute("open", "")

    page.goto(f"{site}/{chinese}")
    plain, marked = _frames(page, 2)
    expect(plain.get_by_role("button", name="前进一步")).to_be_visible()
    expect(marked.get_by_role("button", name="Step forward")).to_be_visible()

    # The /embed page alone, with no ?lang: the browser's language (en-US here), not the remembered one.
    fragment = playground.page.url.split("#", 1)[1]
    alone = Playground(context.new_page(), server)
    alone.page.goto(f"{server}/embed#{fragment}")
    alone.wait_for_run(0)
    expect(alone.page.get_by_role("button", name="Step forward")).to_be_visible()
    # ... and the embeds left the playground's choice as it was.
    playground.page.reload()
    expect(playground.page.get_by_role("button", name="运行")).to_be_visible()


SNIPPET_LABELS = {
    "en-US": {"forward": "Step forward", "share": "Share", "count": "step 2 / 4"},
    "zh-CN": {"forward": "前进一步", "share": "分享", "count": "第 2 / 4 步"},
}


@pytest.mark.parametrize("locale", list(SNIPPET_LABELS), ids=["en", "zh"])
def test_iframe_snippet_works_on_another_origin(
    browser: Browser, server: str, course_site: tuple[str, Path], locale: str
) -> None:
    """The share dialog's iframe, pasted into a page of another origin, shows the graph at the shared step."""
    label = SNIPPET_LABELS[locale]
    context = new_context(browser, locale=locale)
    try:
        app = Playground(context.new_page(), server).open()
        app.page.get_by_role("button", name=label["forward"]).click()
        app.page.get_by_role("button", name=label["forward"]).click()
        caption = app.caption.text_content() or ""
        app.page.get_by_role("button", name=label["share"]).click()
        snippet = app.page.get_by_test_id("share-iframe").input_value()
        assert re.search(r"&amp;step=2", snippet), snippet
        site, root = course_site
        for with_script in (False, True):
            script = f'<script src="{server}/static/embed.js"></script>' if with_script else ""
            name = f"snippet-{locale}-{with_script}.html"
            (root / name).write_text(
                f"""<!doctype html><html><head><meta charset="utf-8"><title>Lesson</title></head>
<body><h1>Chain rule</h1>{snippet}{script}</body></html>""",
                encoding="utf-8",
            )
            page = context.new_page()
            page.goto(f"{site}/{name}")
            frame = page.frame_locator("iframe")
            expect(frame.get_by_test_id("graph-svg").locator("g.node")).to_have_count(6)
            expect(frame.get_by_test_id("stepper-count")).to_have_text(label["count"])
            expect(frame.get_by_test_id("stepper-caption")).to_have_text(caption)
            if with_script:  # embed.js sizes a snippet's frame to its content too
                expect(page.locator("iframe")).not_to_have_attribute(
                    "height", re.compile(r"^(320|420|\d{1,2})$")
                )
    finally:
        context.close()
