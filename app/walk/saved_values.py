"""What an autograd node saved for backward: each value as the node's backward used it (a copy
taken just before that backward ran: a leaf an optimizer later changes in place is shown as it
was), else as PyTorch holds it at the end, or why it cannot be read (freed by a backward pass,
or changed in place after it was saved, with PyTorch's versions and the error it would raise).
"""

from __future__ import annotations

import re
import reprlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch
from torch.autograd.graph import Node

from app.graph_model import SavedValue, SavedVersion, TensorValue

_SAVED_PREFIX = "_saved_"
# Saved values that are an op's scratch memory, by node type: buffers the op allocates without
# filling all of them, so their bytes may be what an earlier program left in that memory (a
# 1-unit LSTM's 28,672-byte workspace ended in another request's printed text). Shown by
# their shape and dtype only, never read or copied.
_WORKSPACES: dict[str, frozenset[str]] = {
    "MkldnnRnnLayerBackward0": frozenset({"result3"}),
}
_FREED = "(freed by backward)"
_NOT_KEPT = ", not kept)"


@dataclass(slots=True)
class SavedRecord:
    """A value a node saved for backward, read before backward could free it.

    ``tensor`` is the saved tensor as PyTorch hands it back (it shares memory with what the
    program holds: a saved leaf *is* the leaf); ``copy`` is its value when a backward pass
    last ran the node; ``version`` the version counter it was saved at; ``error`` PyTorch's
    message when the saved tensor was changed in place since (its backward raises that).
    """

    name: str
    tensor: torch.Tensor | None
    text: str | None
    copy: torch.Tensor | TensorValue | None = None
    version: int | None = None
    now: int | None = None  # the version PyTorch reported when it refused the value
    error: str | None = None

    def release(self) -> None:
        """Let the snapshot go, keeping what it was."""
        kept = self.tensor if self.tensor is not None else self.copy
        if kept is not None:
            shape = "x".join(str(d) for d in kept.shape) or "scalar"
            dtype = kept.dtype if isinstance(kept, TensorValue) else _dtype(kept.dtype)
            self.text = f"({shape} {dtype}{_NOT_KEPT}"
            self.tensor = self.copy = None
            self.version = self.now = None
            self.error = None

    def update(self, fresh: SavedRecord, copy: Callable[[torch.Tensor], Any] | None) -> None:
        """Take what a fresh read of the node says; ``copy`` the value (a backward is about
        to run the node) or keep the copy an earlier backward took."""
        released = self.text is not None and self.text.endswith(_NOT_KEPT)
        if released and (copy is None or fresh.tensor is None):  # only a backward brings it back
            return
        if fresh.tensor is not None:
            self.tensor, self.version, self.text = fresh.tensor, fresh.version, None
            self.now = self.error = None
            if copy is not None:
                self.copy = copy(fresh.tensor)
        elif fresh.error is not None:  # changed in place since it was saved
            self.version, self.now, self.error = fresh.version, fresh.now, fresh.error
            self.text = fresh.text
        elif self.copy is None and self.tensor is None:
            self.text = fresh.text
        elif fresh.text == _FREED:
            self.text = _FREED if self.copy is None else None


def saved_attributes(kind: type) -> tuple[str, ...]:
    """The ``_saved_*`` attributes of an autograd node class (``dir`` is slow; classes are few)."""
    names = _SAVED_ATTRIBUTES.get(kind)
    if names is None:
        names = tuple(attr for attr in dir(kind) if attr.startswith(_SAVED_PREFIX))
        _SAVED_ATTRIBUTES[kind] = names
    return names


def _saved_names(kind: type) -> tuple[tuple[str, str], ...]:
    """Each ``_saved_*`` attribute of a node class with the name it is shown under."""
    names = _SAVED_NAMES.get(kind)
    if names is None:
        names = tuple((a, a.removeprefix(_SAVED_PREFIX)) for a in saved_attributes(kind))
        _SAVED_NAMES[kind] = names
    return names


