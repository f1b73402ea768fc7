"""The wire between worker and server (app/workers/protocol.py): what the worker writes, the
server reads back."""

from __future__ import annotations

import gc
import json
import math
from collections.abc import Callable

import orjson
import pytest

from app.draw.drawn_part import drawn_part
from app.evaluate import evaluate
from app.graph_model import Edge, FunctionNode, TensorNode
from app.limits import Limits
from app.record import GraphOutline
from app.walk.encode import drawn_json
from app.workers.protocol import (
    EARLY_PREFIX,
    MalformedReply,
    _decode,
    early_reply,
    graph_line,
    read_early,
    read_reply,
    read_request,
    read_request_line,
    reply_lines,
    request_line,
    request_tail,
)
from bench.programs import chain
from tests.unit.programs import EXAMPLES


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


def _collections_during(work: Callable[[], object]) -> int:
    """How many times Python's cyclic garbage collector ran while ``work`` ran."""
    runs = 0

    def count(phase: str, info: dict[str, int]) -> None:
        nonlocal runs
        runs += phase == "start"

    gc.collect()  # start from empty counts: a few allocations before the work run nothing
    gc.callbacks.append(count)
    try:
        work()
    finally:
        gc.callbacks.remove(count)
    return runs


def test_a_large_graph_decodes_with_the_collector_paused() -> None:
    graph = {"nodes": [{"id": f"n{i}", "data": [0.5] * 8} for i in range(20_000)], "edges": []}
    line = graph_line(graph)
    assert len(line) > 256 * 1024  # the collector-paused path
    assert gc.isenabled()
    # Decoded with the collector on, it runs the collector every few hundred new objects
    # (what the pause is there to save)...
    assert _collections_during(lambda: orjson.loads(line)) > 10
    # ...while the server's decode runs it at most once, when the pause ends, and leaves it on.
    decoded: list[object] = []
    assert _collections_during(lambda: decoded.append(_decode(line))) <= 1
    assert gc.isenabled()
    assert decoded == [graph]


def test_a_graph_let_go_once_checked_leaves_the_collector_nothing_to_walk() -> None:
    graph = {"nodes": [{"id": f"n{i}", "data": [0.5] * 8} for i in range(20_000)], "edges": []}
    line = graph_line(graph) + b"\n"
    gc.collect()
    record = read_reply(b'{"ok": true}\n', line, keep_graph=False)
    # Its 40,000 objects were freed before the collector resumed: none is left for it to walk
    # (kept, they are all young objects its next collections walk).
    assert gc.get_count()[0] < 1000
    assert record.decoded_graph is None
    assert record.outline == GraphOutline(("nodes", "edges"), 20_000, 0)
    assert record.graph_json == line.rstrip(b"\n")
    assert record.graph == graph  # decoded again for a caller that needs it
    kept = read_reply(b'{"ok": true}\n', line)
    assert kept.decoded_graph == graph and kept.outline == record.outline


def test_a_request_crosses_unchanged() -> None:
    code = 'print("引号 \\" and \\\\ and\\nnewline")\nx = 1\n'
    limits = Limits(max_loop_iterations=7, max_backward_passes=3)
    line = request_line(code, request_tail(limits))
    assert line.endswith(b"\n") and line.count(b"\n") == 1
    assert read_request(line) == (code, limits)


def test_a_record_crosses_unchanged() -> None:
    record = evaluate(
        "x = torch.ones(2, requires_grad=True)\nprint('s\\ud800')\nx.sum().backward()\n"
    )
    head, graph, rest = reply_lines(record).split(b"\n")
    assert rest == b""
    received = read_reply(head + b"\n", graph + b"\n")
    assert received.to_dict() == record.to_dict()
    assert received.graph_json == graph


