"""``autograd-viz render PROGRAM.py -o OUT.html`` (app/cli/html.py): the file opens from file://
in Chromium with the network off, and shows the interactive graph of the program."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import torch
from playwright.sync_api import Browser, expect

from tests.browser.conftest import new_context
from tests.browser.playground import Playground
from tests.unit.test_cli import autograd_viz

pytestmark = pytest.mark.browser
SCALAR_CHAIN = (
    "x = torch.tensor(2.0, requires_grad=True)\ny = x ** 2 + 3\nz = y ** 2\nz.backward()\n"
)


def _plain_pytorch() -> tuple[set[str], torch.Tensor]:
    """The ops PyTorch records for SCALAR_CHAIN and x's gradient."""
    x = torch.tensor(2.0, requires_grad=True)
    z = (x**2 + 3) ** 2
    ops, stack = set(), [z.grad_fn]
    while stack:
        node = stack.pop()
        if node is not None and type(node).__name__ != "AccumulateGrad":
            ops.add(type(node).__name__)
            stack.extend(next_fn for next_fn, _ in node.next_functions)
    z.backward()
    assert x.grad is not None
    return ops, x.grad


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("render")
    (folder / "prog.py").write_text(SCALAR_CHAIN, encoding="utf-8")
    done = autograd_viz("render", "prog.py", "-o", "graph.html", cwd=folder)
    assert done.returncode == 0, done.stderr
    return folder / "graph.html"


def test_rendered_html_shows_the_graph_offline_from_a_file(
    browser: Browser, page_file: Path
) -> None:
    context = new_context(browser, offline=True)
    try:
        page = context.new_page()
        asked: list[str] = []
        page.on("request", lambda request: asked.append(request.url))
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        viewer = Playground(page, "")
        page.goto(page_file.as_uri())
        viewer.wait_for_run(0)
        ops, x_grad = _plain_pytorch()
        expect(viewer.nodes).to_have_count(6)
        drawn = set(re.findall(r"\b\w+Backward\d*\b", viewer.svg.text_content() or ""))
        assert drawn == ops
        viewer.node("x scalar, leaf tensor").click()
        expect(viewer.inspector).to_contain_text(f"tensor({x_grad.item():g}.)")
        # Interactive: the backward stepper moves.
        page.get_by_role("button", name="Step forward").click()
        expect(viewer.step_count).to_contain_text("1")
        assert errors == []
        # Nothing but the file itself and data: URLs was asked for.
        assert all(url.startswith(("file:", "data:")) for url in asked), asked
    finally:
        context.close()
