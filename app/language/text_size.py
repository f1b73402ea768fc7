"""How long a value's printed form would be, estimated before it is printed.

``str``, ``repr``, ``print``, f-strings and ``%`` of nested lists that share sub-lists, of
repeated modules, of tensors under wide print options, print far longer than they are: the
walk here counts what the print would make, and stops counting once it is over the budget.
"""

from __future__ import annotations

import collections
import types
from collections.abc import Iterable
from typing import Any

import numpy as np
import torch
from torch import nn

from app.tensor_print import array_chars, current, printed_chars

# Values whose printed form lists their items (the text-size walk looks inside them).
_CONTAINERS: tuple[type, ...] = (
    list,
    tuple,
    set,
    frozenset,
    dict,
    type({}.keys()),
    type({}.values()),
    type({}.items()),
    collections.deque,
    types.MappingProxyType,
)


def text_size(value: Any, budget: int) -> int:
    """Roughly how many characters ``str(value)`` has, counted until it is over ``budget``.

    Walks containers, modules (their repr lists every child) and optimizers (their param
    groups) without recursion; a sub-list shared N times counts N times, as print repeats it,
    while a container met again inside itself counts once, as repr prints it as ``[...]``.
    """
    size = 0
    on_path: set[int] = set()
    stack: list[tuple[Any, bool, int]] = [(value, False, 0)]  # (item, leaving, module depth)
    while stack:
        item, leaving, depth = stack.pop()
        if leaving:
            on_path.discard(id(item))
            continue
        children: Iterable[Any] = ()
        if isinstance(item, (str, bytes)):
            size += len(item) + 3
        elif isinstance(item, (bool, float, complex)) or item is None:
            size += 4
        elif isinstance(item, int):
            size += item.bit_length() // 4 + 1
        elif isinstance(item, torch.Tensor):
            size += printed_chars(item, current())  # under the print options in force
        elif isinstance(item, np.ndarray):
            size += array_chars(item)
        elif isinstance(item, _CONTAINERS):
            container: Any = item
            size += 2 + 2 * len(container)
            mapping = isinstance(container, (dict, types.MappingProxyType))
            children = list(container.items()) if mapping else container
        elif isinstance(item, nn.Module):
            # a line per module: its child's name, indented two spaces a level
            size += 40 + 2 * depth + max((len(str(name)) for name in item._modules), default=0)
            children = [m for m in item._modules.values() if m is not None]
            depth += 1
        elif isinstance(item, torch.optim.Optimizer):
            size += 40
            children = item.param_groups
        elif isinstance(item, (types.GenericAlias, types.UnionType)):
            size += 10
            children = item.__args__
        elif isinstance(item, slice):
            size += 20
            children = (item.start, item.stop, item.step)
        elif isinstance(item, BaseException):
            size += 40
            children = item.args
        else:
            size += 40
        if size > budget:
            return size
        if children:
            if id(item) in on_path:
                continue
            on_path.add(id(item))
            stack.append((item, True, depth))
            stack.extend((child, False, depth) for child in children)
    return size
