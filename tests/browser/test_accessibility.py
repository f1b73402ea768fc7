"""axe-core on the playground, the embed page and a course page using embed.js: no serious or
critical violation, in English and Chinese, in the light and the dark colour scheme, with the
page in the states a learner puts it in (a node inspected, the backward pass stepped, the
computation view, the share dialog open); and Tab, which reaches every control of the playground
and comes round without being held anywhere."""

from __future__ import annotations

import base64
import html
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.axe import blocking, checks_inside_frames
from tests.browser.conftest import new_context
from tests.browser.playground import Playground

pytestmark = pytest.mark.browser

PROGRAM = "x = torch.tensor(2.0, requires_grad=True)\ny = x ** 2 + 3\nz = y ** 2\nz.backward()\n"
LOCALES = {"en": "en-US", "zh": "zh-CN"}
WORDS = {
    "en": {"step": "Step forward", "x": "x scalar, leaf tensor", "copied": "Link copied"},
    "zh": {"step": "前进一步", "x": "x 标量，叶子张量", "copied": "链接已复制"},
}
PHONE = {"width": 390, "height": 844}
COMBINATIONS = [(lang, scheme) for lang in LOCALES for scheme in ("light", "dark")]


def fragment(code: str) -> str:
    """The share link's plain form (#p=base64url(utf-8)), as static/js/share.js reads it."""
    return "p=" + base64.urlsafe_b64encode(code.encode()).decode().rstrip("=")


def no_blocking_violations(page: Page, where: str) -> None:
    found = blocking(page)
    assert not found, f"{where}: " + "; ".join(
        f"{v['id']} ({v['impact']}) at {[n['target'] for n in v['nodes']][:3]}: {v['nodes'][0]['summary']}"
        for v in found
    )


@pytest.fixture(params=COMBINATIONS, ids=[f"{lang}-{scheme}" for lang, scheme in COMBINATIONS])
def setting(request: pytest.FixtureRequest) -> tuple[str, str]:
    lang, scheme = request.param
    return lang, scheme


def open_page(browser: Browser, lang: str, scheme: str, **options: Any) -> Page:
    context = new_context(browser, locale=LOCALES[lang], **options)
    page = context.new_page()
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    return page


def test_playground_has_no_serious_axe_violation(
    browser: Browser, server: str, setting: tuple[str, str]
) -> None:
    lang, scheme = setting
    page = open_page(browser, lang, scheme)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    try:
        app = Playground(page, server).open()
        expect(app.nodes).to_have_count(6)
        no_blocking_violations(page, "playground after the first run")

        app.node(WORDS[lang]["x"]).click()
        for _ in range(2):
            page.get_by_role("button", name=WORDS[lang]["step"]).click()
        expect(app.svg.locator(".agv-overlay")).to_have_count(1)
        no_blocking_violations(page, "a node inspected, the backward pass stepped")

        page.get_by_test_id("view-computation").check(force=True)
        expect(app.svg).to_have_class("graph-svg mode-computation")
        no_blocking_violations(page, "the computation view")

        page.get_by_test_id("share-button").click()
        expect(page.get_by_test_id("copy-status")).to_contain_text(WORDS[lang]["copied"])
        no_blocking_violations(page, "the share dialog, link copied")
    finally:
        page.context.close()


def test_node_names_start_with_the_drawn_words_after_a_language_switch(
    page: Page, server: str
) -> None:
    app = Playground(page, server).open()
    x = app.node(WORDS["en"]["x"])
    x.hover()  # its tooltip (a <title>, first in the node) is made now
    expect(x.locator("> title")).to_have_count(1)
    page.get_by_test_id("language").select_option("zh")
    expect(app.node(WORDS["zh"]["x"])).to_have_attribute("aria-pressed", "false")
    page.get_by_test_id("view-computation").check(force=True)
    expect(app.node(WORDS["zh"]["x"])).to_be_visible()
    expect(app.node("x²，函数节点 PowBackward0")).to_have_count(2)
    no_blocking_violations(page, "the computation view in Chinese after a switch")


@pytest.mark.parametrize(("lang", "scheme"), [("en", "light"), ("zh", "dark")])
def test_playground_on_a_phone_has_no_serious_axe_violation(
    browser: Browser, server: str, lang: str, scheme: str
) -> None:
    page = open_page(browser, lang, scheme, viewport=PHONE, has_touch=True, is_mobile=True)
    try:
        app = Playground(page, server).open()
        expect(app.nodes).to_have_count(6)
        app.node(WORDS[lang]["x"]).tap()
        expect(page.get_by_test_id("inspector-grad")).to_have_text("tensor(56.)")
        no_blocking_violations(page, "the playground on a phone, a node tapped")
    finally:
        page.context.close()


