"""Draw a graph whose nodes ``app/draw/layout.py`` placed: SVG in Graphviz's own structure.

For large graphs even drawing through Graphviz (``neato -n2``: parse the DOT, route, render)
costs 0.2 to 0.3 s; writing the same picture here is a single pass over nodes and edges. The
document has the shape Graphviz gives every other graph, which the browser relies on: a
``<g id=ID class="node">`` per node with a ``<title>``, its box (``polygon``, or ``path``
with rounded corners for function nodes) and one ``<text>`` per label line; a ``<g id=ID
class="edge">`` per edge with a ``<path>`` (through the bends of an edge that skips layers)
and an arrowhead ``<polygon>``. Colours, dashes
and sizes are those of ``render.to_dot``'s attributes; the node texts' font, which Graphviz
writes on each ``<text>``, is written once on the graph's group and inherited. Every text goes
through ``html.escape``: labels come from a worker.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape as _html_escape
from typing import Any

from app.draw.layout import Layout, box_size, node_lines

FONT = 'font-family="Helvetica,sans-Serif"'
# A node's text: what Graphviz writes on each <text>, written once on the graph's group and
# inherited (a fifth of a 20,000-node document's bytes, and its writing, otherwise).
_NODE_TEXT = f'{FONT} font-size="11.00" text-anchor="middle"'
_MARGIN = 4.0
_LINE_STEP = 12.0  # Graphviz's baseline step for 11 pt lines
_BASELINE = 2.8  # a single line's baseline below the box centre
_ARROW_LENGTH = 7.0  # arrowsize 0.7
_ARROW_HALF_WIDTH = 2.45
_PARALLEL_OFFSET = 8.0  # edges between the same two nodes, side by side
_CORNER = 3.67  # rounded corner of a function node's box
_DASHES = {"dashed": "5,2", "dotted": "1,5"}
_SPECIAL = re.compile(r"[&<>\"']")


def escape(text: str, quote: bool = True) -> str:
    """``html.escape``, with a fast path for the common text that needs none (ids, op names)."""
    return _html_escape(text, quote) if _SPECIAL.search(text) else text


def placed_svg(
    graph: Mapping[str, Any],
    layout: Layout,
    node_styles: Mapping[str, Mapping[str, str]],
    edge_styles: Mapping[str, Mapping[str, str]],
    function_style: Mapping[str, str],
    edge_color: str,
    lang: str = "en",
) -> str:
    """The SVG of ``graph`` placed by ``layout`` (points, y growing upward): boxes at the node
    centres, straight segments through the bends of edges that skip layers.

    ``node_styles`` maps a tensor role, and ``edge_styles`` an edge kind, to the Graphviz
    attributes ``to_dot`` uses (``fillcolor``, ``color``, ``style``, ``penwidth``, ``label``,
    ``arrowhead``); ``function_style`` is a function node's.
    """
    boxes: dict[str, tuple[float, float, float, float]] = {}  # id -> centre x, y, half w, h
    lines_of: dict[str, list[str]] = {}
    inf = float("inf")
    left, right, upper, lower = inf, -inf, inf, -inf  # the boxes' and bends' extent
    for node in graph["nodes"]:
        node_id = node["id"]
        place = layout.positions.get(node_id)
        if place is None:
            continue
        lines = layout.lines.get(node_id)
        if lines is None:  # a layout made without its texts
            lines = node_lines(node, lang)
        size = layout.sizes.get(node_id)
        width, height = box_size(lines) if size is None else size
        x, y, half_w, half_h = place[0], -place[1], width / 2, height / 2  # SVG's y grows down
        boxes[node_id] = (x, y, half_w, half_h)
        lines_of[node_id] = lines
    if boxes:  # the boxes' extent in one pass per side (four min/max calls a node cost more)
        placed = boxes.values()
        left = min([x - half_w for x, _, half_w, _ in placed])
        right = max([x + half_w for x, _, half_w, _ in placed])
        upper = min([y - half_h for _, y, _, half_h in placed])
        lower = max([y + half_h for _, y, _, half_h in placed])
    bends = {edge: [(x, -y) for x, y in points] for edge, points in layout.bends.items()}
    for points in bends.values():
        for x, y in points:
            left, right, upper, lower = min(left, x), max(right, x), min(upper, y), max(lower, y)
    if not boxes and not bends:
        left = right = upper = lower = 0.0
    width_pt = right - left + 2 * _MARGIN
    height_pt = lower - upper + 2 * _MARGIN
    out = [
        (
            '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
            f'<svg width="{width_pt:.0f}pt" height="{height_pt:.0f}pt"'
            f' viewBox="0.00 0.00 {width_pt:.2f} {height_pt:.2f}"'
            ' xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">\n'
            f'<g id="graph0" class="graph" {_NODE_TEXT} transform="translate({_MARGIN - left:.2f}'
            f' {_MARGIN - upper:.2f})">\n'
            "<title>autograd</title>\n"
        )
    ]
    # Each style's attributes are written once, not once per node or edge.
    role_paint = {role: _box_paint(style, edge_color) for role, style in node_styles.items()}
    plain_paint = _box_paint({}, edge_color)
    function_paint = _box_paint(function_style, "#000000")
    # Escaped once per id: an id is written again at each edge that ends at its node.
    escaped_ids = {node_id: escape(str(node_id)) for node_id in boxes}
    for node in graph["nodes"]:
        box = boxes.get(node["id"])
        if box is None:
            continue
        if node["kind"] == "tensor":
            shape = _rectangle(box, role_paint.get(node["role"], plain_paint))
        else:
            shape = _rounded(box, function_paint)
        node_id = escaped_ids[node["id"]]
        out.append(f'<g id="{node_id}" class="node">\n<title>{node_id}</title>\n{shape}\n')
        x, y, _, _ = box
        lines = lines_of[node["id"]]
        text_x = f"{x:.2f}"
        half = (len(lines) - 1) / 2
        for i, line in enumerate(lines):
            out.append(
                f'<text x="{text_x}" y="{y + _BASELINE + (i - half) * _LINE_STEP:.2f}">'
                f"{escape(line, quote=False)}</text>\n"
            )
        out.append("</g>\n")
    # Edges between the same two nodes side by side: each one's place among its siblings,
    # counted in one pass (looking each up in its siblings' list was quadratic in them).
    siblings: dict[tuple[str, str], int] = defaultdict(int)
    ranks: list[int] = []
    for edge in graph["edges"]:
        pair = (edge["source"], edge["target"])
        ranks.append(siblings[pair])
        siblings[pair] += 1
    kind_paint = {kind: _EdgePaint.of(style, edge_color) for kind, style in edge_styles.items()}
    plain_edge = _EdgePaint.of({}, edge_color)
    for edge, rank in zip(graph["edges"], ranks, strict=True):
        source, target = boxes.get(edge["source"]), boxes.get(edge["target"])
        if source is None or target is None:
            continue
        count = siblings[(edge["source"], edge["target"])]
        offset = (rank - (count - 1) / 2) * _PARALLEL_OFFSET
        paint = kind_paint.get(edge["kind"], plain_edge)
        ends = (escaped_ids[edge["source"]], escaped_ids[edge["target"]])
        out.append(_edge(edge, ends, source, target, offset, bends.get(edge["id"], []), paint))
    out.append("</g>\n</svg>\n")
    return "".join(out)


def _stroke(style: Mapping[str, str], default_color: str) -> str:
    color = style.get("color", default_color)
    attrs = f'stroke="{escape(color)}"'
    if "penwidth" in style:
        attrs += f' stroke-width="{escape(style["penwidth"])}"'
    for word, dashes in _DASHES.items():
        if word in style.get("style", "").split(","):
            attrs += f' stroke-dasharray="{dashes}"'
    return attrs


def _box_paint(style: Mapping[str, str], default_color: str) -> str:
    """A box's fill and stroke attributes in ``style``."""
    fill = escape(style.get("fillcolor", "none"))
    return f'fill="{fill}" {_stroke(style, default_color)}'


