"""A fast layered layout for large graphs: node centres, in time linear in the graph.

Graphviz's ``dot`` lays out a 5,000-node MLP in about 2 s, nearly all of it network simplex
over a 10,000-node auxiliary graph for the x coordinates; its time grows faster than the
graph. Above ``render.LAYERED_MIN_NODES`` nodes the server places the nodes here instead
(about 0.07 s for 5,000 nodes) and ``app/draw/placed_svg.py`` draws them with straight
edges, in the SVG structure and styles of every other graph, so the browser needs nothing new.

The method is the textbook one (Sugiyama), kept simple because autograd graphs are narrow
and deep: layers by longest path from the inputs, inputs moved down to their first consumer;
virtual nodes on edges that span several layers; barycentric ordering sweeps, keeping the
order with the fewest crossings; x by vertical alignment to the median input and packing of
the aligned blocks (Brandes and Koepf, simplified): a long chain comes out straight.
Coordinates are Graphviz points with y growing upward (inputs at the top).
"""

from __future__ import annotations

import functools
import itertools
from collections import defaultdict, deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.collector import collector_paused
from app.draw.words import tensor_lines

# Match to_dot's drawing: Helvetica 11 pt, nodesep 0.3 in, ranksep 0.35 in (1 in = 72 pt).
_CHAR_PT = 6.6  # a little over Helvetica's average advance at 11 pt: boxes never overlap
_WIDE_CHAR_PT = 11.0  # CJK and other full-width characters
_LINE_PT = 13.2
_PAD_X, _PAD_Y = 21.6, 8.0  # to_dot's label margin (0.15 in, 0.055 in), both sides
_MIN_W, _MIN_H = 54.0, 21.6
_NODE_GAP = 21.6
_VIRTUAL_GAP = 8.0
_LAYER_GAP = 25.2
_SWEEPS = 8
# Past this many virtual nodes, long edges are ordered by their ends only (bounded work).
_MAX_VIRTUAL = 50_000

Position = tuple[float, float]


def node_lines(node: Mapping[str, Any], lang: str = "en") -> list[str]:
    """The lines of text ``to_dot`` puts in this node's box, in the drawing's language."""
    if node["kind"] == "tensor":
        return tensor_lines(node, lang)
    if node.get("version") is not None:  # made in place: the version it left its tensor at
        return [str(node["op"]), f"_version={node['version']}"]
    return [str(node["op"])]


def box_size(lines: Sequence[str]) -> tuple[float, float]:
    """An upper estimate of the box Graphviz draws around ``lines``, in points."""
    widest = max(map(_line_width, lines), default=0.0)
    return max(_MIN_W, widest + _PAD_X), max(_MIN_H, _LINE_PT * len(lines) + _PAD_Y)


# An ASCII line's width by its length: the sum of its characters' widths, added in the same
# order as ``_any_line_width`` adds them (so the same float), made once.
_ASCII_WIDTHS = list(itertools.accumulate(itertools.repeat(_CHAR_PT, 512), initial=0.0))


def _line_width(line: str) -> float:
    if line.isascii() and len(line) < len(_ASCII_WIDTHS):  # a 20,000-node graph's labels
        return _ASCII_WIDTHS[len(line)]
    return _any_line_width(line)


# A large graph repeats a few texts (op names, shapes, "scalar") thousands of times: each
# one's width is summed once per drawing process, not once per node.
@functools.lru_cache(maxsize=8192)
def _any_line_width(line: str) -> float:
    return sum(_WIDE_CHAR_PT if ord(ch) > 0x2E80 else _CHAR_PT for ch in line)


@dataclass(frozen=True)
class Layout:
    """Where everything goes: node centres, and the points long edges pass through."""

    positions: dict[str, Position]  # node id -> centre
    bends: dict[str, list[Position]]  # edge id -> its points between the layers it skips
    # node id -> its lines of text and its box (width, height): made once, drawn as placed
    lines: dict[str, list[str]] = field(default_factory=dict)
    sizes: dict[str, tuple[float, float]] = field(default_factory=dict)


