"""The run's outcome (output.js): error panel, hint and the failing line."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.playground import Playground

pytestmark = pytest.mark.browser

NONSCALAR_BACKWARD = """x = torch.arange(4.0, requires_grad=True)
y = x * 2
y.backward()
print("never printed")
"""


def test_runtime_error_marks_its_line_with_message_and_hint(page: Page, server: str) -> None:
    app = Playground(page, server).open()
    app.type_program(NONSCALAR_BACKWARD)
    app.run()
    expect(page.get_by_test_id("gutter-line-3")).to_have_class(re.compile("is-error"))
    expect(page.get_by_test_id("gutter-line-2")).not_to_have_class(re.compile("is-error"))
    panel = page.get_by_role("alert")
    expect(panel).to_contain_text("RuntimeError")
    expect(panel).to_contain_text("grad can be implicitly created only for scalar outputs")
    expect(page.get_by_test_id("error-hint")).to_contain_text("y.sum().backward()")
    expect(page.get_by_test_id("error-line")).to_have_text("line 3, column 1")
    # The graph is the state at the failing line.
    expect(app.nodes).to_have_count(3)
    page.get_by_label("Language").select_option("zh")
    expect(page.get_by_test_id("error-hint")).to_contain_text("标量")


def test_refused_program_marks_its_line(page: Page, server: str) -> None:
    app = Playground(page, server).open()
    app.type_program("x = torch.ones(2)\ny = (x + 1\n")
    app.run()
    expect(page.get_by_role("alert")).to_contain_text("SyntaxError")
    expect(page.get_by_test_id("gutter-line-2")).to_have_class(re.compile("is-error"))


PLOTTING = """import matplotlib.pyplot as plt
x = torch.tensor(2.0, requires_grad=True)
y = x * x
y.backward()
plt.plot([1.0, 2.0])
plt.show()
print(x.grad)
"""


def test_refusal_shows_its_hint_and_what_runs_here_in_both_languages(
    page: Page, server: str
) -> None:
    app = Playground(page, server).open()
    app.type_program("import os\nx = torch.ones(2)\n")
    app.run()
    panel = page.get_by_role("alert")
    expect(panel).to_contain_text("RefusedImport")
    hint = page.get_by_test_id("error-hint")
    expect(hint).to_contain_text("Files cannot be opened or saved here")
    link = hint.get_by_role("link", name="What runs here")
    expect(link).to_have_attribute("href", "/what-runs-here?lang=en#sandbox_files")
    expect(link).to_have_attribute("target", "_blank")

    page.get_by_label("Language").select_option("zh")
    expect(hint).to_contain_text("这里不能打开或保存文件")
    link = hint.get_by_role("link", name="这里能运行什么")
    expect(link).to_have_attribute("href", "/what-runs-here?lang=zh#sandbox_files")


def test_run_time_refusal_links_to_what_runs_here_and_opens_it(page: Page, server: str) -> None:
    app = Playground(page, server).open()
    app.type_program("import numpy as np\nx = torch.ones(2)\ndata = np.load('data.npy')\n")
    app.run()
    expect(page.get_by_test_id("gutter-line-3")).to_have_class(re.compile("is-error"))
    expect(page.get_by_test_id("error-hint")).to_contain_text("Files cannot be opened")
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="What runs here").click()
    listing = opened.value
    listing.wait_for_load_state()
    assert listing.url.endswith("/what-runs-here?lang=en#sandbox_files")
    expect(listing.get_by_role("heading", level=1)).to_have_text(
        "What runs here", use_inner_text=True
    )
    torch_names = listing.get_by_role("list", name="torch", exact=True)
    expect(torch_names.get_by_text("normal", exact=True)).to_be_visible()
    files = listing.get_by_test_id("refused-sandbox_files")
    expect(files.get_by_text("numpy.load", exact=True)).to_be_in_viewport()
    expect(files).to_contain_text("Files cannot be opened or saved here")


def test_pytorch_errors_and_typos_have_no_what_runs_here_link(page: Page, server: str) -> None:
    app = Playground(page, server).open()
    app.type_program(NONSCALAR_BACKWARD)
    app.run()
    expect(page.get_by_test_id("error-hint")).to_contain_text("y.sum().backward()")
    expect(page.get_by_test_id("what-runs-here-link")).to_have_count(0)
    app.type_program("x = (1,\n")
    app.run()
    expect(page.get_by_role("alert")).to_contain_text("SyntaxError")
    expect(page.get_by_test_id("error-hint")).to_be_visible()
    expect(page.get_by_test_id("what-runs-here-link")).to_have_count(0)


def test_plotting_program_notes_that_plots_are_not_drawn(page: Page, server: str) -> None:
    app = Playground(page, server).open()
    notes = page.get_by_test_id("notes")
    expect(notes).to_be_hidden()
    app.type_program(PLOTTING)
    app.run()
    expect(page.get_by_test_id("stdout")).to_have_text("tensor(4.)")
    expect(page.get_by_role("list", name="Notes on this run")).to_be_visible()
    expect(notes.get_by_role("listitem")).to_have_text(
        "Plots are not drawn here: the plotting calls did nothing, and the rest of the program"
        " ran as usual."
    )
    page.get_by_label("Language").select_option("zh")
    expect(notes.get_by_role("listitem")).to_have_text(re.compile("^这里不会画图"))
    expect(notes).to_have_accessible_name("关于这次运行的说明")
    page.get_by_label("语言").select_option("en")
    app.type_program("x = torch.ones(2, requires_grad=True)\nx.sum().backward()\n")
    app.run()
    expect(notes).to_be_hidden()
