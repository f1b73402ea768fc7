"""A drawing process: ``python -m app.draw.drawing_process '{"memory_mb": 1024}'``.

It writes the DOT and lays out the SVG of the graphs the server sends it, one at a time, over
the frames of ``app/draw/drawing_wire.py`` on its stdin and stdout. No program runs here, but
every graph was made by a worker: the process has an address-space limit (``RLIMIT_AS``), no
core dumps, a lower priority than the workers (``NICENESS``), and it is its own process group,
so the server's SIGKILL at the deadline also ends a ``dot`` it started (only where libgvc
cannot be loaded). Out of memory, it exits; the server
sees the stream end and starts another. Once Graphviz's library is loaded, it installs the
workers' seccomp filter (``app/syscall_filter.py``): a flaw in Graphviz's parser reached through
a worker-made label can then start no process, open no socket and write no file. Where libgvc
cannot be loaded, layouts need a ``dot`` process, so the filter is not installed (the ready
frame says which: ``filtered``).
"""

from __future__ import annotations

import json
import os
import resource
import sys
from typing import Any, BinaryIO

import orjson

from app.collector import collector_paused
from app.draw import drawing_wire
from app.draw.render import RenderError, to_dot, to_svg, warm
from app.syscall_filter import install_seccomp, load_seccomp

# How much lower a drawing process's priority is than the server's (and its workers').
NICENESS = 5


def main(argv: list[str]) -> None:
    """Limit this process, warm Graphviz, then answer requests until stdin ends."""
    config = json.loads(argv[1])
    memory = int(config["memory_mb"]) * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    # Below the workers: a large graph's drawing overlaps its worker's last part (it starts on
    # the early line), and where they share a core the worker, whose wall clock is the
    # request's limit, goes first; a free core the drawing has to itself.
    os.nice(NICENESS)
    out = os.fdopen(os.dup(1), "wb")  # the protocol's own descriptor
    os.dup2(2, 1)  # whatever else writes to stdout (a C library) cannot corrupt it
    in_process = warm()
    filtered = bool(config.get("seccomp")) and in_process and _install_filter()
    out.write(drawing_wire.frame({"ready": True, "pid": os.getpid(), "filtered": filtered}))
    out.flush()
    serve(sys.stdin.buffer, out)


def _install_filter() -> bool:
    """The workers' seccomp filter, in this process; False where it cannot be installed."""
    module = load_seccomp()
    return module is not None and install_seccomp(module)


def serve(requests: BinaryIO, answers: BinaryIO) -> None:
    """Answer each request frame on ``requests`` with an answer frame on ``answers``."""
    while (body := drawing_wire.read_frame_from(requests)) is not None:
        try:
            answer = draw(body)
        except MemoryError:
            os._exit(3)  # the server reports it and starts a fresh process
        answers.write(answer)
        answers.flush()


def draw(body: bytes) -> bytes:
    """The answer frame to one request frame."""
    dot: bytes | None = None
    svg: bytes | None = None
    error: str | None = None
    try:
        header, graph_json = drawing_wire.split(body)
        graph = _decode(graph_json)
        lang = str(header.get("lang", "en"))
        dot_text = to_dot(graph, lang)
        if header.get("svg"):
            svg = to_svg(dot_text, float(header["timeout_s"]), graph=graph, lang=lang).encode()
        if header.get("dot"):
            dot = dot_text.encode()
    except RenderError as exc:
        error = str(exc)
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - a graph not of the contract: never fatal here
        error = f"the graph could not be drawn ({type(exc).__name__})"
    size = len(dot or b"") + len(svg or b"")
    if size > drawing_wire.MAX_DRAWING_BYTES:
        limit = drawing_wire.MAX_DRAWING_BYTES / 2**20
        error = f"the drawing is {size / 2**20:.1f} MiB; the limit is {limit:g} MiB"
        dot = svg = None
    return drawing_wire.answer(dot, svg, error, _rss_mb())


def _decode(graph_json: bytes) -> dict[str, Any]:
    """The graph: orjson, else the standard library (which reads a lone surrogate's escape)."""
    with collector_paused():
        try:
            graph = orjson.loads(graph_json)
        except orjson.JSONDecodeError:
            graph = json.loads(graph_json)
    if not isinstance(graph, dict):
        raise TypeError("the graph is not a JSON object")
    return graph


def _rss_mb() -> float:
    """This process's resident memory now, in MiB."""
    with open("/proc/self/statm", "rb") as statm:
        pages = int(statm.read().split()[1])
    return round(pages * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)


if __name__ == "__main__":
    main(sys.argv)
