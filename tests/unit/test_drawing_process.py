"""A drawing process's answers (app/draw/drawing_process.py over app/draw/drawing_wire.py): any
bytes a worker could send are answered with a drawing or the reason there is none, never a
crash; frames carry the texts as they are."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

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


def test_a_drawing_process_runs_below_the_servers_priority() -> None:
    """A large graph is drawn while its worker finishes it: where the two share a core, the
    worker (whose wall clock is the request's limit) goes first."""
    config = json.dumps({"memory_mb": 1024, "seccomp": False})
    with subprocess.Popen(
        [sys.executable, "-m", "app.draw.drawing_process", config],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=Path(__file__).resolve().parents[2],
    ) as process:
        assert process.stdin is not None and process.stdout is not None
        body = drawing_wire.read_frame_from(process.stdout)
        assert body is not None
        hello, _ = drawing_wire.split(body)
        # /proc/<pid>/stat: the 19th field is the niceness (after the command in parentheses)
        stat = Path(f"/proc/{hello['pid']}/stat").read_text()
        niceness = int(stat.rsplit(")", 1)[1].split()[16])
        assert niceness == min(19, os.nice(0) + drawing_process.NICENESS)
        process.stdin.close()
        assert process.wait(timeout=10) == 0