def layered_layout(graph: Mapping[str, Any], lang: str = "en") -> Layout:
    """Node centres and long edges' bends for ``graph`` (the JSON graph's ``nodes`` and
    ``edges``), in points (y grows upward); boxes sized for their text in ``lang``."""
    with collector_paused():  # tens of thousands of small lists and dicts, no cycles
        return _layout(graph, lang)


def _layout(graph: Mapping[str, Any], lang: str) -> Layout:
    ids = [node["id"] for node in graph["nodes"]]
    if not ids:
        return Layout({}, {})
    lines = {node["id"]: node_lines(node, lang) for node in graph["nodes"]}
    sizes = {node: box_size(text) for node, text in lines.items()}
    known = set(ids)
    edges = [
        edge
        for edge in graph["edges"]
        if edge["source"] in known and edge["target"] in known and edge["source"] != edge["target"]
    ]
    pairs = [(edge["source"], edge["target"]) for edge in edges]
    layer = _layers(ids, pairs)
    rows, up, down, virtual, chains = _with_virtual_nodes(ids, pairs, layer)
    _order(rows, up, down)
    x = _x_positions(rows, up, down, sizes, virtual)
    points = _to_points(rows, x, sizes, virtual)
    return Layout(
        {node: points[node] for node in ids},
        {edges[index]["id"]: [points[p] for p in chain] for index, chain in chains.items()},
        lines,
        sizes,
    )


def _layers(ids: list[str], pairs: list[tuple[str, str]]) -> dict[str, int]:
    """Longest path from the inputs; then nodes moved down toward their consumers."""
    preds: dict[str, list[str]] = defaultdict(list)
    succs: dict[str, list[str]] = defaultdict(list)
    indegree = dict.fromkeys(ids, 0)
    for source, target in pairs:
        preds[target].append(source)
        succs[source].append(target)
        indegree[target] += 1
    order: list[str] = []
    queue = deque(node for node in ids if indegree[node] == 0)
    while queue:
        node = queue.popleft()
        order.append(node)
        for nxt in succs[node]:
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                queue.append(nxt)
    if len(order) < len(ids):  # a cycle: autograd graphs have none, but never loop on one
        placed = set(order)
        order.extend(node for node in ids if node not in placed)
    layer: dict[str, int] = {}
    for node in order:
        deepest = -1
        for p in preds[node]:
            if p in layer and layer[p] > deepest:
                deepest = layer[p]
        layer[node] = deepest + 1
    # Moving a node down shortens its outgoing edges and stretches its incoming ones: worth it
    # when it has no more inputs than outputs (a weight and its TBackward0 then sit just above
    # the layer that uses them, not in one wide row at the top).
    for node in reversed(order):
        below = succs[node]
        if below and len(preds[node]) <= len(below):
            first = min([layer[s] for s in below]) - 1
            layer[node] = max(layer[node], first)
    return layer


def long_edge_points(graph: Mapping[str, Any]) -> int:
    """How many virtual points the edges that span several layers pass through (in this
    layout's layers): what makes Graphviz slow on a graph of few nodes."""
    ids = [node["id"] for node in graph["nodes"]]
    known = set(ids)
    pairs = [
        (edge["source"], edge["target"])
        for edge in graph["edges"]
        if edge["source"] in known and edge["target"] in known and edge["source"] != edge["target"]
    ]
    layer = _layers(ids, pairs)
    return sum(max(0, layer[target] - layer[source] - 1) for source, target in pairs)