def _rectangle(box: tuple[float, float, float, float], paint: str) -> str:
    x, y, half_w, half_h = box
    left, right = f"{x - half_w:.2f}", f"{x + half_w:.2f}"
    upper, lower = f"{y - half_h:.2f}", f"{y + half_h:.2f}"
    return (
        f'<polygon {paint} points="{right},{upper} {left},{upper} {left},{lower}'
        f' {right},{lower} {right},{upper}"/>'
    )


def _rounded(box: tuple[float, float, float, float], paint: str) -> str:
    x, y, half_w, half_h = box
    r = _CORNER
    left, right = f"{x - half_w:.2f}", f"{x + half_w:.2f}"
    upper, lower = f"{y - half_h:.2f}", f"{y + half_h:.2f}"
    left_in, right_in = f"{x - half_w + r:.2f}", f"{x + half_w - r:.2f}"
    upper_in, lower_in = f"{y - half_h + r:.2f}", f"{y + half_h - r:.2f}"
    d = (
        f"M{left_in},{upper}H{right_in}Q{right},{upper} {right},{upper_in}V{lower_in}"
        f"Q{right},{lower} {right_in},{lower}H{left_in}Q{left},{lower} {left},{lower_in}"
        f"V{upper_in}Q{left},{upper} {left_in},{upper}Z"
    )
    return f'<path {paint} d="{d}"/>'


