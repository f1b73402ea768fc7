"""What a program gets for the names the records mark ``wrapped`` (app/language/readers.py),
compared with what plain PyTorch does."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
import torch
from torch.overrides import _get_current_function_mode_stack

from app.evaluate import evaluate
from app.language.errors import SandboxViolation
from app.language.runtime import Runtime
from tests.reference import run_reference


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


_FROM_NUMPY = (
    "import numpy as np\na = np.array([[1.5, 2.0], [3.0, 4.0]])\nt = torch.from_numpy(a)\n"
)


def test_from_numpy_is_plain_pytorch() -> None:
    """The tensor shares the array's memory, with its dtype, as in PyTorch."""
    code = _FROM_NUMPY + "a[0, 0] = 7.0\nprint(t, t.dtype, torch.from_numpy.__name__)"
    array = np.array([[1.5, 2.0], [3.0, 4.0]])
    plain = torch.from_numpy(array)
    array[0, 0] = 7.0
    record = evaluate(code)
    assert record.error is None, record.error
    assert record.stdout == f"{plain} {plain.dtype} from_numpy\n"


@pytest.mark.parametrize(
    "make",
    [
        "torch.from_numpy(np.array([1 + 2j]))",
        "torch.as_tensor(np.array([1 + 2j]))",
        "torch.tensor(np.array([1 + 2j]))",
    ],
)
def test_a_complex_array_makes_the_complex_tensor_pytorch_makes(make: str) -> None:
    code = f"import numpy as np\nz = {make}\nprint(z, z.dtype)\n"
    namespace: dict[str, Any] = {"torch": torch}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(code, namespace)  # noqa: S102 - plain PyTorch, the reference
    record = evaluate(code)
    assert record.error is None, record.error
    assert record.stdout == printed.getvalue()


def test_an_array_of_a_dtype_torch_does_not_offer_makes_no_tensor() -> None:
    record = evaluate("import numpy as np\nz = torch.from_numpy(np.array([1], dtype='uint16'))\n")
    assert record.error is not None and record.error.type == "SandboxViolation"
    assert "uint16 tensor" in record.error.message


def test_every_wrapped_name_has_one_reader_in_the_records() -> None:
    """Each library's record holds the readers of the names it wraps: a reader is named once
    (one library's cannot replace another's), and none is left that no record uses."""
    from app.language.allowlist import ALLOWLIST

    owner: dict[str, str] = {}
    for library in ALLOWLIST.libraries:
        for name in library.readers:
            assert name not in owner, f"{name}: in {owner.get(name)} and {library.name}"
            owner[name] = library.name
    used: set[str] = set()
    for library in ALLOWLIST.libraries:
        for module in library.modules:
            used |= set(module.wrapped.values())
        for kind in library.types:
            used |= set(kind.wrapped.values()) | set(kind.class_wrapped.values())
    assert used - set(owner) == set(), "wrapped names without a reader"
    assert set(owner) - used == set(), "readers no record uses"


def test_a_programs_readers_are_made_when_first_read(rt: Runtime) -> None:
    """Most programs read few wrapped names: each reader is made once, when first asked for."""
    import math

    from app.language.readers import readers

    made = readers(rt)
    assert len(made) == 0
    first = made["math_prod"]
    assert made["math_prod"] is first and len(made) == 1
    assert first(math, "prod")([2, 3], start=4) == 24


def test_set_default_tensor_type_sets_the_dtype_as_pytorch_does_for_one_program() -> None:
    """Older course notes call the deprecated ``torch.set_default_tensor_type``: by name or by
    class, a CPU type sets the default dtype as in PyTorch, only for that program; a CUDA
    type is refused (no GPU), and a non-float one fails as in PyTorch."""
    program = (
        "torch.set_default_tensor_type('torch.DoubleTensor')\nprint(torch.tensor([1.5]).dtype)\n"
        "torch.set_default_tensor_type(torch.FloatTensor)\nprint(torch.ones(1).dtype)\n"
        "torch.set_default_tensor_type(torch.DoubleTensor)\nprint(torch.zeros(1).dtype)\n"
    )
    record = evaluate(program)
    assert record.error is None
    assert record.stdout == run_reference(program).stdout
    assert torch.get_default_dtype() == torch.float32
    assert evaluate("print(torch.ones(1).dtype)\n").stdout == "torch.float32\n"
    cuda = evaluate("torch.set_default_tensor_type('torch.cuda.FloatTensor')\n")
    assert cuda.error is not None and cuda.error.type == "SandboxViolation"
    assert cuda.error.hint is not None and cuda.error.hint["key"] == "sandbox_gpu"
    ints = evaluate("torch.set_default_tensor_type('torch.LongTensor')\n")
    with pytest.raises(TypeError) as plain:
        torch.set_default_tensor_type("torch.LongTensor")
    assert ints.error is not None and ints.error.type == "TypeError"
    assert ints.error.message == str(plain.value)


_BACKWARD_FORMS = """\
w = torch.tensor([1.0, 2.0], requires_grad=True)
y = (w * w).sum()
y.backward(retain_graph=True)
print(w.grad)
y.backward(torch.tensor(2.0), True)
print(w.grad)
w.grad = None
z = (w ** 3).sum()
z.backward(create_graph=True)
print(w.grad)
g = w.grad.sum()
w.grad = None
g.backward(inputs=[w])
print(w.grad)
q = (w * 3).sum()
step = q.backward
step()
try:
    q.backward()
except RuntimeError as error:
    print(error)
"""


def test_backward_in_every_form_is_plain_pytorch_and_recorded() -> None:
    """``x.backward`` is handed to the program's mode without torch's Python dispatch: its
    arguments by position and by name, ``create_graph``, ``inputs``, a pass through a freed
    graph (the program catches PyTorch's error) give what PyTorch gives, each call is recorded,
    and the mode is on again after each: a call past the size limit is still refused. The
    method itself prints as PyTorch's does."""
    record = evaluate(_BACKWARD_FORMS)
    assert record.error is None, record.error
    assert record.stdout == run_reference(_BACKWARD_FORMS).stdout
    assert record.graph is not None
    assert [p["call"] for p in record.graph["backward"]] == [0, 1, 2, 3, 4, 5]
    shown = evaluate("w = torch.ones(2, requires_grad=True)\nprint(w.backward)\n")
    assert shown.stdout == f"{torch.ones(2, requires_grad=True).backward}\n"  # as PyTorch's
    over = evaluate(_BACKWARD_FORMS + "big = torch.ones(3000, 3000)\n")
    assert over.error is not None and over.error.type == "LimitExceeded"
    assert over.error.line == _BACKWARD_FORMS.count("\n") + 1