_SAVED_ATTRIBUTES: dict[type, tuple[str, ...]] = {}
_SAVED_NAMES: dict[type, tuple[tuple[str, str], ...]] = {}


def read_saved(node: Node, limit: int) -> tuple[list[SavedRecord], int]:
    """The first ``limit`` values the node saved, and how many more it saved (an op on a
    list of 100,000 tensors may save each of them)."""
    records: list[SavedRecord] = []
    omitted = 0
    scratch = _WORKSPACES.get(type(node).__name__, frozenset())
    for attr, name in _saved_names(type(node)):
        if name in scratch:
            if len(records) < limit:
                records.append(SavedRecord(name, None, _workspace_text(node, attr)))
            else:
                omitted += 1
            continue
        text: str | None = None
        refused: _Refused | None = None
        try:
            value: Any = getattr(node, attr)
        except RuntimeError as exc:  # freed by an earlier backward, or changed in place since
            value, refused = None, _unreadable(str(exc))
            text = refused.text
        if refused is None and not isinstance(value, (list, tuple)):
            # Most values: one tensor, a number, None (as below, with no list to make).
            if len(records) >= limit:
                omitted += 1
            elif isinstance(value, torch.Tensor):
                records.append(SavedRecord(name, value, None, version=_version(value)))
            else:
                records.append(SavedRecord(name, None, _short_repr(value)))
            continue
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
                records.append(SavedRecord(label, item, None, version=_version(item)))
            elif refused is not None:
                records.append(
                    SavedRecord(label, None, text, None, refused.saved, refused.now, refused.error)
                )
            else:
                records.append(SavedRecord(name=label, tensor=None, text=text or _short_repr(item)))
    return records, omitted


def _workspace_text(node: Node, attr: str) -> str:
    """What is shown of a workspace the node saved: its size, not its bytes."""
    try:
        value = getattr(node, attr)
    except RuntimeError:
        return "(the op's workspace: not shown)"
    if not isinstance(value, torch.Tensor):
        return "(the op's workspace: not shown)"
    shape = "x".join(str(d) for d in value.shape) or "scalar"
    return (
        f"({shape} {_dtype(value.dtype)}: the op's workspace, memory it need not fill; not shown)"
    )


def refresh(
    records: list[SavedRecord], node: Node, limit: int, copy: Callable[[torch.Tensor], Any] | None
) -> None:
    """Bring the node's records up to date (``copy``: a backward is about to run it).

    A saved tensor still at the version it was saved at holds what was saved (the tensor
    handed back earlier shares its memory), so only the others are read again: reading every
    ``_saved_*`` attribute is most of what this costs.
    """
    stale = False
    for item in records:
        tensor = item.tensor
        if tensor is not None and _version(tensor) == item.version:
            if copy is not None:
                item.copy = copy(tensor)
        else:  # changed or refused since; or let go, and a backward runs it again
            released = item.text is not None and item.text.endswith(_NOT_KEPT)
            stale = stale or item.error is not None or item.tensor is not None
            stale = stale or (copy is not None and released)
    if not stale:
        return
    fresh, _ = read_saved(node, limit)
    by_name = {item.name: item for item in fresh}
    for item in records:
        # an attribute PyTorch refuses is one record named after it (its items are not known)
        found = by_name.get(item.name) or by_name.get(item.name.split("[")[0])
        if found is not None:
            item.update(found, copy)


