"""DOT and SVG drawing: ids tie the picture to the JSON, both layout paths draw the same."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import torch

from app.draw import render
from app.draw.render import RenderError, to_dot, to_svg
from app.evaluate import evaluate
from app.examples import load_examples
from app.limits import Limits


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


def test_lone_surrogate_is_drawn_as_replacement_character() -> None:
    """A program may name a module chr(0xD800); UTF-8 cannot hold it, so DOT and SVG show U+FFFD
    (the old code failed encoding the DOT: a 500)."""
    graph = {
        "nodes": [
            {"id": "a", "kind": "tensor", "label": "w\ud800", "shape": [2], "role": "leaf"},
            {"id": "b", "kind": "function", "op": "Mul\udfffBackward0"},
        ],
        "edges": [{"id": "e", "source": "a", "target": "b", "kind": "data"}],
    }
    dot = to_dot(graph)
    assert 'label="w\ufffd\\n[2]"' in dot and "Mul\ufffdBackward0" in dot
    for svg in (to_svg(dot, graph=graph), render.to_layered_svg(graph)):
        svg.encode()  # well-formed UTF-8
        assert ">w\ufffd<" in svg and ">Mul\ufffdBackward0<" in svg
    assert render.render_with_dot(dot, 10.0).count("\ufffd") == 2


def test_a_nul_in_a_module_name_is_drawn_as_replacement_character() -> None:
    """PyTorch takes any module name without a dot, NUL too; Graphviz's reader stops at a NUL
    (it reads C strings), so the picture was missing ("Graphviz could not read the graph")."""
    model = torch.nn.Sequential()
    model.add_module("a\x00b", torch.nn.Linear(2, 2))
    assert "a\x00b.weight" in dict(model.named_parameters())
    code = (
        "seq = nn.Sequential()\n"
        'seq.add_module("a\\x00b", nn.Linear(2, 2))\n'
        "y = seq(torch.ones(1, 2)).sum()\n"
    )
    graph = evaluate(code, Limits()).graph
    assert graph is not None
    labels = {node.get("label") for node in graph["nodes"]}
    assert "seq.a\x00b.weight" in labels
    dot = to_dot(graph)
    assert "\x00" not in dot
    for svg in (to_svg(dot, graph=graph), render.to_layered_svg(graph)):
        assert ">seq.a\ufffdb.weight<" in svg and "\x00" not in svg


def test_svg_cache_keeps_a_byte_bound() -> None:
    """The drawing process's SVG cache: many distinct drawings never hold more than its bytes,
    and one SVG over its share is drawn but not kept."""
    cache = render._SVGS
    assert cache.max_bytes <= 32 * 2**20
    base = to_dot(_graph("x = torch.ones(2, requires_grad=True)\ny = (x * 3).sum()"))
    for i in range(40):
        to_svg(base.replace("{", f'{{ comment="{i}"', 1))
    assert 0 < cache.bytes <= cache.max_bytes
    kept = (len(cache), cache.bytes)
    big = 'digraph g { a [label="' + "x" * (cache.max_entry_bytes + 1) + '"] }'
    assert len(to_svg(big)) > cache.max_entry_bytes
    assert (len(cache), cache.bytes) == kept


def test_a_dot_process_ends_with_the_drawing_process_that_started_it() -> None:
    """A drawing process the kernel ends (out of memory) must not leave its ``dot`` running:
    the child is started with a parent-death signal. Here a stand-in parent starts ``sleep``
    the way ``render_with_dot`` starts ``dot``, and is SIGKILLed."""
    script = (
        "import subprocess\n"
        "from app.draw.render import _die_with_parent\n"
        "child = subprocess.Popen(['sleep', '60'], preexec_fn=_die_with_parent)\n"
        "print(child.pid, flush=True)\n"
        "child.wait()\n"
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert parent.stdout is not None
    with parent.stdout:
        child = int(parent.stdout.readline())
    parent.kill()
    parent.wait()
    for _ in range(200):  # the signal is immediate; the loop only waits for the kernel
        state = Path(f"/proc/{child}/stat")
        if not state.exists() or state.read_text().rsplit(")", 1)[1].split()[0] == "Z":
            break
        time.sleep(0.05)
    else:
        os.kill(child, signal.SIGKILL)
        pytest.fail("the child outlived its parent")