def _with_virtual_nodes(
    ids: list[str], pairs: list[tuple[str, str]], layer: dict[str, int]
) -> tuple[
    list[list[str]], dict[str, list[str]], dict[str, list[str]], set[str], dict[int, list[str]]
]:
    """Rows of node ids by layer (in graph order), the links between adjacent rows, and the
    virtual points of each long edge (by its index in ``pairs``)."""
    up: dict[str, list[str]] = {node: [] for node in ids}
    down: dict[str, list[str]] = {node: [] for node in ids}
    virtual: set[str] = set()
    chains: dict[int, list[str]] = {}
    points: list[str] = []  # the virtual points in the order of their edges, then steps
    spans = sum(max(0, layer[t] - layer[s] - 1) for s, t in pairs)
    for index, (source, target) in enumerate(pairs):
        span = layer[target] - layer[source]
        if span <= 0:
            continue  # an edge against the layers (only in a cycle): not used for ordering
        if span == 1 or spans > _MAX_VIRTUAL:  # most edges: adjacent layers, no points
            down[source].append(target)
            up[target].append(source)
            continue
        chain = [source]
        for step in range(1, span):
            point = f"\0{index}.{step}"  # never a JSON id
            layer[point] = layer[source] + step
            up[point], down[point] = [], []
            virtual.add(point)
            points.append(point)
            chain.append(point)
        chains[index] = chain[1:]
        chain.append(target)
        for above, below in itertools.pairwise(chain):
            down[above].append(below)
            up[below].append(above)
    rows: list[list[str]] = [[] for _ in range(max(layer.values()) + 1)]
    for node in ids:
        rows[layer[node]].append(node)
    for point in points:
        rows[layer[point]].append(point)
    # A layer can empty when its inputs move down; no edge crosses an empty layer.
    return [row for row in rows if row], up, down, virtual, chains


def _order(rows: list[list[str]], up: dict[str, list[str]], down: dict[str, list[str]]) -> None:
    """Reorder each row by barycentres, sweeping down and up; keep the fewest crossings."""
    index: dict[str, int] = {}
    for row in rows:
        for i, node in enumerate(row):
            index[node] = i
    best = [list(row) for row in rows]
    best_crossings = _crossings(rows, down, index)
    for sweep in range(_SWEEPS):
        if best_crossings == 0:
            break
        downward = sweep % 2 == 0
        sequence = rows[1:] if downward else rows[-2::-1]
        neighbours = up if downward else down
        for row in sequence:
            centre = {}
            for i, node in enumerate(row):
                near = neighbours[node]
                centre[node] = sum(index[n] for n in near) / len(near) if near else float(i)
            row.sort(key=centre.__getitem__)
            for i, node in enumerate(row):
                index[node] = i
        crossings = _crossings(rows, down, index)
        if crossings < best_crossings:
            best_crossings = crossings
            best = [list(row) for row in rows]
    rows[:] = best


def _crossings(rows: list[list[str]], down: dict[str, list[str]], index: dict[str, int]) -> int:
    """Edge crossings between adjacent rows: inversions counted with a Fenwick tree."""
    total = 0
    for row, below in itertools.pairwise(rows):
        if len(row) < 2 or len(below) < 2:
            continue
        # Only links into the row below: past _MAX_VIRTUAL a long edge links its ends directly,
        # and its target's index is in a row of another width.
        in_below = set(below)
        ends = sorted((index[a], index[b]) for a in row for b in down[a] if b in in_below)
        tree = [0] * (len(below) + 1)
        for seen, (_, end) in enumerate(ends):
            # how many earlier edges end strictly to the right of this one
            position, at_most = end + 1, 0
            while position > 0:
                at_most += tree[position]
                position -= position & -position
            total += seen - at_most
            position = end + 1
            while position <= len(below):
                tree[position] += 1
                position += position & -position
    return total


def _x_positions(
    rows: list[list[str]],
    up: dict[str, list[str]],
    down: dict[str, list[str]],
    sizes: dict[str, tuple[float, float]],
    virtual: set[str],
) -> dict[str, float]:
    """x of every node: vertical blocks, then the blocks packed (after Brandes and Koepf).

    Each node is aligned under its median input where that crosses no earlier alignment, so
    a chain of operations becomes one straight block; blocks are then packed as far left as
    the gaps allow, and again as far right, and each block placed halfway between.
    """

    def separation(left: str, right: str) -> float:
        gap = _VIRTUAL_GAP if left in virtual or right in virtual else _NODE_GAP
        half_left = 0.0 if left in virtual else sizes[left][0] / 2
        half_right = 0.0 if right in virtual else sizes[right][0] / 2
        return half_left + half_right + gap

    root = _vertical_blocks(rows, up)
    # The blocks' order constraints: a block stays its gap right of its left neighbours' blocks.
    gaps: dict[tuple[str, str], float] = {}
    for row in rows:
        for left, right in itertools.pairwise(row):
            pair = (root[left], root[right])
            gaps[pair] = max(gaps.get(pair, 0.0), separation(left, right))
    blocks = list(dict.fromkeys(root[node] for row in rows for node in row))
    order = _topological(blocks, gaps)
    if order is None:  # cannot happen with crossing-free alignment; never loop on it
        return _packed_rows(rows, separation)
    leftmost = dict.fromkeys(blocks, 0.0)
    for (a, b), gap in sorted(gaps.items(), key=lambda item: order[item[0][0]]):
        leftmost[b] = max(leftmost[b], leftmost[a] + gap)
    rightmost = dict.fromkeys(blocks, 0.0)
    for (a, b), gap in sorted(gaps.items(), key=lambda item: -order[item[0][1]]):
        rightmost[a] = min(rightmost[a], rightmost[b] - gap)
    span = max(leftmost.values()) - min(rightmost.values())
    return {node: (leftmost[root[node]] + rightmost[root[node]] + span) / 2 for node in root}