def test_embed_page_has_no_serious_axe_violation(
    browser: Browser, server: str, setting: tuple[str, str]
) -> None:
    lang, scheme = setting
    page = open_page(browser, lang, scheme)
    try:
        embed = Playground(page, server)
        page.goto(f"{server}/embed?lang={lang}#{fragment(PROGRAM)}")
        embed.wait_for_run(0)
        expect(embed.nodes).to_have_count(6)
        no_blocking_violations(page, "/embed")
        page.get_by_test_id("code-details").locator("summary").click()
        embed.node(WORDS[lang]["x"]).click()
        expect(embed.inspector).to_be_visible()
        no_blocking_violations(page, "/embed with the code open and a node inspected")
    finally:
        page.context.close()


def test_course_page_with_embed_js_has_no_serious_axe_violation(
    browser: Browser, server: str, course_site: tuple[str, Path], setting: tuple[str, str]
) -> None:
    lang, scheme = setting
    site, root = course_site
    page_name = f"axe-{lang}-{scheme}.html"
    html_lang = "zh-CN" if lang == "zh" else "en"
    (root / page_name).write_text(
        f"""<!doctype html><html lang="{html_lang}"><head><meta charset="utf-8"><title>Lesson</title></head>
<body><main><h1>Backpropagation</h1>
<pre data-autograd data-lang="{lang}" data-title="z = (x**2 + 3)**2">{html.escape(PROGRAM)}</pre>
</main><script src="{server}/static/embed.js"></script></body></html>""",
        encoding="utf-8",
    )
    page = open_page(browser, lang, scheme)
    try:
        page.goto(f"{site}/{page_name}")
        frame = page.frame_locator("iframe[data-autograd-frame]")
        expect(frame.get_by_test_id("graph-svg").locator("g.node")).to_have_count(6)
        no_blocking_violations(page, "a course page with embed.js")
        assert checks_inside_frames(page) > 20  # the graph inside the iframe was checked too
    finally:
        page.context.close()


# Everything a Tab may stop at, as the browser decides: visible, enabled, not taken out of the
# order; of a radio group, the checked radio (the others are reached with the arrow keys).
MARK_TABBABLE = """() => {
    const selector = "a[href], button, input, select, textarea, summary, [tabindex]";
    const found = [...document.querySelectorAll(selector)].filter((element) =>
        element.tabIndex >= 0 && !element.disabled && element.checkVisibility({ visibilityProperty: true })
        && !element.closest("dialog:not([open]), [hidden], [inert]")
        && !(element.type === "radio" && !element.checked));
    found.forEach((element, index) => { element.dataset.tabCheck = String(index); });
    return found.map((element) => element.outerHTML.slice(0, 90));
}"""


def tab_round(page: Page) -> None:
    """Tab from the top of the page until the focus comes back to the first stop: every control
    must have been reached once, and nothing may hold the focus (in the editor, Esc first, as
    the line under it says)."""
    tabbable: list[str] = page.evaluate(MARK_TABBABLE)
    assert len(tabbable) > 10
    page.evaluate("() => document.activeElement?.blur()")
    page.mouse.click(1, 1)  # start from the top of the page
    seen: list[str] = []
    for _ in range(4 * len(tabbable)):
        page.keyboard.press("Tab")
        mark = page.evaluate("() => document.activeElement?.dataset?.tabCheck ?? ''")
        if mark and seen and mark == seen[0]:
            break  # round the page and back to the first stop: nothing held the focus
        if mark:
            seen.append(mark)
        if page.evaluate("() => document.activeElement?.dataset?.testid === 'code-input'"):
            page.keyboard.press("Escape")
    else:
        pytest.fail(f"Tab never came back to the first control; last stops: {seen[-5:]}")
    missed = [tabbable[int(i)] for i in set(map(str, range(len(tabbable)))) - set(seen)]
    assert not missed, f"never reached by Tab: {missed}"
    assert len(seen) == len(set(seen)), "a control was visited twice in one round"


@pytest.mark.parametrize("size", [None, PHONE], ids=["1280x800", "390x844"])
def test_tab_reaches_every_control_and_is_never_trapped(
    browser: Browser, server: str, size: dict[str, int] | None
) -> None:
    context = new_context(browser, **({"viewport": size} if size else {}))
    try:
        page = context.new_page()
        app = Playground(page, server).open()
        expect(app.nodes).to_have_count(6)
        # One step, so that the stepper's back buttons are enabled too.
        page.get_by_role("button", name="Step forward").click()
        tab_round(page)
    finally:
        context.close()


@pytest.mark.parametrize("size", [None, PHONE], ids=["1280x800", "390x844"])
def test_tab_reaches_every_control_of_an_editable_embed(
    browser: Browser, server: str, size: dict[str, int] | None
) -> None:
    context = new_context(browser, **({"viewport": size} if size else {}))
    try:
        page = context.new_page()
        embed = Playground(page, server)
        page.goto(f"{server}/embed?edit=1#{fragment(PROGRAM)}")
        embed.wait_for_run(0)
        expect(embed.nodes).to_have_count(6)
        page.get_by_test_id("code-details").locator("summary").click()
        page.get_by_role("button", name="Step forward").click()
        tab_round(page)
    finally:
        context.close()
