"""Everything the walk over ``grad_fn`` / ``next_functions`` has found, in the order it was found.

The walk is iterative (a 10,000-op chain must not hit Python's recursion limit) and may run
several times in one program: before each backward pass (backward frees saved tensors, so we
snapshot them first) and once at the end. Records keep the objects they describe alive so
that ``id()`` stays unique for the whole run; public ids are assigned later, in visit order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import torch
from torch.autograd.graph import Node

TensorKey = tuple[
    str, int, int
]  # ("leaf"|"plain", id(tensor), 0) or ("out", id(grad_fn), output_nr)
_SAVED_PREFIX = "_saved_"


@dataclass
class SavedRecord:
    """A value a node saved for backward, snapshotted before backward could free it."""

    name: str
    tensor: torch.Tensor | None
    text: str | None


@dataclass
class FunctionRecord:
    """One autograd Node and where its inputs come from."""

    node: Node
    op: str
    inputs: list[
        tuple[TensorKey | int, int] | None
    ]  # per slot: (source, output_nr); int = id(Node)
    saved: list[SavedRecord]


@dataclass
class TensorRecord:
    """A tensor shown as a node: a leaf that requires grad, a named tensor, or a backward root."""

    tensor: torch.Tensor
    kind: Literal["leaf", "out", "plain"]
    names: list[str] = field(default_factory=list)
    line: int | None = None
    is_root: bool = False


class GraphRegistry:
    """The nodes found so far, keyed by the identity of the PyTorch object behind each."""

    def __init__(self, max_records: int) -> None:
        self.max_records = max_records
        self.functions: dict[int, FunctionRecord] = {}
        self.tensors: dict[TensorKey, TensorRecord] = {}
        self.order: list[int | TensorKey] = []
        self.named: dict[int, tuple[torch.Tensor, list[str], int | None]] = {}
        self.overflowed = False

    # --- names ------------------------------------------------------------------------------------
    def name_tensor(self, tensor: torch.Tensor, name: str, line: int | None = None) -> None:
        """Remember that the program bound ``tensor`` to ``name``."""
        entry = self.named.get(id(tensor))
        if entry is None:
            self.named[id(tensor)] = (tensor, [name], line)
        elif name not in entry[1]:
            entry[1].append(name)

    def names_of(self, tensor: torch.Tensor) -> list[str]:
        """Every variable name the tensor was bound to."""
        entry = self.named.get(id(tensor))
        return list(entry[1]) if entry else []

    # --- the walk -----------------------------------------------------------------------------------
    def discover(self, tensors: list[torch.Tensor], *, roots: bool = False) -> None:
        """Walk from each tensor through ``grad_fn`` / ``next_functions``, adding what is new."""
        for tensor in tensors:
            key = self.tensor_key(tensor)
            record = self._add_tensor(key, tensor)
            if record is not None and roots:
                record.is_root = True
            if tensor.grad_fn is not None:
                self._walk(tensor.grad_fn)

    def tensor_key(self, tensor: torch.Tensor) -> TensorKey:
        """The key a tensor's node is stored under."""
        if tensor.grad_fn is not None:
            return ("out", id(tensor.grad_fn), tensor.output_nr)
        return ("leaf" if tensor.requires_grad else "plain", id(tensor), 0)

    def _add_tensor(self, key: TensorKey, tensor: torch.Tensor) -> TensorRecord | None:
        record = self.tensors.get(key)
        if record is None:
            if self._full():
                return None
            kind: Literal["leaf", "out", "plain"] = key[0]  # type: ignore[assignment]
            record = TensorRecord(tensor=tensor, kind=kind)
            self.tensors[key] = record
            self.order.append(key)
            if kind == "out":
                self._keep_node(tensor.grad_fn)
        entry = self.named.get(id(tensor))
        if entry is not None:
            for name in entry[1]:
                if name not in record.names:
                    record.names.append(name)
            record.line = record.line or entry[2]
        return record

    def _keep_node(self, node: Node | None) -> None:
        if node is not None and id(node) not in self.functions:
            self._walk(node)

    def _full(self) -> bool:
        if len(self.order) >= self.max_records:
            self.overflowed = True
            return True
        return False

    def _walk(self, start: Node) -> None:
        stack = [start]
        while stack:
            node = stack.pop()
            if id(node) in self.functions:
                continue
            variable = getattr(node, "variable", None)
            if isinstance(variable, torch.Tensor):  # AccumulateGrad: folded into its leaf
                self._add_tensor(("leaf", id(variable), 0), variable)
                continue
            if self._full():
                return
            self.functions[id(node)] = FunctionRecord(
                node=node, op=type(node).__name__, inputs=self._inputs(node), saved=_saved(node)
            )
            self.order.append(id(node))
            stack.extend(reversed([nxt for nxt, _ in node.next_functions if nxt is not None]))

    def _inputs(self, node: Node) -> list[tuple[TensorKey | int, int] | None]:
        inputs: list[tuple[TensorKey | int, int] | None] = []
        for nxt, output_nr in node.next_functions:
            if nxt is None:
                inputs.append(None)
                continue
            variable = getattr(nxt, "variable", None)
            if isinstance(variable, torch.Tensor):
                inputs.append((("leaf", id(variable), 0), output_nr))
            else:
                inputs.append((id(nxt), output_nr))
        return inputs


def _saved_attributes(kind: type) -> tuple[str, ...]:
    """The ``_saved_*`` attributes of an autograd node class (``dir`` is slow; classes are few)."""
    names = _SAVED_ATTRIBUTES.get(kind)
    if names is None:
        names = tuple(attr for attr in dir(kind) if attr.startswith(_SAVED_PREFIX))
        _SAVED_ATTRIBUTES[kind] = names
    return names


_SAVED_ATTRIBUTES: dict[type, tuple[str, ...]] = {}


def _saved(node: Node) -> list[SavedRecord]:
    records: list[SavedRecord] = []
    for attr in _saved_attributes(type(node)):
        name = attr.removeprefix(_SAVED_PREFIX)
        try:
            value: Any = getattr(node, attr)
        except RuntimeError:  # already freed by an earlier backward
            records.append(SavedRecord(name=name, tensor=None, text="(freed by backward)"))
            continue
        values = (
            value
            if isinstance(value, (list, tuple))
            and value
            and all(isinstance(v, torch.Tensor) for v in value)
            else [value]
        )
        for index, item in enumerate(values):
            label = name if len(values) == 1 else f"{name}[{index}]"
            if isinstance(item, torch.Tensor):
                records.append(SavedRecord(name=label, tensor=item, text=None))
            else:
                records.append(SavedRecord(name=label, tensor=None, text=_short_repr(item)))
    return records


def _short_repr(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
