"""Draw a graph: ``to_dot`` writes Graphviz DOT, ``to_svg`` lays it out with Graphviz.

Node and edge ids in the DOT (and so the ``id`` attributes of the SVG's ``<g>`` elements) are
the JSON ids, so a client can tie every shape in the picture to its node in the JSON.

This runs in a drawing process (``app/draw/drawing_process.py``), never on the server's event
loop: the server kills a drawing process that runs past the deadline, so Graphviz's C library
(libgvc, through ctypes: about 0.5 ms for a small graph where starting a ``dot`` process costs
about 10 ms) lays out every graph up to ``LAYERED_MIN_NODES`` nodes in process. The largest
graphs, those with very many edges, and those with many edges that span layers (a
hand-written backward pass) are placed by ``app/draw/layout.py`` (``dot``'s time grows
faster than the graph: about 2 s for a 5,000-node MLP; the rules are in
``app/draw/engine_choice.py``) and drawn by
``app/draw/placed_svg.py`` in Graphviz's SVG structure, with the same styles; both are linear
in nodes and edges. DOT and SVG are UTF-8: a lone surrogate (or a NUL) in a label is drawn as
U+FFFD.
"""

from __future__ import annotations

import ctypes
import hashlib
import logging
import re
import signal
import subprocess
import threading
from typing import Any

import graphviz

from app.bounded_lru import BoundedLRU
from app.collector import collector_paused
from app.draw.engine_choice import LAYERED_FROM, layered_because
from app.draw.graphviz_plugins import dot_environment, preloaded_symbols
from app.draw.layout import layered_layout, node_lines
from app.draw.palette import EDGE_COLOR, EDGE_STYLES, FUNCTION_STYLE, ROLE_STYLES
from app.draw.placed_svg import placed_svg
from app.draw.words import tensor_lines
from app.graph_model import Graph


class RenderError(Exception):
    """Graphviz failed or took too long to lay out the graph."""