def saved_value(
    item: SavedRecord,
    preview: Callable[[torch.Tensor], TensorValue],
    find: Callable[[torch.Tensor], str | None],
) -> SavedValue:
    """The API's form of one saved value: the copy a backward used, else the saved tensor as it
    is now if it is still at the version it was saved at (then it still holds what was saved)."""
    now = item.now
    if item.tensor is not None:
        now = _version(item.tensor)
    version = (
        SavedVersion(saved=item.version, now=now)
        if item.version is not None and now is not None and now != item.version
        else None
    )
    shown: torch.Tensor | TensorValue | None = item.copy
    if item.tensor is not None and version is None and item.error is None:
        shown = item.tensor  # unchanged since saved: the copy's value, formatted once per graph
    if shown is None:
        text = item.text
        if text is None or (item.tensor is not None and item.error is None):
            text = _FREED if item.text == _FREED else _changed_text(version)
        return SavedValue(name=item.name, text=text, version=version, error=item.error)
    value = shown if isinstance(shown, TensorValue) else preview(shown)
    return SavedValue(
        name=item.name,
        shape=list(value.shape),
        dtype=value.dtype,
        tensor=find(item.tensor) if item.tensor is not None else None,
        value=value,
        version=version,
        error=item.error,
    )


def _changed_text(version: SavedVersion | None) -> str:
    if version is None:
        return _FREED
    return (
        f"(modified in place after it was saved: now at version {version.now}, "
        f"saved at version {version.saved})"
    )


class SavedCopies:
    """The copies one backward pass takes: each saved tensor once per memory and version (an
    op may save the same weight thousands of times), at most ``budget`` elements in all; a
    tensor past that is formatted at once instead (what a copy would have shown)."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self._taken: dict[tuple[Any, ...], torch.Tensor] = {}

    def take(
        self, tensor: torch.Tensor, preview: Callable[[torch.Tensor], TensorValue]
    ) -> torch.Tensor | TensorValue | None:
        """A copy of ``tensor`` (called in backward, where the program's torch mode is off)."""
        key = (tensor.data_ptr(), tensor.shape, tensor.stride(), tensor.dtype, _version(tensor))
        found = self._taken.get(key)
        if found is not None:
            return found
        numel = tensor.numel()
        if numel > self.budget:
            return preview(tensor)
        try:
            copy = tensor.detach().clone()
        except (RuntimeError, MemoryError):  # never the program's error: no copy, then
            return None
        self.budget -= numel
        self._taken[key] = copy
        return copy


def _version(tensor: torch.Tensor) -> int | None:
    """The tensor's version counter (an inference tensor has none)."""
    try:
        return int(tensor._version)
    except RuntimeError:
        return None


def _dtype(dtype: torch.dtype) -> str:
    return str(dtype).removeprefix("torch.")


_MODIFIED_IN_PLACE = re.compile(
    r"modified by an inplace operation.*? is at version (\d+); expected version (\d+)", re.DOTALL
)


@dataclass
class _Refused:
    text: str
    saved: int | None = None
    now: int | None = None
    error: str | None = None


def _unreadable(message: str) -> _Refused:
    """Why PyTorch will not hand out a saved tensor, in the words a learner can act on: it was
    freed by a backward pass, or the tensor was changed in place after it was saved (PyTorch's
    backward would then raise ``message``; the versions are PyTorch's ``_version`` counters)."""
    changed = _MODIFIED_IN_PLACE.search(message)
    if changed is not None:
        now, saved = (int(v) for v in changed.groups())
        return _Refused(_changed_text(SavedVersion(saved=saved, now=now)), saved, now, message)
    if _FREED_BY_BACKWARD in message:
        return _Refused(_FREED)
    return _Refused(_short_repr(message))


_FREED_BY_BACKWARD = "after they have already been freed"


_SHORT = reprlib.Repr()
_SHORT.maxlist = _SHORT.maxtuple = 12
_SHORT.maxother = _SHORT.maxstring = 80


def _short_repr(value: Any, limit: int = 80) -> str:
    """``repr`` of a saved value, at most ``limit`` characters (a tuple of 100,000 sizes is
    not printed whole first)."""
    long = isinstance(value, (list, tuple)) and len(value) > _SHORT.maxtuple
    text = _SHORT.repr(value) if long else repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
