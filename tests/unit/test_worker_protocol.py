"""The graph line between worker and server: what the worker writes, the server reads back."""

from __future__ import annotations

import json
import math

import pytest

from app.evaluate import evaluate
from app.examples import load_examples
from app.workers.protocol import _decode, graph_line

EXAMPLES = {example.id: example.code for example in load_examples()}


@pytest.mark.parametrize("example_id", sorted(EXAMPLES))
def test_a_graph_crosses_unchanged(example_id: str) -> None:
    record = evaluate(EXAMPLES[example_id])
    assert record.graph_model is not None and record.graph is not None
    line = graph_line(record.graph_model)  # what a worker sends: the model, as orjson writes it
    assert b"\n" not in line
    assert json.loads(line) == record.graph  # the plain data, read by the standard library
    assert _decode(line) == record.graph
    assert graph_line(record.graph) == line  # the same bytes from the plain data


def test_text_that_cannot_be_utf8_crosses_escaped() -> None:
    graph = {"nodes": [{"name": "s.\ud800.weight"}], "edges": [], "backward": []}
    line = graph_line(graph)
    assert line.isascii() and b"\\ud800" in line
    assert _decode(line) == graph


def test_numbers_orjson_cannot_write_still_cross() -> None:
    graph = {"nodes": [{"value": 2**70}], "edges": [], "backward": []}
    assert _decode(graph_line(graph)) == graph


def test_the_server_reads_the_fallback_encoders_nan() -> None:
    decoded = _decode(b'{"nodes": [{"value": NaN}], "edges": [], "backward": []}')
    assert math.isnan(decoded["nodes"][0]["value"])


@pytest.mark.parametrize("line", [b"", b"{", b'{"nodes": }', b"\xff\xfe", b"{} trailing"])
def test_a_malformed_line_is_a_value_error(line: bytes) -> None:
    with pytest.raises(ValueError):
        _decode(line)


def test_a_large_graph_decodes_too() -> None:
    graph = {"nodes": [{"id": f"n{i}", "data": [0.5] * 8} for i in range(20_000)], "edges": []}
    line = graph_line(graph)
    assert len(line) > 256 * 1024  # the collector-paused path
    assert _decode(line) == graph
