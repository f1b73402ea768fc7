"""Draw a graph: ``to_dot`` writes Graphviz DOT, ``to_svg`` lays it out with Graphviz.

Node and edge ids in the DOT (and so the ``id`` attributes of the SVG's ``<g>`` elements) are
the JSON ids, so a client can tie every shape in the picture to its node in the JSON.

Small graphs are laid out in this process through Graphviz's C library (libgvc), about 0.5 ms
where starting a ``dot`` process costs about 10 ms. Larger ones go to a ``dot`` process, which
can be killed when it runs past the time limit (a C call in this process could not be). The
largest are placed by ``app/draw/layout.py`` (``dot``'s time grows faster than the graph:
about 2 s for a 5,000-node MLP) and drawn by ``app/draw/placed_svg.py`` in Graphviz's SVG
structure, with the same styles.
"""

from __future__ import annotations

import ctypes
import logging
import re
import subprocess
import threading
from collections import OrderedDict
from typing import Any

import graphviz

from app.collector import collector_paused
from app.draw.graphviz_plugins import dot_environment, preloaded_symbols
from app.draw.layout import layered_layout
from app.draw.palette import EDGE_COLOR, EDGE_STYLES, FUNCTION_STYLE, ROLE_STYLES
from app.draw.placed_svg import placed_svg
from app.graph_model import Graph


class RenderError(Exception):
    """Graphviz failed or took too long to lay out the graph."""


def to_dot(graph: Graph | dict[str, Any]) -> str:
    """The graph as Graphviz DOT, inputs at the top and the backward roots at the bottom.

    The document's head (graph, node and edge defaults) is written once by the ``graphviz``
    package; each node and edge statement is written here (``Digraph.node`` costs ~17 us a
    statement: 100 ms for a 6,000-node graph). Every id and label goes through ``_quote`` /
    ``_escape``: the graph comes from a worker, and nothing in it may add an attribute
    (``image=...`` would make Graphviz read a file). The package's own ``quote`` leaves a
    trailing backslash unescaped, which would end a quoted string early.
    """
    data = graph.to_dict() if isinstance(graph, Graph) else graph
    lines = [_DOT_HEAD]
    append = lines.append
    for node in data["nodes"]:
        node_id = _quote(node["id"])
        if node["kind"] == "tensor":
            shape = str(node["shape"]) if node["shape"] else "scalar"
            label = _escape(str(node["label"])) + "\\n" + _escape(shape)
            append(f'\t{node_id} [label="{label}" id={node_id} {_TENSOR_ATTRS[node["role"]]}]\n')
        else:
            append(
                f"\t{node_id} [label={_quote(str(node['op']))} id={node_id} {_FUNCTION_ATTRS}]\n"
            )
    for edge in data["edges"]:
        ends = f"{_quote(edge['source'])} -> {_quote(edge['target'])}"
        append(f"\t{ends} [id={_quote(edge['id'])}{_EDGE_ATTRS[edge['kind']]}]\n")
    append("}\n")
    return "".join(lines)


def _dot_head() -> str:
    """``digraph autograd {`` and the defaults, as the ``graphviz`` package writes them."""
    document = graphviz.Digraph(
        "autograd",
        graph_attr={
            "rankdir": "TB",
            "newrank": "true",
            "bgcolor": "transparent",
            "fontname": "Helvetica",
            "nodesep": "0.3",
            "ranksep": "0.35",
        },
        # margin: a little wider than the default 0.11 in, as labels are sized with Helvetica
        # metrics (graphviz_plugins.py) and a browser without Helvetica draws a wider font.
        node_attr={
            "fontname": "Helvetica",
            "fontsize": "11",
            "height": "0.3",
            "margin": "0.15,0.055",
        },
        edge_attr={
            "arrowsize": "0.7",
            "color": EDGE_COLOR,
            "fontname": "Helvetica",
            "fontsize": "9",
        },
    )
    source: str = document.source
    return source.removesuffix("}\n")


_DOT_HEAD = _dot_head()


_BARE_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|-?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)")
_DOT_KEYWORDS = frozenset({"node", "edge", "graph", "digraph", "subgraph", "strict"})


