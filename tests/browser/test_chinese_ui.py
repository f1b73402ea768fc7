"""The playground in Chinese, complete: every string a person can see or hear.

The page is switched to Chinese, then several programs run (one with backward, a refused one,
one that fails at once, one that hits a sandbox refusal after building part of a graph, one
with a PyTorch error, one over a limit). After each, the stepper steps, a node is opened in
the inspector and the export menu is opened; then every visible text node and every
aria-label, title, alt, placeholder and aria-valuetext on the page is read. No English word may
remain outside code, identifiers and PyTorch's own names: a word passes if it is a code token
(it has `_` or a digit, or is CamelCase like `MulBackward0`, `NameError`), a name the program
itself wrote, a one- or two-letter name, or one of the few words in ``ALLOWED`` (PyTorch's and
Python's names, key names, file formats). Code is not read: the editor, `<code>` and `<pre>`
(tensor prints), and the message of the program's own exception, which is Python's or
PyTorch's text and is marked `lang="en"` on the page (its hint explains it in Chinese).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.playground import Playground, share_link

pytestmark = pytest.mark.browser

# Words that are names, not English sentences: PyTorch's and Python's names, the keys a person
# presses, the file formats, the product's name.
ALLOWED = frozenset(
    {
        *("torch", "nn", "tensor", "backward", "detach", "grad", "sum", "view", "print"),
        *("None", "True", "False", "Parameter", "PyTorch", "Python", "Graphviz"),
        *("DOT", "JSON", "SVG", "PNG", "API", "Ctrl", "Cmd", "Enter", "Esc", "Tab", "Shift"),
        *("autograd", "viz"),
    }
)
# A code token: has `_`, a digit or a dot inside (`requires_grad`, `model.bias`, `float32`), or
# is CamelCase (`MulBackward0`, `NameError`, `SandboxViolation`).
CODE_LIKE = re.compile(r".*[_\d].*|\w+(?:\.\w+)+|[A-Z][a-z]+(?:[A-Z][a-z0-9]*)+")
WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")

PROGRAMS = {
    # An unnamed backward root (the expression's sum), scalars, a parameter, a named leaf.
    "backward": (
        "model = nn.Linear(3, 1)\n"
        "x = torch.tensor(2.0, requires_grad=True)\n"
        "(model(torch.ones(3)).sum() * x ** 2).backward()\n"
        "print(x.grad)\n"
    ),
    "refused": "import os\nx = torch.ones(2)\n",
    "early_failure": "x = toch.ones(3)\n",
    "refused_at_run_time": (
        "w = torch.ones(2, requires_grad=True)\nv = (w * 3).sum()\nf = open('data.txt')\n"
    ),
    "pytorch_error": "a = torch.arange(4.0, requires_grad=True)\nb = a * 2\nb.backward()\n",
    "limit": "x = torch.ones(10**9)\n",
}

# Reads what a person can see or hear: visible text outside code, and the names and tooltips
# of every element (a tooltip of the drawing included: <title> in the SVG).
READ_PAGE = """() => {
  const CODE = "pre, code, textarea, kbd, [lang='en'], option";
  const shown = (el) => !el.closest("[aria-hidden='true']") && el.checkVisibility({ visibilityProperty: true });
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || !node.textContent.trim() || el.closest(CODE)) continue;
    if (el.closest("title") || shown(el)) found.push(["text", node.textContent]);
  }
  const attrs = ["aria-label", "title", "alt", "placeholder", "aria-valuetext"];
  for (const el of document.body.querySelectorAll(attrs.map((a) => `[${a}]`).join(","))) {
    if (!el.closest("svg") && !shown(el)) continue; // drawn nodes count, whatever their box
    for (const attr of attrs) if (el.getAttribute(attr)) found.push([attr, el.getAttribute(attr)]);
  }
  for (const select of document.querySelectorAll("select")) {
    if (shown(select) && select.selectedOptions[0]) found.push(["option", select.selectedOptions[0].text]);
  }
  found.push(["document.title", document.title]);
  return found;
}"""


def _english_words(texts: list[list[str]], program: str) -> set[tuple[str, str]]:
    own = set(re.findall(r"[A-Za-z_]\w*", program))  # `torch.ones` names `ones` too
    left = set()
    for where, text in texts:
        for word in WORD.findall(text):
            if len(word) <= 2 or word in ALLOWED or word in own or CODE_LIKE.fullmatch(word):
                continue
            left.add((word, f"{where}: {text[:100]}"))
    return left


def _run(app: Playground, code: str) -> None:
    before = app.runs()
    app.page.get_by_test_id("code-input").fill(code)
    app.page.get_by_role("button", name="运行").click()
    app.wait_for_run(before)


def _explore(page: Page) -> None:
    """Step, open a node in the inspector, open the export menu: what a student would do."""
    forward = page.get_by_test_id("stepper-forward")
    for _ in range(2):
        if forward.is_enabled():
            forward.click()
    nodes = page.get_by_test_id("graph-svg").locator("g.node")
    if nodes.count():
        nodes.first.click()
        nodes.last.hover()  # makes its tooltip
    page.get_by_test_id("export-button").click()


@pytest.mark.parametrize("name", list(PROGRAMS))
def test_chinese_page_has_no_english_words(page: Page, server: str, name: str) -> None:
    app = Playground(page, server).open()
    page.get_by_label("Language").select_option("zh")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    code = PROGRAMS[name]
    _run(app, code)
    _explore(page)
    left = _english_words(page.evaluate(READ_PAGE), code)
    assert not left, "\n".join(sorted(f"{word!r} in {where}" for word, where in left))
    page.get_by_test_id("export-button").click()  # closes the menu
    page.get_by_test_id("view-computation").check(force=True)
    left = _english_words(page.evaluate(READ_PAGE), code)
    assert not left, "\n".join(sorted(f"{word!r} in {where}" for word, where in left))


def test_chinese_labels_in_the_drawing_and_its_exports(page: Page, server: str) -> None:
    """ "scalar" and "backward root" are the server's words in the drawing: in Chinese on
    screen, in the SVG export (also after switching language without running again), and in
    the DOT of a run made in Chinese."""
    app = Playground(page, server).open()
    code = PROGRAMS["backward"]
    _run_english = page.get_by_test_id("code-input")
    _run_english.fill(code)
    before = app.runs()
    page.get_by_role("button", name="Run").click()
    app.wait_for_run(before)
    expect(app.svg.locator("text", has_text="backward root")).to_have_count(1)
    page.get_by_label("Language").select_option("zh")
    svg = app.svg
    expect(svg.locator("text", has_text="反向传播起点")).to_have_count(1)
    expect(svg.locator("text", has_text="标量").first).to_be_visible()
    expect(svg.locator("text", has_text=re.compile("scalar|backward root"))).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("^反向传播起点 "))).to_have_count(1)

    def export(kind: str) -> str:
        page.get_by_test_id("export-button").click()
        with page.expect_download() as info:
            page.get_by_role("button", name=kind).click()
        return info.value.path().read_text(encoding="utf-8")

    exported = export("SVG 图片")  # the English run, switched to Chinese since
    assert "反向传播起点" in exported and "标量" in exported
    assert "backward root" not in exported and ">scalar<" not in exported
    _run(app, code)
    dot = export("Graphviz DOT")
    assert "反向传播起点" in dot and "标量" in dot and "scalar" not in dot


@pytest.mark.parametrize("name", ["backward", "refused", "early_failure"])
def test_chinese_embed_has_no_english_words(
    context: BrowserContext, server: str, name: str
) -> None:
    """The embed page in Chinese (?lang=zh), with the same views: the same check."""
    app = Playground(context.new_page(), server).open()
    code = PROGRAMS[name]
    before = app.runs()
    app.page.get_by_test_id("code-input").fill(code)
    app.page.get_by_role("button", name="Run").click()
    app.wait_for_run(before)
    fragment = share_link(app.page).split("#", 1)[1]
    embed = context.new_page()
    embed.goto(f"{server}/embed?lang=zh#{fragment}")
    Playground(embed, server).wait_for_run(0)
    nodes = embed.get_by_test_id("graph-svg").locator("g.node")
    if nodes.count():
        nodes.first.click()
    left = _english_words(embed.evaluate(READ_PAGE), code)
    assert not left, "\n".join(sorted(f"{word!r} in {where}" for word, where in left))
