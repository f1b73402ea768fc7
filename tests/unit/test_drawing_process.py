"""A drawing process's answers (app/draw/drawing_process.py over app/draw/drawing_wire.py): any
bytes a worker could send are answered with a drawing or the reason there is none, never a
crash; frames carry the texts as they are."""

from __future__ import annotations

import io
import json

import pytest

from app.draw import drawing_process, drawing_wire
from app.draw.render import to_dot

GRAPH = {
    "nodes": [
        {"id": "x", "kind": "tensor", "label": "x", "shape": [2], "role": "leaf"},
        {"id": "f", "kind": "function", "op": "MulBackward0"},
    ],
    "edges": [{"id": "e", "source": "x", "target": "f", "kind": "data"}],
}


def _ask(graph_json: bytes, *, dot: bool = True, svg: bool = True) -> drawing_wire.Drawing:
    """One request through ``serve``, as a drawing process answers it on its pipes."""
    requests = io.BytesIO(drawing_wire.request(graph_json, dot=dot, svg=svg, timeout_s=10.0))
    answers = io.BytesIO()
    drawing_process.serve(requests, answers)
    answers.seek(0)
    body = drawing_wire.read_frame_from(answers)
    assert body is not None and drawing_wire.read_frame_from(answers) is None
    return drawing_wire.read_answer(body)


def test_a_graph_is_drawn_as_asked() -> None:
    both = _ask(json.dumps(GRAPH).encode())
    assert both.error is None and both.dot == to_dot(GRAPH)
    assert both.svg is not None and both.svg.count('class="node"') == 2
    svg_only = _ask(json.dumps(GRAPH).encode(), dot=False)
    assert svg_only.dot is None and svg_only.svg == both.svg
    assert _ask(json.dumps(GRAPH).encode(), svg=False).svg is None
    assert both.rss_mb > 0


@pytest.mark.parametrize(
    ("graph_json", "error"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "RecursionError"),
        (b"not json", "JSONDecodeError"),
        (b"[1, 2]", "TypeError"),
        (b'{"nodes": 3, "edges": []}', "TypeError"),
        (b'{"nodes": [{"id": "a"}], "edges": []}', "KeyError"),
    ],
)
def test_a_graph_not_of_the_contract_is_an_error_not_a_crash(graph_json: bytes, error: str) -> None:
    drawing = _ask(graph_json)
    assert (drawing.dot, drawing.svg) == (None, None)
    assert drawing.error == f"the graph could not be drawn ({error})"


def test_a_drawing_over_the_size_limit_is_not_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(drawing_wire, "MAX_DRAWING_BYTES", 100)
    drawing = _ask(json.dumps(GRAPH).encode())
    assert (drawing.dot, drawing.svg) == (None, None)
    assert drawing.error is not None and drawing.error.startswith("the drawing is ")
    assert drawing.error.endswith(f"MiB; the limit is {100 / 2**20:g} MiB")
