"""Which gradients of a backward pass the recorder notes: the input slots of a node that a
graph can show, the gradients present, and whether the pass runs batched (under vmap)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from torch.autograd.graph import Node

# ``torch.autograd.grad(outputs, inputs, grad_outputs, retain_graph, create_graph,
# only_inputs, allow_unused, is_grads_batched, ...)``
_GRADS_BATCHED_AT = 7


def grads_batched(args: Sequence[Any], kwargs: dict[str, Any]) -> bool:
    """Whether an ``autograd.grad`` call asks for batched gradients (vmap over them)."""
    if len(args) > _GRADS_BATCHED_AT:
        return bool(args[_GRADS_BATCHED_AT])
    return bool(kwargs.get("is_grads_batched", False))


def shown_slots(node: Node, per_source: int, limit: int) -> list[int]:
    """The input slots whose edges a graph can show: at most ``per_source`` from one source
    and ``limit`` in all (``torch.cat([x] * 99999)`` sends 99,999 gradients to ``x``)."""
    edges = node.next_functions
    if len(edges) <= per_source and len(edges) <= limit:  # no source can be over its share
        return [slot for slot, (source, _) in enumerate(edges) if source is not None]
    shown: list[int] = []
    counts: dict[int, int] = {}
    for slot, (source, _) in enumerate(edges):
        if source is None:
            continue
        count = counts.get(id(source), 0)
        if count < per_source:
            counts[id(source)] = count + 1
            shown.append(slot)
            if len(shown) >= limit:
                break
    return shown
