"""The record of one evaluation: the one typed record that crosses the worker boundary.

A worker makes it (``app/evaluate.py``), ``app/workers/protocol.py`` carries it over the
socket, the pool adds what it measured, and the route reads it by attribute. Refusal kinds and
limit names are closed sets (``RefusalKind``, ``LimitName``); ``ProgramError.type`` is the
name of the exception a program raised, or one of ``RefusalKind`` / ``FailureKind``.
"""

from __future__ import annotations

import functools
import json
import reprlib
from dataclasses import dataclass, field, fields
from typing import Any, Literal

import orjson

from app.collector import collector_paused
from app.graph_model import Graph

# Why a program was refused before it ran (HTTP 400).
RefusalKind = Literal[
    "SyntaxError",
    "RefusedConstruct",
    "RefusedImport",
    "ProgramTooComplex",
    "ProgramTooLarge",
    "CodeTooLong",
]
# The limits a running program can hit (``LimitExceeded.limit``), named as in ``Limits``.
LimitName = Literal[
    "loop_iterations",
    "call_depth",
    "sequence_length",
    "int_size",
    "tensor_elements",
    "live_elements",
    "nesting_depth",
]
# What went wrong outside the program: the worker stopped it, or failed.
FailureKind = Literal["TimeLimitExceeded", "WorkerCrashed", "GraphTooComplex"]

_MAX_MESSAGE_CHARS = 2_000
# Exception arguments whose str() runs no program code.
_PLAIN_ARGS = frozenset({str, int, float, bool, type(None)})
_SHORT = reprlib.Repr()
_SHORT.maxstring = _SHORT.maxother = 200


@dataclass
class ProgramError:
    """What went wrong: the exception or limit, where, and a hint in plain language."""

    type: str
    message: str
    line: int | None
    col: int | None = None
    hint: dict[str, str] | None = None  # {"key", "en", "zh"}


@dataclass(frozen=True)
class GraphOutline:
    """A graph's fields, and how many nodes and edges it has (None: not a list)."""

    fields: tuple[str, ...]
    nodes: int | None
    edges: int | None

    @classmethod
    def of(cls, graph: dict[str, Any]) -> GraphOutline:
        """The outline of a decoded graph."""
        nodes, edges = graph.get("nodes"), graph.get("edges")
        return cls(
            tuple(graph),
            len(nodes) if isinstance(nodes, list) else None,
            len(edges) if isinstance(edges, list) else None,
        )


@dataclass
class EvalRecord:
    """Everything one evaluation produced; ``refused`` means it never ran.

    In the worker the graph is the model extraction made (``graph_model``) and its JSON, cut
    to the size limit (``graph_json``, what the worker sends); in the server it is the JSON
    the worker sent and its decoded form. ``graph`` is the plain data either way.
    """

    ok: bool
    refused: ProgramError | None = None
    error: ProgramError | None = None
    stdout: str = ""
    stdout_truncated: bool = False
    # What the answer tells the student besides (plots are not drawn here): hint dicts.
    notes: list[dict[str, str]] = field(default_factory=list)
    truncated: bool = False
    timed_out: bool = False
    deterministic: bool = False
    elapsed_ms: float = 0.0
    # Set by the worker and the pool (the worker's memory after the run; whether it failed;
    # how long the request waited for an idle worker).
    worker_rss_mb: float = 0.0
    crashed: bool = False
    queue_ms: float = 0.0
    graph_model: Graph | None = field(default=None, repr=False, compare=False)
    graph_json: bytes | None = field(default=None, repr=False, compare=False)
    decoded_graph: dict[str, Any] | None = field(default=None, repr=False, compare=False)
    # In the server, of the graph the worker sent: its fields and sizes (the graph itself
    # may not be kept decoded: ``app/workers/protocol.py``'s ``read_reply``).
    outline: GraphOutline | None = field(default=None, repr=False, compare=False)

    @functools.cached_property
    def graph(self) -> dict[str, Any] | None:
        """The graph as plain JSON data (None if the program was refused or not drawable);
        decoded again here if the server let it go (a large graph: off the event loop)."""
        if self.graph_model is not None:
            return self.graph_model.to_dict()
        if self.decoded_graph is None and self.outline is not None and self.graph_json:
            with collector_paused():
                try:
                    decoded: dict[str, Any] = orjson.loads(self.graph_json)
                except orjson.JSONDecodeError:  # the NaN of a worker's fallback encoder
                    decoded = json.loads(self.graph_json)
            return decoded
        return self.decoded_graph

    def head(self) -> dict[str, Any]:
        """The record without its graph, as JSON-ready data (what travels on the first line)."""
        head: dict[str, Any] = {}
        for item in fields(self):
            if item.name in _NOT_IN_HEAD:
                continue
            value = getattr(self, item.name)
            if isinstance(value, ProgramError):
                value = vars(value).copy()
            head[item.name] = value
        return head

    def to_dict(self) -> dict[str, Any]:
        """The whole record as JSON-ready data, graph included."""
        return {**self.head(), "graph": self.graph}

    @classmethod
    def from_head(cls, head: dict[str, Any]) -> EvalRecord:
        """The record a head (``head()``) describes; raises TypeError/ValueError if malformed."""
        values = {key: head[key] for key in _HEAD_FIELDS if key in head}
        for key in ("refused", "error"):
            if values.get(key) is not None:
                values[key] = ProgramError(**values[key])
        record = cls(**values)
        if not isinstance(record.ok, bool) or not isinstance(record.stdout, str):
            raise TypeError("not a record")
        return record


_NOT_IN_HEAD = frozenset({"graph_model", "graph_json", "decoded_graph", "outline"})
_HEAD_FIELDS = tuple(f.name for f in fields(EvalRecord) if f.name not in _NOT_IN_HEAD)


def exception_text(exc: BaseException) -> str:
    """An exception's message as an answer carries it (``ProgramError.message``, the error of
    a backward pass): short, and valid UTF-8 (a message may hold lone surrogates)."""
    if not all(type(arg) in _PLAIN_ARGS for arg in exc.args):
        # An object of the program's own class: its __repr__ is program code, which must not
        # run now that the program has ended.
        text = ", ".join(
            _SHORT.repr(arg) if type(arg) in _PLAIN_ARGS else f"<{type(arg).__name__} object>"
            for arg in exc.args
        )
    elif isinstance(exc, KeyError) and exc.args:
        text = _SHORT.repr(exc.args[0])  # str(KeyError) is the repr of the key, of any size
    elif len(exc.args) > 1:
        # str() would be the repr of the whole tuple: a long text repeated, built in full
        text = "(" + ", ".join(_SHORT.repr(arg) for arg in exc.args[:20]) + ")"
    else:
        text = str(exc)
    if len(text) > _MAX_MESSAGE_CHARS:
        text = text[:_MAX_MESSAGE_CHARS] + "..."
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def failure(kind: FailureKind, message: str, elapsed_ms: float, **flags: bool) -> EvalRecord:
    """The record of a program the worker could not finish (``timed_out`` or ``crashed``)."""
    return EvalRecord(
        ok=False,
        error=ProgramError(type=kind, message=message, line=None),
        elapsed_ms=elapsed_ms,
        timed_out=flags.get("timed_out", False),
        crashed=flags.get("crashed", False),
    )
