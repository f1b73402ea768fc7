"""``torch.backends.cudnn`` as a program sees it: the flags course code sets, the program's own.

Seed helpers in course notes end with ``torch.backends.cudnn.deterministic = True`` and
``torch.backends.cudnn.benchmark = False``. On this CPU-only build they change nothing a
program computes, but PyTorch keeps them in the process: set on the real module they would
outlive the program in its worker. Each program gets a fresh ``CudnnFlags`` instead, which
starts with PyTorch's own values, takes only booleans as PyTorch does (with its message), and
answers the functions a program may call (``is_available()``: False, ``version()``: None).
"""

from __future__ import annotations

from typing import Any

import torch

# The flag -> the name PyTorch's setter gives in its error (``allow_tf32`` is cuBLAS's own).
SETTERS = {
    "enabled": "set_enabled_cudnn",
    "deterministic": "set_deterministic_cudnn",
    "benchmark": "set_benchmark_cudnn",
    "allow_tf32": "set_allow_tf32_cublas",
}


class CudnnFlags:
    """One program's ``torch.backends.cudnn``: its flags, none of them the process's."""

    enabled: bool
    deterministic: bool
    benchmark: bool
    allow_tf32: bool

    def __init__(self) -> None:
        real = torch.backends.cudnn
        for flag in SETTERS:
            object.__setattr__(self, flag, bool(getattr(real, flag)))

    def __setattr__(self, name: str, value: Any) -> None:
        if name not in SETTERS:
            raise AttributeError(f"module 'torch.backends.cudnn' has no flag '{name}'")
        if type(value) is not bool:
            raise RuntimeError(f"{SETTERS[name]} expects a bool, but got {type(value).__name__}")
        object.__setattr__(self, name, value)

    def __repr__(self) -> str:
        return "<module 'torch.backends.cudnn'>"

    @staticmethod
    def is_available() -> bool:
        """Whether cuDNN can be used (never here: no GPU)."""
        return bool(torch.backends.cudnn.is_available())  # type: ignore[no-untyped-call]

    @staticmethod
    def version() -> int | None:
        """cuDNN's version (None: this PyTorch has none)."""
        version: int | None = torch.backends.cudnn.version()  # type: ignore[no-untyped-call]
        return version
