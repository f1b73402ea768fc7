"""DOT and SVG drawing: ids tie the picture to the JSON, both layout paths draw the same."""

from __future__ import annotations

import re
from typing import Any

import pytest

from app.draw import render
from app.draw.render import RenderError, to_dot, to_svg
from app.evaluate import evaluate
from app.examples import load_examples


def _graph(code: str) -> dict[str, Any]:
    graph = evaluate(code).graph
    assert graph is not None
    return graph


@pytest.mark.parametrize("example", load_examples(), ids=lambda e: e.id)
def test_svg_ids_are_json_ids(example: Any) -> None:
    graph = _graph(example.code)
    svg = to_svg(to_dot(graph), node_count=len(graph["nodes"]))
    assert set(re.findall(r'<g id="([^"]+)" class="node"', svg)) == {
        n["id"] for n in graph["nodes"]
    }
    assert set(re.findall(r'<g id="([^"]+)" class="edge"', svg)) == {
        e["id"] for e in graph["edges"]
    }


def test_in_process_layout_equals_dot_command() -> None:
    dot = to_dot(_graph(load_examples()[0].code))
    library = render._library()
    assert library is not None
    assert library.render(dot) == render.render_with_dot(dot, 10.0)


def test_dot_styles_follow_roles() -> None:
    dot = to_dot(
        _graph("x = torch.ones(2, requires_grad=True)\nc = torch.ones(2)\ny = (x * c).sum()")
    )
    assert re.search(r'label="c\\n\[2\]".*style="filled,dashed"', dot)
    assert "style=dashed" in dot  # the saved constant's edge


def test_dot_from_a_hostile_graph_adds_no_attribute() -> None:
    """Ids and labels come from a worker: quotes, backslashes and newlines stay text."""
    evil = '" image="/etc/passwd" x="\\'
    graph = {
        "nodes": [
            {"id": evil, "kind": "tensor", "label": f"a{evil}\nb", "shape": [], "role": "leaf"},
            {"id": "node", "kind": "function", "op": f"Op{evil}"},
        ],
        "edges": [{"id": f"e{evil}", "source": evil, "target": "node", "kind": "data"}],
    }
    dot = to_dot(graph)
    svg = render.render_with_dot(dot, 10.0)
    assert "<image" not in svg and "passwd" in svg  # drawn as text, never read as a file
    library = render._library()
    assert library is not None
    assert library.render(dot) == svg
    nodes = re.findall(r'<g id="([^"]*)" class="node"', svg)
    assert len(nodes) == 2


def test_layout_timeout_is_a_render_error() -> None:
    chain = "digraph g {" + " ".join(f"a{i} -> a{i + 1};" for i in range(20000)) + "}"
    with pytest.raises(RenderError, match="longer than"):
        render.render_with_dot(chain, 0.05)


def test_concurrent_in_process_layouts_share_one_graphviz() -> None:
    import concurrent.futures

    dots = [to_dot(_graph(e.code)) for e in load_examples()[:6]]

    def draw(i: int) -> str:
        unique = dots[i % len(dots)].replace("{", f'{{ comment="{i}"', 1)  # defeat the SVG cache
        return to_svg(unique, node_count=10)

    with concurrent.futures.ThreadPoolExecutor(8) as threads:
        svgs = list(threads.map(draw, range(300)))
    assert all(svg.rstrip().endswith("</svg>") for svg in svgs)


def test_svg_if_quick_never_waits_for_graphviz() -> None:
    """Tiny graphs are drawn on the event loop only when that cannot block it."""
    dot = to_dot(_graph("x = torch.ones(2, requires_grad=True)\nquick = (x * 3).sum()"))
    assert render.svg_if_quick(dot.replace("{", '{ comment="big"', 1), 41) is None
    busy = dot.replace("{", '{ comment="busy"', 1)
    with render._GRAPHVIZ_LOCK:  # another thread is laying out
        assert render.svg_if_quick(busy, 5) is None
    svg = render.svg_if_quick(busy, 5)
    assert svg is not None and svg == render.render_with_dot(busy, 10.0)
    with render._GRAPHVIZ_LOCK:  # now cached: answered without Graphviz
        assert render.svg_if_quick(busy, 5) == svg
