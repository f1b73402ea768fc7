"""The legacy tensor classes of older course notes (``torch.FloatTensor``, ``x.type(torch.
DoubleTensor)``, ``torch.set_default_tensor_type``), as the sandbox offers them: each class is a
stand-in that builds through the limits and checks ``isinstance`` by dtype, as PyTorch does.
"""

from __future__ import annotations

from typing import Any

import torch

from app.hints import sandbox
from app.language.errors import SandboxViolation
from app.language.stand_ins import TENSOR as TENSOR_STAND_IN
from app.language.stand_ins import stand_in

# The legacy typed constructors (``torch.FloatTensor([1, 2])``): each builds through the
# limits, as ``torch.Tensor(...)`` does.
LEGACY_TENSORS = {
    "FloatTensor": torch.float32,
    "DoubleTensor": torch.float64,
    "HalfTensor": torch.float16,
    "LongTensor": torch.int64,
    "IntTensor": torch.int32,
    "BoolTensor": torch.bool,
    "ByteTensor": torch.uint8,
}

# Each checks isinstance as its legacy class does (by dtype: a float tensor is no DoubleTensor).
LEGACY_STAND_INS = {
    name: stand_in(getattr(torch, name), f"legacy_{name}") for name in LEGACY_TENSORS
}


def tensor_type_to(tensor: torch.Tensor, *args: Any, **kwargs: Any) -> Any:
    """``x.type(torch.DoubleTensor)`` (older course notes): the sandbox's stand-in for a legacy
    class means its dtype, which ``Tensor.type`` takes too; anything else goes as it is."""
    dtypes: dict[Any, Any] = {TENSOR_STAND_IN: torch.get_default_dtype()}
    dtypes.update({stand: LEGACY_TENSORS[name] for name, stand in LEGACY_STAND_INS.items()})
    if args and isinstance(args[0], type):
        args = (dtypes.get(args[0], args[0]), *args[1:])
    if isinstance(kwargs.get("dtype"), type):
        kwargs["dtype"] = dtypes.get(kwargs["dtype"], kwargs["dtype"])
    return tensor.type(*args, **kwargs)


def set_default_tensor_type(kind: Any) -> None:
    """``torch.set_default_tensor_type`` (deprecated, in older course notes), by name or by the
    class: a CPU type sets the default dtype as PyTorch does; a CUDA one is refused."""
    names = {stand: name for name, stand in LEGACY_STAND_INS.items()}
    name = kind if isinstance(kind, str) else names.get(kind, "")
    if name.startswith("torch.cuda."):
        raise SandboxViolation(f"'{name}' is not available here", sandbox.GPU)
    dtype = LEGACY_TENSORS.get(name.removeprefix("torch."))
    if dtype is None or not dtype.is_floating_point:
        raise TypeError("only floating-point types are supported as the default type")
    torch.set_default_dtype(dtype)
