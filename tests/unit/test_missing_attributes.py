"""A name an object does not have raises Python's own ``AttributeError``, as in plain PyTorch,
with a hint naming the nearest names a program may read (app/language/attributes.py)."""

from __future__ import annotations

import pytest

from app.evaluate import evaluate
from tests.reference import run_reference

# Mistakes learners make, each failing in plain PyTorch with an AttributeError.
PROGRAMS = {
    "grad-zeroed-before-backward": (
        "w = torch.tensor([1.0, -1.0], requires_grad=True)\n"
        "for step in range(2):\n"
        "    w.grad.zero_()\n"
        "    loss = (w ** 2).sum()\n"
        "    loss.backward()\n"
    ),
    "grad-data-of-none": "b = torch.zeros(1, requires_grad=True)\nb.grad.data.zero_()\n",
    "tensor-method-misspelt": "x = torch.ones(2)\nx.zero()\n",
    "module-field-misspelt": "net = nn.Linear(2, 1)\nprint(net.wieght)\n",
    "class-attribute-misspelt": "print(nn.Linear.forwrd)\n",
    "list-method-of-tensors": "xs = [torch.ones(1)]\nxs.push(torch.zeros(1))\n",
    "numpy-array-misspelt": "import numpy as np\na = np.ones(3)\nprint(a.lenght)\n",
    "number-method": "n = 3\nn.item()\n",
}

# The hint each program gets, by its key.
HINTS = {
    "grad-zeroed-before-backward": "grad_is_none",
    "grad-data-of-none": "grad_is_none",
    "tensor-method-misspelt": "attribute_did_you_mean",
    "module-field-misspelt": "attribute_did_you_mean",
}


@pytest.mark.parametrize("name", PROGRAMS)
def test_the_error_is_pythons_own(name: str) -> None:
    code = PROGRAMS[name]
    reference = run_reference(code, catch=True)
    assert isinstance(reference.error, AttributeError)
    record = evaluate(code)
    assert record.refused is None
    assert record.error is not None
    assert record.error.type == "AttributeError"
    assert record.error.message == str(reference.error)
    assert record.error.line == reference.error_line


@pytest.mark.parametrize("name", HINTS)
def test_the_hint_helps(name: str) -> None:
    error = evaluate(PROGRAMS[name]).error
    assert error is not None and error.hint is not None
    assert error.hint["key"] == HINTS[name]


def test_did_you_mean_names_the_nearest_readable_names() -> None:
    hint = evaluate(PROGRAMS["tensor-method-misspelt"]).error.hint  # type: ignore[union-attr]
    assert hint is not None
    assert "`.zero_`" in hint["en"] and "`.zero_`" in hint["zh"]
    hint = evaluate(PROGRAMS["module-field-misspelt"]).error.hint  # type: ignore[union-attr]
    assert hint is not None and "`.weight`" in hint["en"]


def test_a_program_catches_it_as_in_plain_pytorch() -> None:
    code = (
        "w = torch.ones(2, requires_grad=True)\n"
        "try:\n    w.grad.zero_()\nexcept AttributeError as e:\n    print('caught:', e)\n"
        "print(hasattr(w, 'zero'), getattr(w, 'zero', 'none'))\n"
    )
    record = evaluate(code)
    assert record.error is None
    assert record.stdout == run_reference(code).stdout


def test_a_name_that_exists_but_is_refused_stays_refused() -> None:
    for code in (
        "x = torch.ones(2)\nx.storage()\n",
        "print(torch.load)\n",
        "print(torch.Tensor.storage)\n",  # the class is the sandbox's stand-in
    ):
        record = evaluate(code)
        problem = record.refused or record.error
        assert problem is not None and problem.type == "SandboxViolation", code


def test_the_hint_cannot_be_read_by_the_program() -> None:
    code = "try:\n    torch.ones(1).zero()\nexcept AttributeError as e:\n    print(e._ag_hint)\n"
    record = evaluate(code)
    assert record.refused is not None
