"""The part of a graph a drawing reads: its fields, and its JSON.

Two sides make that JSON and must agree to the byte: the worker, which sends a large graph's
part early so the server can start drawing it while extraction goes on (``app/walk/encode.py``),
and the server, which makes it from a graph a worker sent (``app/draw/drawn_part.py``).
"""

from __future__ import annotations

import json
from typing import Any

import orjson

# What the drawing code reads, by kind of item: a field it starts reading goes here too
# (tests/unit/test_drawn_part.py draws the gallery both ways and compares).
NODE_FIELDS = ("id", "kind", "label", "name", "names", "role", "shape", "op", "version")
EDGE_FIELDS = ("id", "source", "target", "kind")


def part_json(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> bytes | None:
    """``{"nodes": nodes, "edges": edges}`` as JSON: orjson, else the standard library's ASCII
    escapes (a lone surrogate in a name), or None where neither can encode it."""
    part = {"nodes": nodes, "edges": edges}
    try:
        return orjson.dumps(part)
    except orjson.JSONEncodeError:  # a lone surrogate, or nesting deeper than orjson goes
        pass
    try:
        return json.dumps(part, ensure_ascii=True).encode("ascii")
    except (ValueError, TypeError, RecursionError):
        return None
