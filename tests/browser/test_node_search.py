"""Finding nodes (node-search.js): names, ops, modules and lines, checked against the API's answer."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.playground import Playground
from tests.browser.test_iterations import LOOP, open_program

pytestmark = pytest.mark.browser

Api = Callable[[str], dict[str, Any]]

PROGRAM = """model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
x = torch.ones(2, 3)
out = model(x)
loss = out.sum()
hidden = torch.relu(out * 2)
loss.backward()
"""


def words(node: dict[str, Any]) -> list[str]:
    found = [node.get(key) for key in ("op", "label", "name", "module", "module_type")]
    found += node.get("names") or []
    return [word.lower() for word in found if isinstance(word, str)]


def finds(graph: dict[str, Any], text: str) -> list[str]:
    """The nodes whose name, op or module contains `text` (case-insensitive), in the answer's order."""
    return [
        node["id"] for node in graph["nodes"] if any(text.lower() in word for word in words(node))
    ]


def on_line(graph: dict[str, Any], line: int) -> list[str]:
    return [node["id"] for node in graph["nodes"] if node.get("line") == line]


def matched(app: Playground) -> list[str]:
    ids: list[str] = app.nodes.evaluate_all(
        "gs => gs.filter((g) => g.classList.contains('is-search-match')).map((g) => g.id)"
    )
    return ids


def current(app: Playground) -> str | None:
    ids: list[str] = app.nodes.evaluate_all(
        "gs => gs.filter((g) => g.classList.contains('is-search-current')).map((g) => g.id)"
    )
    assert len(ids) <= 1
    return ids[0] if ids else None


def box(page: Page, name: str = "Find node") -> Locator:
    return page.get_by_role("searchbox", name=name, exact=True)


def test_finds_names_and_ops_and_cycles_through_them(page: Page, server: str, api: Api) -> None:
    graph = api(PROGRAM)
    app = open_program(page, server, PROGRAM)
    search = box(page)
    count = page.get_by_test_id("node-search-count")

    expected = finds(graph, "relu")
    assert len(expected) >= 2  # nn.ReLU's op and torch.relu's
    search.fill("relu")
    expect(count).to_have_text(f"1 of {len(expected)}")
    assert sorted(matched(app)) == sorted(expected)
    assert current(app) == expected[0]
    search.press("Enter")
    expect(count).to_have_text(f"2 of {len(expected)}")
    assert current(app) == expected[1]
    search.press("Shift+Enter")
    search.press("Shift+Enter")
    expect(count).to_have_text(f"{len(expected)} of {len(expected)}")  # wraps round
    assert current(app) == expected[-1]

    names = finds(graph, "loss")
    search.fill("LOSS")
    expect(count).to_have_text(f"1 of {len(names)}")
    assert sorted(matched(app)) == sorted(names)

    search.fill("no such node")
    expect(count).to_have_text("No match")
    assert matched(app) == []

    search.fill("relu")
    search.press("Escape")
    expect(search).to_have_value("")
    expect(count).to_have_text("")
    assert matched(app) == []


@pytest.mark.parametrize("query", ["line 5", "5", ":5"])
def test_finds_the_nodes_of_a_line(page: Page, server: str, api: Api, query: str) -> None:
    graph = api(PROGRAM)
    expected = on_line(graph, 5)
    assert expected
    app = open_program(page, server, PROGRAM)
    box(page).fill(query)
    expect(page.get_by_test_id("node-search-count")).to_have_text(f"1 of {len(expected)}")
    assert sorted(matched(app)) == sorted(expected)


def test_module_paths_are_found_when_the_answer_has_them(page: Page, server: str, api: Api) -> None:
    graph = api(PROGRAM)
    with_module = [node for node in graph["nodes"] if node.get("module")]
    if not with_module:
        pytest.skip("this server's answers carry no module paths yet")
    path = with_module[0]["module"]
    expected = finds(graph, path)
    app = open_program(page, server, PROGRAM)
    box(page).fill(path)
    assert sorted(matched(app)) == sorted(expected)


def test_pans_to_the_match(page: Page, server: str, api: Api) -> None:
    graph = api(PROGRAM)
    app = open_program(page, server, PROGRAM)
    viewport = page.get_by_test_id("graph-viewport")
    for _ in range(8):
        page.get_by_role("button", name="Zoom in").click()
    target = finds(graph, "hidden")[0]
    box(page).fill("hidden")
    node = app.node_by_id(target)
    view = viewport.bounding_box()
    shape = node.bounding_box()
    assert view and shape
    assert view["x"] <= shape["x"] + shape["width"] / 2 <= view["x"] + view["width"]
    assert view["y"] <= shape["y"] + shape["height"] / 2 <= view["y"] + view["height"]
    # The focus stays in the box, so Enter goes on to the next match.
    expect(box(page)).to_be_focused()


def test_a_match_in_another_iteration_shows_that_iteration(
    page: Page, server: str, api: Api
) -> None:
    graph = api(LOOP)
    app = open_program(page, server, LOOP)
    iteration = page.get_by_role("combobox", name="Iteration", exact=True)
    expect(iteration).to_have_value("29")
    first = next(node for node in graph["nodes"] if node["id"] == finds(graph, "loss")[0])
    box(page).fill("loss")
    expect(iteration).to_have_value(str(first["iteration"]))
    shown = app.node_by_id(first["id"])
    expect(shown).to_have_css("display", re.compile("^(?!none).*"))


def test_search_in_chinese(page: Page, server: str, api: Api) -> None:
    graph = api(PROGRAM)
    expected = finds(graph, "relu")
    app = open_program(page, server, PROGRAM, "/?lang=zh")
    search = box(page, "查找节点")
    count = page.get_by_test_id("node-search-count")
    search.fill("relu")
    expect(count).to_have_text(f"第 1 个，共 {len(expected)} 个")
    search.press("Enter")
    expect(count).to_have_text(f"第 2 个，共 {len(expected)} 个")
    search.fill("没有")
    expect(count).to_have_text("无匹配")
    search.press("Escape")
    assert matched(app) == []
