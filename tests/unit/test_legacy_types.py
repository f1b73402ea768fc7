"""The legacy typed classes of older course notes (``torch.FloatTensor``...) used as types:
``x.type(torch.DoubleTensor)`` and ``isinstance``, compared with plain PyTorch."""

from __future__ import annotations

import pytest

from app.evaluate import evaluate
from tests.reference import run_reference

PROGRAMS = {
    "type-to-a-legacy-class": (
        "a = torch.FloatTensor([[1, 2], [3, 4]])\n"
        "d = a.type(torch.DoubleTensor)\n"
        "print(a.type(), d.dtype, d, a.type(torch.LongTensor), a.type(dtype=torch.IntTensor))\n"
        "print(a.type('torch.DoubleTensor').dtype, a.type(torch.float16).dtype)\n"
    ),
    "type-to-torch-tensor": "a = torch.ones(2, dtype=torch.int64)\nprint(a.type(torch.Tensor))\n",
    "isinstance-by-dtype": (
        "x = torch.LongTensor([1, 2])\n"
        "print(isinstance(x, torch.LongTensor), isinstance(x, torch.FloatTensor))\n"
        "print(isinstance(x, torch.Tensor), isinstance(x.float(), torch.FloatTensor))\n"
        "print(torch.FloatTensor, torch.LongTensor, type(torch.FloatTensor([1.0])))\n"
    ),
    "type-after-default-tensor-type": (
        "torch.set_default_tensor_type(torch.DoubleTensor)\n"
        "print(torch.ones(2, dtype=torch.int32).type(torch.Tensor).dtype)\n"
        "print(torch.ones(1).type(torch.FloatTensor).dtype)\n"
    ),
}


@pytest.mark.parametrize("name", PROGRAMS)
def test_as_in_plain_pytorch(name: str) -> None:
    code = PROGRAMS[name]
    record = evaluate(code)
    assert record.refused is None and record.error is None, record.refused or record.error
    assert record.stdout == run_reference(code).stdout


def test_a_legacy_class_still_builds_through_the_limits() -> None:
    record = evaluate("x = torch.FloatTensor(10**9)\n")
    assert record.error is not None and record.error.type == "LimitExceeded"
