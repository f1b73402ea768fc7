"""What the walk records for each node it finds: an autograd node's record, and a tensor's."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import torch
from torch.autograd.graph import Node

from app.walk.saved_values import SavedRecord
from app.walk.tensor_states import StateLog

# ("tensor", id(tensor), 0) for a tensor without grad_fn (a leaf, a constant: one key whatever
# its flags become), or ("out", id(grad_fn), output_nr) for the output of an autograd node.
TensorKey = tuple[str, int, int]


@dataclass
class FunctionRecord:
    """One autograd Node and where its inputs come from."""

    node: Node
    op: str
    inputs: list[
        tuple[TensorKey | int, int] | None
    ]  # per slot: (source, output_nr); int = id(Node)
    saved: list[SavedRecord]
    saved_omitted: int = 0  # saved values past the per-node limit


@dataclass
class TensorRecord:
    """A tensor shown as a node: a leaf that requires grad, a named tensor, or a backward root.

    A tensor outside autograd ("plain") is held by a weak reference: the graph shows it while
    the program holds it, and never keeps it alive (the batches of a long training loop).
    """

    ref: Callable[[], torch.Tensor | None]
    kind: Literal["leaf", "out", "plain"]  # as of the latest reach ("leaf" stays once it was)
    names: list[str] = field(default_factory=list)
    line: int | None = None
    is_root: bool = False
    names_omitted: int = 0
    states: StateLog = field(default_factory=StateLog)
    object_id: int = 0  # id() of the tensor

    @property
    def tensor(self) -> torch.Tensor:
        """The tensor (alive: a record whose tensor was freed is never handed out)."""
        tensor = self.ref()
        assert tensor is not None
        return tensor
