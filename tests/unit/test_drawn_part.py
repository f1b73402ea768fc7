"""What the server sends a drawing process (app/draw/drawn_part.py): only the fields a drawing
reads, and the same DOT and SVG as from the whole graph."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from app.api.graph import drawable_graph
from app.draw import drawing_wire
from app.draw.drawing_process import draw
from app.draw.drawn_part import EDGE_FIELDS, NODE_FIELDS, drawn_part
from app.evaluate import evaluate
from app.examples import load_examples
from app.limits import Limits
from app.record import EvalRecord
from bench.programs import chain, manual_backprop
from tests.event_loop import run


def _drawing(graph_json: bytes, lang: str) -> tuple[str | None, str | None, str | None]:
    answer = drawing_wire.read_answer(
        draw(drawing_wire.request(graph_json, dot=True, svg=True, timeout_s=60, lang=lang)[4:])[4:]
    )
    return answer.dot, answer.svg, answer.error


def _graph_json(code: str) -> bytes:
    encoded = evaluate(code, Limits()).graph_json
    assert encoded is not None
    return encoded


@pytest.mark.parametrize(
    "code",
    [example.code for example in load_examples()[::3]]
    + [chain(1500), manual_backprop(3), "x = torch.ones(2, requires_grad=True)\n"],
)
def test_the_drawn_part_draws_as_the_whole_graph(code: str) -> None:
    whole = _graph_json(code)
    part = drawn_part(orjson.loads(whole))
    assert part is not None
    assert len(part) < len(whole)
    for lang in ("en", "zh"):
        dot, svg, error = _drawing(part, lang)
        assert error is None and dot and svg
        assert (dot, svg, error) == _drawing(whole, lang)


def test_the_drawn_part_keeps_only_what_a_drawing_reads() -> None:
    code = "x = torch.ones(3, requires_grad=True)\ny = (x * 2).sum()\ny.backward()\n"
    graph = orjson.loads(_graph_json(code))
    part = orjson.loads(drawn_part(graph) or b"")
    assert set(part) == {"nodes", "edges"}
    assert any("value" in node for node in graph["nodes"])
    for whole, kept in zip(graph["nodes"], part["nodes"], strict=True):
        assert kept == {key: whole[key] for key in NODE_FIELDS if key in whole}
        assert "saved" not in kept and "value" not in kept  # values never cross to a drawing
    for whole, kept in zip(graph["edges"], part["edges"], strict=True):
        assert kept == {key: whole[key] for key in EDGE_FIELDS if key in whole}


@pytest.mark.parametrize(
    "graph",
    [
        {"nodes": 5, "edges": []},
        {"nodes": [], "edges": None},
        {"nodes": ["n0"], "edges": []},
        {"nodes": [], "edges": [[1, 2]]},
        {},
    ],
)
def test_a_graph_not_of_lists_of_objects_is_sent_whole(graph: dict[str, Any]) -> None:
    assert drawn_part(graph) is None


def test_a_missing_field_stays_missing_and_odd_text_crosses() -> None:
    graph = {
        "nodes": [{"id": "n0", "kind": "tensor", "label": "a\ud800b", "value": [1] * 1000}],
        "edges": [{"id": "e0", "source": "n0"}],
    }
    part = drawn_part(graph)
    assert part is not None
    assert orjson.loads(part.decode("ascii").replace("\\ud800", "?")) == {
        "nodes": [{"id": "n0", "kind": "tensor", "label": "a?b"}],
        "edges": [{"id": "e0", "source": "n0"}],
    }


def test_the_server_sends_a_drawing_process_the_drawn_part_only() -> None:
    """A large graph's part is made off the event loop (a callable the drawing pool awaits once
    the drawing is admitted), a small one's at once; neither carries the values."""
    for ops, made_later in ((20, False), (3000, True)):
        whole = _graph_json(chain(ops))
        record = EvalRecord(ok=True, graph_json=whole)
        record.decoded_graph = orjson.loads(whole)
        sent = drawable_graph(record)
        assert callable(sent) == made_later
        payload = run(sent()) if callable(sent) else sent
        assert payload == drawn_part(record.decoded_graph)
        assert b'"value"' not in payload and len(payload) < len(whole) / 3