def _vertical_blocks(rows: list[list[str]], up: dict[str, list[str]]) -> dict[str, str]:
    """Each node's block (named by its top node): a node joins its median input's block when
    that input has no other node aligned under it and the alignment crosses no earlier one."""
    root: dict[str, str] = {}
    index: dict[str, int] = {}
    for row in rows:
        for i, node in enumerate(row):
            index[node] = i
            root[node] = node
    taken: set[str] = set()
    for row in rows[1:]:
        last = -1  # index, in the row above, of the last aligned input
        for node in row:
            inputs = up[node]
            if not inputs:
                continue
            if len(inputs) == 1:  # most nodes: one input, its own median
                above = inputs[0]
                if above not in taken and index[above] > last:
                    taken.add(above)
                    root[node] = root[above]
                    last = index[above]
                continue
            inputs = sorted(inputs, key=index.__getitem__)
            middle = (len(inputs) - 1) // 2
            for choice in dict.fromkeys((middle, len(inputs) // 2)):
                above = inputs[choice]
                if above not in taken and index[above] > last:
                    taken.add(above)
                    root[node] = root[above]
                    last = index[above]
                    break
    return root


def _topological(blocks: list[str], gaps: dict[tuple[str, str], float]) -> dict[str, int] | None:
    """Position of each block in an order that puts every left neighbour first (None: a cycle)."""
    after: dict[str, list[str]] = defaultdict(list)
    waiting = dict.fromkeys(blocks, 0)
    for a, b in gaps:
        after[a].append(b)
        waiting[b] += 1
    queue = deque(block for block in blocks if waiting[block] == 0)
    order: dict[str, int] = {}
    while queue:
        block = queue.popleft()
        order[block] = len(order)
        for nxt in after[block]:
            waiting[nxt] -= 1
            if waiting[nxt] == 0:
                queue.append(nxt)
    return order if len(order) == len(blocks) else None


def _packed_rows(
    rows: list[list[str]], separation: Callable[[str, str], float]
) -> dict[str, float]:
    """Each row packed and centred: the plain fallback."""
    x: dict[str, float] = {}
    for row in rows:
        cursor = 0.0
        for i, node in enumerate(row):
            if i:
                cursor += separation(row[i - 1], node)
            x[node] = cursor
        for node in row:
            x[node] -= cursor / 2
    return x


def _to_points(
    rows: list[list[str]],
    x: dict[str, float],
    sizes: dict[str, tuple[float, float]],
    virtual: set[str],
) -> dict[str, Position]:
    """Every centre (virtual points too), shifted so the real boxes start at x = 0, the first
    row at the top."""
    left = min(x[node] - sizes[node][0] / 2 for row in rows for node in row if node not in virtual)
    heights = []
    for row in rows:
        height = 0.0
        for node in row:
            if node not in virtual and sizes[node][1] > height:
                height = sizes[node][1]
        heights.append(height)
    top = sum(heights) + _LAYER_GAP * (len(rows) - 1)
    positions: dict[str, Position] = {}
    for row, height in zip(rows, heights, strict=True):
        y = round(top - height / 2, 1)  # the row's centre line
        for node in row:
            positions[node] = (round(x[node] - left, 1), y)
        top -= height + _LAYER_GAP
    return positions
