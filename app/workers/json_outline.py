"""A large graph line checked and outlined without turning it into Python objects.

A 10,000-op chain's graph is 16 MB of JSON: ``orjson.loads`` makes some two million Python
objects of it (0.2 to 0.5 s, on the request's path, after its worker has finished), only for
the server to check it and count its nodes: the answer embeds the line as it came. simdjson
validates the whole document (grammar, UTF-8, nesting) into its own tape at about 0.3 GB/s,
and the outline reads only the top level. Whatever simdjson will not read (``NaN`` from a
worker's fallback encoder, an integer past 64 bits, a lone surrogate) raises ``Unreadable``,
and the caller decodes the line as before, which then accepts or rejects it.
"""

from __future__ import annotations

import threading
from collections.abc import Collection

import simdjson

from app.record import GraphOutline

# One parser, reused: its buffers grow to the largest document once (a new parser for each
# 16 MB line costs 0.1 s more). Parsing is brief; concurrent large replies take turns.
_PARSER = simdjson.Parser()
_LOCK = threading.Lock()


class Unreadable(ValueError):
    """simdjson does not read this line (not necessarily invalid JSON: see the module)."""


def graph_outline(line: bytes, allowed: Collection[str]) -> tuple[bool, GraphOutline | None]:
    """Whether ``line`` is JSON ``null`` or an object with no field but ``allowed``, and its
    outline (None for ``null``); raises Unreadable if simdjson cannot read it."""
    with _LOCK:
        try:
            document = _PARSER.parse(line)
        except (ValueError, RuntimeError) as exc:  # UnicodeDecodeError is a ValueError
            raise Unreadable(str(exc)) from exc
        try:
            if document is None:
                return True, None
            if not isinstance(document, simdjson.Object):
                return False, None
            fields = tuple(document.keys())
            if len(set(fields)) < len(fields):  # which one counts is the decoder's choice
                raise Unreadable("a field given twice")
            if not set(fields) <= set(allowed):
                return False, None
            nodes, edges = document.get("nodes"), document.get("edges")
            return True, GraphOutline(
                fields,
                len(nodes) if isinstance(nodes, simdjson.Array) else None,
                len(edges) if isinstance(edges, simdjson.Array) else None,
            )
        finally:
            # The parser is reused only once nothing refers to its last document.
            document = nodes = edges = None
