"""Which node a tensor is found as: the same object, else the same memory and flags, as
PyTorch's own storage, offset, shape, stride and dtype say (``app/walk/tensor_index.py``)."""

from __future__ import annotations

import torch

from app.walk.tensor_index import TensorIndex


def _same_memory(a: torch.Tensor, b: torch.Tensor) -> bool:
    return (
        a.untyped_storage().data_ptr() == b.untyped_storage().data_ptr()
        and a.storage_offset() == b.storage_offset()
        and a.shape == b.shape
        and a.stride() == b.stride()
        and a.dtype == b.dtype
    )


def _expected(nodes: list[torch.Tensor], tensor: torch.Tensor) -> str | None:
    """The first node that is the tensor, else of its memory and requires_grad, else of its
    memory."""
    for i, node in enumerate(nodes):
        if node is tensor:
            return f"n{i}"
    same = [i for i, node in enumerate(nodes) if _same_memory(node, tensor)]
    flags = [i for i in same if nodes[i].requires_grad == tensor.requires_grad]
    return f"n{(flags or same)[0]}" if same else None


def test_a_tensor_is_found_by_its_object_else_its_memory_and_flags() -> None:
    x = torch.randn(4, 4)
    w = torch.randn(3, requires_grad=True)
    y = w * 2
    nodes = [
        x,
        x[1],
        x.t(),
        x[2:2],  # empty: no data of its own, at offset 8
        torch.zeros(0),
        w.detach(),
        w,
        y,
        torch.empty(3, device="meta"),
        torch.tensor(1.0),
    ]
    queries = [
        *nodes,
        *(node.detach() for node in nodes),
        x[1:2].squeeze(0),  # x[1] again, a new object
        x[3:3],  # empty at another offset: no node
        torch.empty(0),  # empty elsewhere
        x.view(16),
        torch.empty(3, device="meta"),
        torch.tensor(1.0),
    ]
    index = TensorIndex()
    index.add_all((node, f"n{i}") for i, node in enumerate(nodes))
    for tensor in queries * 2:  # asked twice: the second answer is remembered
        assert index.find(tensor) == _expected(nodes, tensor), tensor
    assert index.find(w.detach()) == "n5"  # the node whose requires_grad agrees
    assert index.find(x[3:3]) is None
