"""A module's children as a program sees ``self._modules`` (d2l's ``MySequential``)."""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from typing import Any

from torch import nn


class Children(MutableMapping[str, Any]):
    """A module's children as a program may see and set them: only modules go in (as
    ``add_module`` checks), so PyTorch's walks over children never meet anything else."""

    def __init__(self, module: nn.Module) -> None:
        self._module = module

    def __getitem__(self, name: str) -> Any:
        return self._module._modules[name]

    def __setitem__(self, name: str, child: Any) -> None:
        self._module.add_module(name, child)

    def __delitem__(self, name: str) -> None:
        del self._module._modules[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._module._modules)

    def __len__(self) -> int:
        return len(self._module._modules)
