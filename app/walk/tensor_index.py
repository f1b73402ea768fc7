"""Which tensor node a tensor is: the same object, else the same memory and flags."""

from __future__ import annotations

from collections.abc import Iterable

import torch

StorageKey = tuple[int, int, tuple[int, ...], tuple[int, ...], torch.dtype]
# Where a tensor's data starts, and its dtype: equal for two tensors of equal ``StorageKey``
# (the same storage, offset and dtype; 0 for any empty tensor), and a tenth of its cost.
Address = tuple[int, torch.dtype]
_DATA_PTR = torch._C.TensorBase.data_ptr  # never a program's override


class TensorIndex:
    """Finds the tensor node a saved tensor is: the same object, else the same memory and flags.

    PyTorch hands back the very tensor object an op saved as an input, but a fresh object for a
    saved output, and ``detach()`` shares memory with its source; hence the fallback, which
    prefers a node whose ``requires_grad`` agrees with the saved tensor's.

    The fallback compares storage keys among the nodes at the tensor's address only, each key
    made once, when first compared (a 10,000-op chain's saved constants are at none).
    """

    def __init__(self) -> None:
        self.by_object: dict[int, str] = {}
        self._nodes: list[tuple[torch.Tensor, str]] = []
        # Node positions by address (made at the first tensor not found by object); None: the
        # nodes whose address PyTorch will not tell (no storage), compared with every tensor.
        self._at: dict[Address | None, list[int]] | None = None
        self._keys: dict[int, StorageKey] = {}  # position -> its storage key, once made
        # What ``find`` answered for a tensor no node is (the saved constant of each of a
        # chain's 10,000 ``y * 1.001`` is asked for three times), with the tensor itself: held,
        # its id is never another's. Extraction runs after the program: nothing changes.
        self._answered: dict[int, tuple[torch.Tensor, str | None]] = {}

    def add(self, tensor: torch.Tensor, node_id: str) -> None:
        self.add_all([(tensor, node_id)])

    def add_all(self, tensors: Iterable[tuple[torch.Tensor, str]]) -> None:
        """``add`` each (tensor, node id), in order."""
        self._answered.clear()
        self._at = None
        by_object = self.by_object
        for tensor, node_id in tensors:
            by_object.setdefault(id(tensor), node_id)
            self._nodes.append((tensor, node_id))

    def find(self, tensor: torch.Tensor) -> str | None:
        found = self.by_object.get(id(tensor))
        if found is not None:
            return found
        answered = self._answered.get(id(tensor))
        if answered is not None and answered[0] is tensor:
            return answered[1]
        found = self._by_storage(tensor)
        self._answered[id(tensor)] = (tensor, found)
        return found

    def _by_storage(self, tensor: torch.Tensor) -> str | None:
        """The first node of the same storage key and ``requires_grad``, else of the same key."""
        at = self._addresses()
        with torch._C.DisableTorchFunction():
            address = _address(tensor)
        if address is None:  # no address to narrow by: every node is a candidate
            near: list[int] = list(range(len(self._nodes)))
        else:
            here, unknown = at.get(address), at.get(None)
            if here is None and unknown is None:  # the common answer: none
                return None
            near = sorted((here or []) + (unknown or []))
        key = _storage_key(tensor)
        requires_grad = tensor.requires_grad
        first = None
        for position in near:
            if self._key(position) != key:
                continue
            candidate, node_id = self._nodes[position]
            if candidate.requires_grad == requires_grad:
                return node_id
            first = first or node_id
        return first

    def _addresses(self) -> dict[Address | None, list[int]]:
        if self._at is None:
            at: dict[Address | None, list[int]] = {}
            with torch._C.DisableTorchFunction():
                for position, (tensor, _) in enumerate(self._nodes):
                    address = _address(tensor)
                    if address is None:  # its key says whether it can be read (sparse: no)
                        self._keys[position] = _key(tensor)
                    at.setdefault(address, []).append(position)
            self._at = at
        return self._at

    def _key(self, position: int) -> StorageKey:
        key = self._keys.get(position)
        if key is None:
            key = self._keys[position] = _storage_key(self._nodes[position][0])
        return key


def _address(tensor: torch.Tensor) -> Address | None:
    try:
        return (_DATA_PTR(tensor), tensor.dtype)
    except Exception:  # noqa: BLE001 - no storage (a wrapper subclass's, a sparse tensor's)
        return None


def _storage_key(tensor: torch.Tensor) -> StorageKey:
    with torch._C.DisableTorchFunction():
        return _key(tensor)


def _key(tensor: torch.Tensor) -> StorageKey:
    return (
        tensor.untyped_storage().data_ptr(),
        int(tensor.storage_offset()),
        tuple(tensor.shape),
        tuple(tensor.stride()),
        tensor.dtype,
    )