@dataclass(frozen=True)
class _EdgePaint:
    """An edge style's attributes as the SVG writes them."""

    stroke: str  # the path's stroke attributes
    color: str  # the arrowhead's stroke
    head_fill: str
    label: str | None  # escaped

    @classmethod
    def of(cls, style: Mapping[str, str], default_color: str) -> _EdgePaint:
        color = escape(style.get("color", default_color))
        head_fill = "none" if style.get("arrowhead") == "empty" else color
        label = escape(style["label"], quote=False) if "label" in style else None
        return cls(_stroke(style, default_color), color, head_fill, label)


def _edge(
    edge: Mapping[str, Any],
    ends: tuple[str, str],
    source: tuple[float, float, float, float],
    target: tuple[float, float, float, float],
    offset: float,
    bends: list[tuple[float, float]],
    paint: _EdgePaint,
) -> str:
    """An edge from the source box's lower side, through its bends, to the arrow tip on the
    target's upper side, in straight segments; ``ends`` are its source's and target's ids,
    escaped."""
    sx, sy, s_half_w, s_half_h = source
    tx, ty, t_half_w, t_half_h = target
    if offset:  # one of several edges between the same two nodes: shifted, within the boxes
        start_x = sx + max(-s_half_w, min(s_half_w, offset))
        end_x = tx + max(-t_half_w, min(t_half_w, offset))
    else:
        start_x, end_x = sx, tx
    # From below the source to above the target; an edge that goes up (only in a cycle, which
    # autograd graphs never have) still starts and ends on the facing sides.
    down = 1.0 if ty >= sy else -1.0
    start_y = sy + down * s_half_h
    tip_y = ty - down * t_half_h
    last_x, last_y = bends[-1] if bends else (start_x, start_y)
    dx, dy = end_x - last_x, tip_y - last_y
    length = max((dx * dx + dy * dy) ** 0.5, 1e-9)
    ux, uy = dx / length, dy / length
    base_x, base_y = end_x - ux * _ARROW_LENGTH, tip_y - uy * _ARROW_LENGTH
    wing_x, wing_y = -uy * _ARROW_HALF_WIDTH, ux * _ARROW_HALF_WIDTH
    source_id, target_id = ends
    through = "".join([f"L{x:.2f},{y:.2f}" for x, y in bends]) if bends else ""
    wing = f"{base_x + wing_x:.2f},{base_y + wing_y:.2f}"
    drawn = (
        f'<g id="{escape(str(edge["id"]))}" class="edge">\n'
        f"<title>{source_id}&#45;&gt;{target_id}</title>\n"
        f'<path fill="none" {paint.stroke}'
        f' d="M{start_x:.2f},{start_y:.2f}{through}L{base_x:.2f},{base_y:.2f}"/>\n'
        f'<polygon fill="{paint.head_fill}" stroke="{paint.color}" points="{wing}'
        f" {end_x:.2f},{tip_y:.2f} {base_x - wing_x:.2f},{base_y - wing_y:.2f} {wing}"
        '"/>\n'
    )
    if paint.label is None:  # most edges
        return drawn + "</g>\n"
    first_x, first_y = bends[0] if bends else (base_x, base_y)
    mid_x, mid_y = (start_x + first_x) / 2, (start_y + first_y) / 2
    return (
        f'{drawn}<text text-anchor="start" x="{mid_x + 4:.2f}" y="{mid_y:.2f}"'
        f' font-size="9.00">{paint.label}</text>\n</g>\n'
    )
