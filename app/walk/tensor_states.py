"""A tensor's autograd state at a moment, and the log of its changes.

One Python tensor is one node of the graph, however its flags change: ``requires_grad_``,
an in-place op (a new ``grad_fn``, a higher version), ``detach_``. The node's fields give its
state at the end of the program; the log says what it was as built and at each backward pass,
one entry per change (a tensor that never changed has one entry, and the graph sends none).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

import torch
from torch.autograd.graph import Node

from app.graph_model import TensorStateAt

MomentKind = Literal["built", "backward", "end"]


@dataclass(frozen=True)
class Moment:
    """When a state was read: at the binding that made the tensor (``built``, with its line),
    before a backward pass (``backward``, with the pass's serial number), or at the end."""

    kind: MomentKind
    serial: int | None = None  # the backward call's serial number (recorder order)
    line: int | None = None


class TensorState(NamedTuple):
    """The flags autograd reads, as PyTorch reports them (a named tuple: one is made for each
    tensor each backward pass reaches, 10,000 for a 10,000-op chain)."""

    requires_grad: bool
    is_leaf: bool
    grad_fn: str | None
    version: int | None  # None: an inference tensor, which keeps no version counter


@functools.lru_cache(maxsize=1024)
def built_at(line: int | None) -> Moment:
    """``Moment("built", line=line)``, one object for each line (a loop names a tensor per
    iteration on one line: a frozen dataclass costs more to make than to look up)."""
    return Moment("built", line=line)


def is_leaf(tensor: torch.Tensor) -> bool:
    """``tensor.is_leaf``; a view whose base was changed in place, where PyTorch refuses to
    say (it would have to rebuild the view's ``grad_fn``), is shown as what it was made:
    not a leaf if it requires grad."""
    try:
        return tensor.is_leaf
    except RuntimeError:
        return not tensor.requires_grad


def grad_fn(tensor: torch.Tensor) -> Node | None:
    """``tensor.grad_fn``, or None where reading it raises (a view made under no_grad whose
    base was later changed in place: PyTorch refuses the read, but the program never made
    it, so the walk must not fail for it)."""
    try:
        return tensor.grad_fn
    except RuntimeError:
        return None


def state_of(tensor: torch.Tensor) -> TensorState:
    """The tensor's flags now. Read past any torch-function mode: while a program runs, its
    mode would check and record each read as a call of the program's (65 us each: a third of
    the time of binding a name in a 10,000-step loop)."""
    if type(tensor) is _TENSOR and not torch._C._is_torch_function_mode_enabled():
        return _read_state(tensor)  # nothing to read past (a backward pass, the end)
    with torch._C.DisableTorchFunction():
        return _read_state(tensor)


_TENSOR = torch.Tensor


def _read_state(tensor: torch.Tensor) -> TensorState:
    # (``grad_fn`` and ``is_leaf`` inline: this runs for every tensor a pass reaches)
    requires_grad = tensor.requires_grad
    try:
        node = tensor.grad_fn
    except RuntimeError:
        node = None
    try:
        leaf = tensor.is_leaf
    except RuntimeError:
        leaf = not requires_grad
    return TensorState(
        requires_grad,
        leaf,
        None if node is None else type(node).__name__,
        None if tensor.is_inference() else tensor._version,
    )


@dataclass
class StateLog:
    """A tensor's states, an entry each time one differs from the last (at most ``limit``:
    past it the latest entry is overwritten, so the first and the newest are always there)."""

    limit: int = 32
    entries: list[tuple[Moment, TensorState]] = field(default_factory=list)

    def note(self, moment: Moment, state: TensorState) -> None:
        entries = self.entries
        if entries and entries[-1][1] == state:
            return
        if len(entries) >= self.limit:
            entries.pop()
        entries.append((moment, state))


def states_shown(
    log: StateLog, now: TensorState, pass_index: dict[int, int]
) -> list[TensorStateAt]:
    """The tensor's flags at each moment they changed, ending with ``now`` (none if they never
    changed); a backward pass the answer does not keep (``pass_index``: serial -> index) is
    skipped."""
    entries = log.entries
    if len(entries) <= 1:  # nothing or one state: at most one differs from the one before
        if not entries:
            return []
        moment, state = entries[0]
        index = None if moment.serial is None else pass_index.get(moment.serial)
        if state == now or (moment.kind == "backward" and index is None):
            return []
    shown: list[TensorStateAt] = []
    last: TensorState | None = None
    for moment, state in [*log.entries, (Moment("end"), now)]:
        index = None if moment.serial is None else pass_index.get(moment.serial)
        if state == last or (moment.kind == "backward" and index is None):
            continue
        last = state
        shown.append(
            TensorStateAt(
                moment=moment.kind,
                backward_pass=index,
                line=moment.line,
                requires_grad=state.requires_grad,
                is_leaf=state.is_leaf,
                grad_fn=state.grad_fn,
                version=state.version,
            )
        )
    return shown if len(shown) > 1 else []
