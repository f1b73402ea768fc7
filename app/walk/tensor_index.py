"""Which tensor node a tensor is: the same object, else the same memory and flags."""

from __future__ import annotations

import torch

StorageKey = tuple[int, int, tuple[int, ...], tuple[int, ...], torch.dtype]


class TensorIndex:
    """Finds the tensor node a saved tensor is: the same object, else the same memory and flags.

    PyTorch hands back the very tensor object an op saved as an input, but a fresh object for a
    saved output, and ``detach()`` shares memory with its source; hence the fallback, which
    prefers a node whose ``requires_grad`` agrees with the saved tensor's.
    """

    def __init__(self) -> None:
        self.by_object: dict[int, str] = {}
        self.by_storage: dict[StorageKey, list[tuple[bool, str]]] = {}

    def add(self, tensor: torch.Tensor, node_id: str) -> None:
        self.by_object.setdefault(id(tensor), node_id)
        self.by_storage.setdefault(_storage_key(tensor), []).append((tensor.requires_grad, node_id))

    def find(self, tensor: torch.Tensor) -> str | None:
        found = self.by_object.get(id(tensor))
        if found is not None:
            return found
        candidates = self.by_storage.get(_storage_key(tensor), [])
        for requires_grad, node_id in candidates:
            if requires_grad == tensor.requires_grad:
                return node_id
        return candidates[0][1] if candidates else None


def _storage_key(tensor: torch.Tensor) -> StorageKey:
    with torch._C.DisableTorchFunction():
        return (
            tensor.untyped_storage().data_ptr(),
            int(tensor.storage_offset()),
            tuple(tensor.shape),
            tuple(tensor.stride()),
            tensor.dtype,
        )
