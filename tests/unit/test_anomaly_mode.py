"""``torch.autograd.set_detect_anomaly`` / ``detect_anomaly`` (debugging notes): they run as in
plain PyTorch, and the worker's anomaly switch is put back after the program
(app/language/allowlist/torch.py ``_reset``)."""

from __future__ import annotations

import pytest
import torch

from app.evaluate import evaluate
from tests.reference import run_reference

RUNS = """import torch
torch.autograd.set_detect_anomaly(True)
x = torch.tensor([0.0, 1.0], requires_grad=True)
y = torch.sqrt(x)
y.sum().backward()
print(x.grad, torch.isinf(x.grad).any())
with torch.autograd.set_detect_anomaly(False):
    z = (x * 2).sum()
z.backward()
print(x.grad)
"""

FINDS_A_NAN = """import torch
x = torch.tensor([-1.0, 4.0], requires_grad=True)
with torch.autograd.detect_anomaly():
    y = (torch.sqrt(x) * 0).sum()
    y.backward()
print(x.grad)
"""


def _default_switch() -> tuple[bool, bool]:
    return torch.is_anomaly_enabled(), torch.is_anomaly_check_nan_enabled()


def test_a_program_with_anomaly_detection_runs_as_in_plain_pytorch() -> None:
    reference = run_reference(RUNS)
    torch.set_anomaly_enabled(False, True)  # plain PyTorch's program left it on
    record = evaluate(RUNS)
    assert record.error is None, record.error
    assert record.stdout == reference.stdout
    assert _default_switch() == (False, True)


def test_a_nan_in_backward_fails_as_in_plain_pytorch_with_a_hint() -> None:
    reference = run_reference(FINDS_A_NAN, catch=True)
    assert reference.error is not None
    record = evaluate(FINDS_A_NAN)
    assert record.error is not None and record.error.hint is not None
    assert (record.error.type, record.error.message, record.error.line) == (
        type(reference.error).__name__,
        str(reference.error),
        reference.error_line,
    )
    assert record.error.hint["key"] == "anomaly_nan"
    assert _default_switch() == (False, True)


@pytest.mark.parametrize(
    "switch",
    [
        "torch.autograd.set_detect_anomaly(True)",
        "torch.autograd.set_detect_anomaly(True, check_nan=False)",
        "torch.autograd.set_detect_anomaly(False, check_nan=False)",
    ],
)
def test_the_switch_a_program_leaves_is_put_back(switch: str) -> None:
    record = evaluate(f"import torch\n{switch}\nprint(1)\n")
    assert record.error is None and record.stdout == "1\n"
    assert _default_switch() == (False, True)
