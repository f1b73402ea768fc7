"""What a program gets for the names the records mark ``wrapped`` (app/language/readers.py),
compared with what plain PyTorch does."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import torch
from torch.overrides import _get_current_function_mode_stack

from app.language.errors import SandboxViolation
from app.language.runtime import Runtime


def _modes() -> list[object]:
    modes: list[object] = _get_current_function_mode_stack()  # type: ignore[no-untyped-call]
    return modes


@pytest.fixture
def _default_device() -> Iterator[None]:
    yield
    torch.set_default_device(None)


@pytest.mark.usefixtures("_default_device")
@pytest.mark.parametrize("device", ["cpu", torch.device("cpu"), "cpu:0", None])
def test_the_cpu_as_default_device_leaves_no_mode(rt: Runtime, device: object) -> None:
    """Plain PyTorch pushes a DeviceContext mode for 'cpu' too; the program's
    ``set_default_device`` makes tensors where PyTorch would, with no mode left behind."""
    set_default_device = rt.attributes.getattr(torch, "set_default_device")
    set_default_device(device)
    assert _modes() == []
    made = torch.ones(2)
    torch.set_default_device(device)  # type: ignore[arg-type]
    plain = torch.ones(2)
    assert (made.device, made.dtype) == (plain.device, plain.dtype)


@pytest.mark.usefixtures("_default_device")
def test_no_device_but_the_cpu(rt: Runtime) -> None:
    set_default_device = rt.attributes.getattr(torch, "set_default_device")
    with pytest.raises(SandboxViolation, match="not available"):
        set_default_device("cuda")
    assert _modes() == []