def to_dot(graph: Graph | dict[str, Any], lang: str = "en") -> str:
    """The graph as Graphviz DOT, inputs at the top and the backward roots at the bottom; the
    words it adds (``scalar``, an unnamed tensor's role) in ``lang`` (``app/draw/words.py``).

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
    quoted: dict[str, str] = {}  # each node's id, quoted once: edges name it again
    for node in data["nodes"]:
        node_id = quoted[node["id"]] = _quote(node["id"])
        if node["kind"] == "tensor":
            name, shape = tensor_lines(node, lang)
            label = _escape(name) + "\\n" + _escape(shape)
            append(f'\t{node_id} [label="{label}" id={node_id} {_TENSOR_ATTRS[node["role"]]}]\n')
        else:
            label = "\\n".join(_escape(line) for line in node_lines(node))
            append(f'\t{node_id} [label="{label}" id={node_id} {_FUNCTION_ATTRS}]\n')
    for edge in data["edges"]:
        source, target = edge["source"], edge["target"]
        ends = f"{quoted.get(source) or _quote(source)} -> {quoted.get(target) or _quote(target)}"
        append(f"\t{ends} [id={_quote(edge['id'])}{_EDGE_ATTRS[edge['kind']]}]\n")
    append("}\n")
    return well_formed("".join(lines))


_SURROGATE = re.compile("[\ud800-\udfff]")


def well_formed(text: str) -> str:
    """``text`` with every lone surrogate and NUL replaced by U+FFFD: DOT and SVG are UTF-8,
    which cannot hold a surrogate, Graphviz reads C strings, which end at a NUL, and a program
    may name a module ``chr(0xD800)`` or ``"a\\x00b"``."""
    try:
        text.encode()
    except UnicodeEncodeError:
        text = _SURROGATE.sub("\ufffd", text)
    return text.replace("\x00", "\ufffd")


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
    lang: str = "en",
) -> str:
    """Lay out DOT with Graphviz and return the SVG (cached by the DOT's digest).

    ``graph`` is the graph the DOT was written from: with it, a graph that meets a rule of
    ``app/draw/engine_choice.py`` (``LAYERED_MIN_NODES`` nodes, ``LAYERED_MIN_EDGES`` edges,
    or many long edges) is placed by ``app/draw/layout.py`` and drawn by
    ``app/draw/placed_svg.py``. ``timeout_s`` bounds
    only a ``dot`` process (where libgvc cannot be loaded); the caller bounds the rest.
    ``node_count`` is accepted for callers that pass it and no longer needed.
    """
    if graph is not None and takes_layered_path(graph):
        return to_layered_svg(graph, lang)
    key = hashlib.blake2b(dot_source.encode(), digest_size=16).hexdigest()
    cached = _SVGS.get(key)
    if cached is not None:
        return cached
    library = _library()
    svg = library.render(dot_source) if library is not None else None
    if svg is None:
        svg = render_with_dot(dot_source, timeout_s)
    _SVGS.put(key, svg)
    return svg


def takes_layered_path(graph: Graph | dict[str, Any]) -> bool:
    """Whether ``graph`` is drawn by the layered layout rather than Graphviz: many nodes, many
    edges, or many edges that span layers (``app/draw/engine_choice.py``)."""
    data = graph.to_dict() if isinstance(graph, Graph) else graph
    return layered_because(data) is not None


def to_layered_svg(graph: Graph | dict[str, Any], lang: str = "en") -> str:
    """The SVG of ``graph`` placed by ``app/draw/layout.py`` and drawn by
    ``app/draw/placed_svg.py`` in this module's styles: how graphs of ``LAYERED_MIN_NODES``
    nodes or more are drawn (linear time, straight edges)."""
    data = graph.to_dict() if isinstance(graph, Graph) else graph
    with collector_paused():  # some 100,000 short strings and tuples, no cycles
        svg = placed_svg(
            data,
            layered_layout(data, lang),
            ROLE_STYLES,
            EDGE_STYLES,
            FUNCTION_STYLE,
            EDGE_COLOR,
            lang,
        )
    return well_formed(svg)


# SVGs by their DOT's digest, least recently used dropped first. A drawing process keeps this
# one (a program run again with a new comment, or with other random values, draws the same
# DOT); 32 MiB at most, an SVG at most 1/16 of it (2 MiB: some 700 nodes).
_SVGS: BoundedLRU[str] = BoundedLRU(max_entries=512, max_bytes=32 * 2**20, entry_share=16)


_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In a ``dot`` child before it runs: SIGKILL when the drawing process ends. Its pool kills
    the process group past the deadline, but a drawing process the kernel ended (out of
    memory) would otherwise leave its ``dot`` running with nobody to reap it."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


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
            preexec_fn=_die_with_parent,  # the drawing process is single-threaded
        )
    except subprocess.TimeoutExpired as exc:
        raise RenderError(f"graph layout took longer than {timeout_s} s") from exc
    except OSError as exc:
        raise RenderError(f"Graphviz is not available: {exc}") from exc
    if done.returncode != 0:
        raise RenderError(f"Graphviz failed: {done.stderr.decode(errors='replace').strip()[:300]}")
    return done.stdout.decode(errors="replace")


log = logging.getLogger(__name__)

# From this many nodes on, app/draw/layout.py places the nodes and placed_svg.py draws them
# (and from this many edges, or long-edge points: app/draw/engine_choice.py).
_THRESHOLDS = {name: threshold for name, _, threshold in LAYERED_FROM}
LAYERED_MIN_NODES = _THRESHOLDS["nodes"]
LAYERED_MIN_EDGES = _THRESHOLDS["edges"]
# Graphs below LAYERED_MIN_NODES are laid out by libgvc in the drawing process.
IN_PROCESS_MAX_NODES = LAYERED_MIN_NODES - 1


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

    def render(self, dot_source: str) -> str:
        """The SVG of ``dot_source`` (one layout at a time in the process)."""
        with _GRAPHVIZ_LOCK:
            return self._render(dot_source)

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
            svg = ctypes.string_at(data, length.value).decode(errors="replace")
            self._gvc.gvFreeRenderData(data)
            self._gvc.gvFreeLayout(self._context, graph)
            return svg
        finally:
            self._cgraph.agclose(graph)


# Graphviz keeps global state: one context for the process, used by one thread at a time.
# (Two contexts made concurrently from two request threads corrupted memory under load.) A
# drawing process has one thread; tests and the benchmark may call from several.
_GRAPHVIZ_LOCK = threading.Lock()
_loaded: list[_Graphviz | None] = []


def warm() -> bool:
    """Load Graphviz's library now, before the first graph; whether it loaded (False: every
    Graphviz layout will run a ``dot`` process)."""
    return _library() is not None


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
