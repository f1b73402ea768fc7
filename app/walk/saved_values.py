"""What an autograd node saved for backward, read as PyTorch holds it now: each value, or why
it cannot be read (freed by a backward pass, or changed in place after it was saved)."""

from __future__ import annotations

import re
import reprlib
from dataclasses import dataclass
from typing import Any

import torch
from torch.autograd.graph import Node

_SAVED_PREFIX = "_saved_"


@dataclass
class SavedRecord:
    """A value a node saved for backward, snapshotted before backward could free it."""

    name: str
    tensor: torch.Tensor | None
    text: str | None

    def release(self) -> None:
        """Let the snapshot go, keeping what it was."""
        if self.tensor is not None:
            shape = "x".join(str(d) for d in self.tensor.shape) or "scalar"
            self.text = f"({shape} {str(self.tensor.dtype).removeprefix('torch.')}, not kept)"
            self.tensor = None


def _saved_attributes(kind: type) -> tuple[str, ...]:
    """The ``_saved_*`` attributes of an autograd node class (``dir`` is slow; classes are few)."""
    names = _SAVED_ATTRIBUTES.get(kind)
    if names is None:
        names = tuple(attr for attr in dir(kind) if attr.startswith(_SAVED_PREFIX))
        _SAVED_ATTRIBUTES[kind] = names
    return names


_SAVED_ATTRIBUTES: dict[type, tuple[str, ...]] = {}


def read_saved(node: Node, limit: int) -> tuple[list[SavedRecord], int]:
    """The first ``limit`` values the node saved, and how many more it saved (an op on a
    list of 100,000 tensors may save each of them)."""
    records: list[SavedRecord] = []
    omitted = 0
    for attr in _saved_attributes(type(node)):
        name = attr.removeprefix(_SAVED_PREFIX)
        text: str | None = None
        try:
            value: Any = getattr(node, attr)
        except RuntimeError as exc:  # freed by an earlier backward, or changed in place since
            value, text = None, _unreadable(str(exc))
        values = (
            value
            if isinstance(value, (list, tuple))
            and value
            and all(isinstance(v, torch.Tensor) for v in value)
            else [value]
        )
        room = max(0, limit - len(records))
        omitted += max(0, len(values) - room)
        for index, item in enumerate(values[:room]):
            label = name if len(values) == 1 else f"{name}[{index}]"
            if isinstance(item, torch.Tensor):
                records.append(SavedRecord(name=label, tensor=item, text=None))
            else:
                records.append(SavedRecord(name=label, tensor=None, text=text or _short_repr(item)))
    return records, omitted


_MODIFIED_IN_PLACE = re.compile(
    r"modified by an inplace operation.*? is at version (\d+); expected version (\d+)", re.DOTALL
)


def _unreadable(message: str) -> str:
    """Why PyTorch will not hand out a saved tensor, in the words a learner can act on: it was
    freed by a backward pass, or the tensor was changed in place after it was saved (PyTorch's
    backward would then raise; the versions are PyTorch's ``_version`` counters)."""
    changed = _MODIFIED_IN_PLACE.search(message)
    if changed is not None:
        now, saved = changed.groups()
        return f"(modified in place after it was saved: now at version {now}, saved at version {saved})"
    return "(freed by backward)"


_SHORT = reprlib.Repr()
_SHORT.maxlist = _SHORT.maxtuple = 12
_SHORT.maxother = _SHORT.maxstring = 80


def _short_repr(value: Any, limit: int = 80) -> str:
    """``repr`` of a saved value, at most ``limit`` characters (a tuple of 100,000 sizes is
    not printed whole first)."""
    long = isinstance(value, (list, tuple)) and len(value) > _SHORT.maxtuple
    text = _SHORT.repr(value) if long else repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