def _escape(text: str) -> str:
    """Text for inside a double-quoted DOT string: backslashes and quotes escaped, no raw newline."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "")


def _quote(text: str) -> str:
    """A DOT id: bare when it is a plain name or number, else quoted and escaped."""
    if _BARE_ID.fullmatch(text) and text.lower() not in _DOT_KEYWORDS:
        return text
    return f'"{_escape(text)}"'


def _attributes(attrs: dict[str, str]) -> str:
    return " ".join(f"{key}={_quote(value)}" for key, value in sorted(attrs.items()))


_TENSOR_ATTRS = {
    role: _attributes({"shape": "box", "style": "filled", **style})
    for role, style in ROLE_STYLES.items()
}
_FUNCTION_ATTRS = _attributes({"shape": "box", **FUNCTION_STYLE})
_EDGE_ATTRS = {
    kind: "".join(f" {key}={_quote(value)}" for key, value in sorted(style.items()))
    for kind, style in EDGE_STYLES.items()
}


def to_svg(
    dot_source: str,
    timeout_s: float = 10.0,
    *,
    node_count: int | None = None,
    graph: Graph | dict[str, Any] | None = None,
) -> str:
    """Lay out DOT with Graphviz and return the SVG (small graphs cached by content).

    ``graph`` is the graph the DOT was written from: with it, a graph of at least
    ``LAYERED_MIN_NODES`` nodes is placed by ``app/draw/layout.py`` and drawn by
    ``app/draw/placed_svg.py``.
    """
    if graph is not None and node_count is not None and node_count >= LAYERED_MIN_NODES:
        return to_layered_svg(graph)
    small = node_count is not None and node_count <= IN_PROCESS_MAX_NODES
    if not small:
        return render_with_dot(dot_source, timeout_s)
    cached = _SMALL_SVGS.get(dot_source)
    if cached is not None:
        return cached
    library = _library()
    svg = library.render(dot_source) if library is not None else None
    if svg is None:
        svg = render_with_dot(dot_source, timeout_s)
    _SMALL_SVGS.put(dot_source, svg)
    return svg


def to_layered_svg(graph: Graph | dict[str, Any]) -> str:
    """The SVG of ``graph`` placed by ``app/draw/layout.py`` and drawn by
    ``app/draw/placed_svg.py`` in this module's styles: how graphs of ``LAYERED_MIN_NODES``
    nodes or more are drawn (linear time, straight edges)."""
    data = graph.to_dict() if isinstance(graph, Graph) else graph
    with collector_paused():  # some 100,000 short strings and tuples, no cycles
        return placed_svg(
            data,
            layered_layout(data),
            ROLE_STYLES,
            EDGE_STYLES,
            FUNCTION_STYLE,
            EDGE_COLOR,
        )


def svg_if_quick(dot_source: str, node_count: int) -> str | None:
    """The SVG if making it now costs well under a millisecond, else None.

    That is: it is cached, or the graph is tiny and Graphviz is idle. The server calls this on
    its event loop and hands everything else to a thread (a thread hop costs more than a tiny
    layout; a layout that had to wait for the lock would stall every other request).
    """
    if node_count > INLINE_MAX_NODES:
        return None
    cached = _SMALL_SVGS.get(dot_source)
    if cached is not None:
        return cached
    library = _library()
    svg = library.render(dot_source, wait=False) if library is not None else None
    if svg is not None:
        _SMALL_SVGS.put(dot_source, svg)
    return svg


class _SvgCache:
    """SVGs of small graphs by DOT text, least recently used dropped first (thread-safe).

    Only small graphs are cached (their SVG is a few kB to ~100 kB): the cache stays bounded
    in bytes, and a large graph's layout costs far more than the lookup it would save.
    """

    def __init__(self, entries: int) -> None:
        self._entries = entries
        self._svgs: OrderedDict[str, str] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, dot_source: str) -> str | None:
        with self._lock:
            svg = self._svgs.get(dot_source)
            if svg is not None:
                self._svgs.move_to_end(dot_source)
            return svg

    def put(self, dot_source: str, svg: str) -> None:
        with self._lock:
            self._svgs[dot_source] = svg
            while len(self._svgs) > self._entries:
                self._svgs.popitem(last=False)


_SMALL_SVGS = _SvgCache(512)


def render_with_dot(dot_source: str, timeout_s: float) -> str:
    """Lay out with a `dot` process, killed past ``timeout_s`` (raises RenderError)."""
    try:
        done = subprocess.run(
            ["dot", "-Tsvg"],
            input=dot_source.encode(),
            capture_output=True,
            timeout=timeout_s,
            check=False,
            env=dot_environment(),
        )
    except subprocess.TimeoutExpired as exc:
        raise RenderError(f"graph layout took longer than {timeout_s} s") from exc
    except OSError as exc:
        raise RenderError(f"Graphviz is not available: {exc}") from exc
    if done.returncode != 0:
        raise RenderError(f"Graphviz failed: {done.stderr.decode(errors='replace').strip()[:300]}")
    return done.stdout.decode()


log = logging.getLogger(__name__)

# Graphs up to this many nodes lay out in well under 50 ms in process; larger ones go to `dot`.
IN_PROCESS_MAX_NODES = 300
# Graphs up to this many nodes lay out in under a millisecond: cheaper than a thread hop.
INLINE_MAX_NODES = 40
# From this many nodes on, app/draw/layout.py places the nodes and placed_svg.py draws them:
# `dot` takes 0.2 s for a 1,500-node MLP but about 2 s at 5,000 nodes; this stays near 0.1 s.
LAYERED_MIN_NODES = 2000


class _Graphviz:
    """Graphviz's C library through ctypes; one layout at a time (it is not thread-safe)."""

    def __init__(self) -> None:
        gvc = ctypes.CDLL("libgvc.so.6")
        cgraph = ctypes.CDLL("libcgraph.so.6")
        gvc.gvContext.restype = ctypes.c_void_p
        cgraph.agmemread.restype = ctypes.c_void_p
        cgraph.agmemread.argtypes = [ctypes.c_char_p]
        gvc.gvLayout.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_char_p]
        gvc.gvRenderData.argtypes = [
            ctypes.c_void_p,
            ctypes.c_void_p,
            ctypes.c_char_p,
            ctypes.POINTER(ctypes.c_void_p),
            ctypes.POINTER(ctypes.c_uint),
        ]
        gvc.gvFreeRenderData.argtypes = [ctypes.c_void_p]
        gvc.gvFreeLayout.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        cgraph.agclose.argtypes = [ctypes.c_void_p]
        self._gvc = gvc
        self._cgraph = cgraph
        symbols = preloaded_symbols()
        if symbols is not None:
            gvc.gvContextPlugins.restype = ctypes.c_void_p
            gvc.gvContextPlugins.argtypes = [ctypes.c_void_p, ctypes.c_int]
            self._symbols = symbols  # Graphviz keeps pointers into it
            self._context = gvc.gvContextPlugins(symbols, 0)
        else:
            self._context = gvc.gvContext()
        if not self._context:
            raise OSError("gvContext failed")

    def render(self, dot_source: str, *, wait: bool = True) -> str | None:
        """The SVG; None only when ``wait`` is False and another thread is laying out."""
        if not _GRAPHVIZ_LOCK.acquire(blocking=wait):
            return None
        try:
            return self._render(dot_source)
        finally:
            _GRAPHVIZ_LOCK.release()

    def _render(self, dot_source: str) -> str:
        graph = self._cgraph.agmemread(dot_source.encode())
        if not graph:
            raise RenderError("Graphviz could not read the graph")
        try:
            if self._gvc.gvLayout(self._context, graph, b"dot") != 0:
                raise RenderError("Graphviz layout failed")
            data = ctypes.c_void_p()
            length = ctypes.c_uint()
            status = self._gvc.gvRenderData(
                self._context, graph, b"svg", ctypes.byref(data), ctypes.byref(length)
            )
            if status != 0 or not data:
                raise RenderError("Graphviz could not render SVG")
            svg = ctypes.string_at(data, length.value).decode()
            self._gvc.gvFreeRenderData(data)
            self._gvc.gvFreeLayout(self._context, graph)
            return svg
        finally:
            self._cgraph.agclose(graph)


# Graphviz keeps global state: one context for the process, used by one thread at a time.
# (Two contexts made concurrently from two request threads corrupted memory under load.)
_GRAPHVIZ_LOCK = threading.Lock()
_loaded: list[_Graphviz | None] = []


def _library() -> _Graphviz | None:
    if _loaded:
        return _loaded[0]
    with _GRAPHVIZ_LOCK:
        if not _loaded:
            try:
                _loaded.append(_Graphviz())
            except OSError as exc:
                log.warning("Graphviz library not loadable (%s); using the dot command", exc)
                _loaded.append(None)
        return _loaded[0]