@pytest.mark.parametrize(
    ("head", "graph"),
    [
        (b"[]\n", b"null\n"),
        (b'{"ok": true}\n', b'{"nodes": [], "secret": 1}\n'),
        (b'{"ok": true}\n', b"[1, 2]\n"),
        (b'{"ok": "yes"}\n', b"null\n"),
        (b'{"ok": false, "error": {"kind": "x"}}\n', b"null\n"),
        (b"not json\n", b"null\n"),
        # nested past both JSON readers' depth: the standard library raised RecursionError,
        # which went up to the route as a 500
        (b'{"ok": true}\n', b'{"nodes": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n"),
        (b"[" * 100_000 + b"]" * 100_000 + b"\n", b"null\n"),
    ],
    ids=[
        "head-list",
        "extra-field",
        "graph-list",
        "ok-text",
        "bad-error",
        "not-json",
        "deep-graph",
        "deep-head",
    ],
)
def test_anything_but_a_record_and_a_graph_is_malformed(head: bytes, graph: bytes) -> None:
    with pytest.raises(MalformedReply):
        read_reply(head, graph)


# Past LARGE_REPLY_BYTES a graph the server only checks (drawn from its early line) is read by
# simdjson without being decoded (app/workers/json_outline.py): these lines are padded past it.
_PAD = b" " * (256 * 1024)
_LARGE_MALFORMED = [
    b'{"nodes": [], "secret": 1}',
    b"[1, 2]",
    b'"a graph"',
    b'{"nodes": [' + b"[" * 100_000 + b"]" * 100_000 + b"]}",
    b'{"nodes": [1, 2}',  # not JSON
    b'{"nodes": []} {"nodes": []}',  # two documents
    b'{"nodes": ["\xff"]}',  # not UTF-8
    b'{"nodes": [], "secret": NaN}',  # read by the standard library: still not a graph
    b'{"nodes": [], "nodes": [], "secret": 1}',
]


@pytest.mark.parametrize("graph", _LARGE_MALFORMED)
@pytest.mark.parametrize("keep_graph", [True, False])
def test_a_large_graph_line_is_checked_whether_or_not_it_is_kept(
    graph: bytes, keep_graph: bool
) -> None:
    with pytest.raises(MalformedReply):
        read_reply(b'{"ok": true}\n', graph + _PAD + b"\n", keep_graph=keep_graph)


@pytest.mark.parametrize(
    ("graph", "outline"),
    [
        (b"null", None),
        (b'{"nodes": [{"id": "n0"}], "edges": []}', GraphOutline(("nodes", "edges"), 1, 0)),
        (
            b'{"nodes": {"n0": 1}, "truncated": true}',
            GraphOutline(("nodes", "truncated"), None, None),
        ),
        # what simdjson does not read is decoded as before: NaN (the fallback encoder's), a
        # number past 64 bits, a lone surrogate's escape, a field given twice (the last counts)
        (b'{"nodes": [NaN], "edges": []}', GraphOutline(("nodes", "edges"), 1, 0)),
        (b'{"nodes": [123456789012345678901234567890]}', GraphOutline(("nodes",), 1, None)),
        (b'{"nodes": ["\\ud800"]}', GraphOutline(("nodes",), 1, None)),
        (b'{"nodes": [1], "nodes": [1, 2]}', GraphOutline(("nodes",), 2, None)),
    ],
)
def test_a_large_graph_only_checked_has_the_outline_of_its_decoding(
    graph: bytes, outline: GraphOutline | None
) -> None:
    line = graph + _PAD + b"\n"
    checked = read_reply(b'{"ok": true}\n', line, keep_graph=False)
    decoded = read_reply(b'{"ok": true}\n', line, keep_graph=True)
    assert checked.outline == decoded.outline == outline
    assert checked.decoded_graph is None
    assert (
        checked.graph_json
        == decoded.graph_json
        == (None if outline is None else line.rstrip(b"\n"))
    )


def test_a_large_graph_only_checked_is_not_decoded() -> None:
    line = reply_lines(evaluate(chain(3000))).split(b"\n")[1]
    assert len(line) > 256 * 1024
    gc.collect()
    before = gc.get_count()[0]
    record = read_reply(b'{"ok": true}\n', line + b"\n", keep_graph=False)
    assert gc.get_count()[0] - before < 100  # no Python object per node was made
    assert record.outline is not None and record.outline.nodes == len(record.graph["nodes"])


def _early_lines(code: str, max_bytes: int = Limits().max_graph_bytes) -> tuple[list[bytes], bytes]:
    """The early lines a worker sends for ``code`` (asked for one), and its graph line."""
    sent: list[bytes] = []

    def on_drawn(nodes: list[TensorNode | FunctionNode], edges: list[Edge]) -> None:
        line = early_reply(nodes, edges, max_bytes)
        if line is not None:
            sent.append(line)

    record = evaluate(code, Limits(), on_drawn=on_drawn)
    assert record.graph_json is not None
    return sent, record.graph_json


def test_a_large_graphs_early_line_is_the_drawn_part_of_its_graph() -> None:
    (line,), graph = _early_lines(chain(2500))  # 5,001 nodes and 5,000 edges
    assert line.startswith(EARLY_PREFIX) and line.endswith(b"\n") and line.count(b"\n") == 1
    part = read_early(line)
    whole = orjson.loads(graph)
    assert (part.nodes, part.edges) == (len(whole["nodes"]), len(whole["edges"])) == (5001, 5000)
    # What a drawing process gets: the bytes the server made from the whole graph before the
    # early line existed (so the same DOT and SVG).
    assert part.json == drawn_part(whole)


def test_a_drawn_part_over_the_graphs_byte_limit_has_no_early_line() -> None:
    # Read under the graph's line limit, it would end the request as a crashed worker where
    # the graph, cut to fit after its values are shed, is answered.
    sent, _ = _early_lines(chain(2500), max_bytes=100_000)  # its part: 830 KB
    assert sent == []


def test_a_small_graph_has_no_early_line() -> None:
    sent, _ = _early_lines(EXAMPLES["twenty_layer_mlp"])
    assert sent == []


def test_a_label_that_cannot_be_utf8_is_drawn_the_same_from_either_side() -> None:
    record = evaluate(EXAMPLES["twenty_layer_mlp"])
    graph = record.graph_model
    assert graph is not None
    tensor = next(node for node in graph.nodes if isinstance(node, TensorNode))
    tensor.label = tensor.names[0] = "s\ud800.weight"  # orjson refuses it: the fallback's escapes
    part = drawn_json(graph.nodes, graph.edges)
    assert part is not None and b"\\ud800" in part
    assert part == drawn_part(_decode(graph_line(graph)))


def test_a_request_asks_for_the_early_line_or_not() -> None:
    tail = request_tail(Limits())
    assert read_request_line(request_line("x = 1", tail)) == ("x = 1", Limits(), False)
    asked = request_line("x = 1", tail, early_drawing=True)
    assert read_request_line(asked) == ("x = 1", Limits(), True)
    assert read_request(asked) == ("x = 1", Limits())


_NODE = b'{"id": "n0", "kind": "tensor", "label": "x"}'


@pytest.mark.parametrize(
    "line",
    [
        b'{"drawn": {"nodes": [], "edges": []}, "ok": true}\n',
        b'{"drawn": {"nodes": [], "edges": [], "backward": []}}\n',
        b'{"drawn": {"nodes": [{"id": "n0", "value": {"text": "secret"}}], "edges": []}}\n',
        b'{"drawn": {"nodes": [], "edges": [{"id": "e0", "grads": []}]}}\n',
        b'{"drawn": {"nodes": [1, 2], "edges": []}}\n',
        b'{"drawn": {"nodes": {"n0": ' + _NODE + b"}, " + b'"edges": []}}\n',
        b'{"drawn": [' + _NODE + b"]}\n",
        b'{"drawn": {"nodes": [' + _NODE + b"], " + b'"edges": []}\n',
        b'{"drawn": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n",
        b'{"drawn": {"nodes": [], "edges": []}, "drawn": {"nodes": [], "edges": []}}\n',
        b'{"drawn": {"nodes": [], "edges": []}}',
    ],
    ids=[
        "more-than-drawn",
        "graph-field",
        "node-value",
        "edge-grads",
        "node-not-object",
        "nodes-not-list",
        "part-not-object",
        "not-json",
        "deep",
        "drawn-twice",
        "no-line-end",
    ],
)
def test_anything_but_a_drawn_part_is_malformed(line: bytes) -> None:
    with pytest.raises(MalformedReply):
        read_early(line)
