"""``torch.backends.cudnn`` as a program sees it (app/language/cudnn_flags.py): the flags a
course's seed helper sets behave as in plain PyTorch, and stay the program's own."""

from __future__ import annotations

import pytest
import torch

from app.evaluate import evaluate
from tests.reference import run_reference

SEED_HELPER = """import random
import numpy as np
import torch

def setup_seed(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.cuda.manual_seed_all(seed)
    torch.backends.cudnn.deterministic = True
    torch.backends.cudnn.benchmark = False

print(torch.backends.cudnn.deterministic, torch.backends.cudnn.benchmark)
setup_seed(20)
print(torch.backends.cudnn.deterministic, torch.backends.cudnn.benchmark)
print(torch.backends.cudnn.enabled, torch.backends.cudnn.allow_tf32)
print(torch.backends.cudnn.is_available(), torch.backends.cudnn.version())
print(torch.rand(2))
"""


def _flags() -> tuple[bool, ...]:
    real = torch.backends.cudnn
    return (real.enabled, real.deterministic, real.benchmark, real.allow_tf32)


@pytest.mark.parametrize(
    "code",
    [
        SEED_HELPER,
        "import torch.backends.cudnn as cudnn\ncudnn.benchmark = True\nprint(cudnn.benchmark)\n",
        "from torch.backends import cudnn\ncudnn.enabled = False\nprint(cudnn.enabled)\n",
        "import torch\nprint(torch.version.cuda, torch.version.hip, torch.version.debug)\n",
        (
            "import torch\ntorch.cuda.empty_cache()\n"
            "print(torch.cuda.memory_allocated(), torch.cuda.max_memory_allocated())\n"
        ),
    ],
)
def test_a_program_setting_cudnn_flags_runs_as_in_plain_pytorch(code: str) -> None:
    before = _flags()
    reference = run_reference(code, seed=0)
    torch.backends.cudnn.deterministic, torch.backends.cudnn.benchmark = before[1:3]
    torch.backends.cudnn.enabled = before[0]
    record = evaluate(code, seed=0)
    assert record.refused is None and record.error is None, record.refused or record.error
    assert record.stdout == reference.stdout
    assert _flags() == before  # the worker's own flags, untouched


def test_flags_set_by_one_program_are_not_seen_by_the_next() -> None:
    first = evaluate("torch.backends.cudnn.benchmark = True\nprint(torch.backends.cudnn.benchmark)")
    second = evaluate("print(torch.backends.cudnn.benchmark)")
    assert (first.stdout, second.stdout) == ("True\n", f"{torch.backends.cudnn.benchmark}\n")


@pytest.mark.parametrize("value", ["1", "'yes'", "None"])
def test_a_flag_takes_only_a_bool_as_in_plain_pytorch(value: str) -> None:
    code = f"import torch\ntorch.backends.cudnn.deterministic = {value}\n"
    reference = run_reference(code, catch=True)
    assert reference.error is not None
    record = evaluate(code)
    assert record.error is not None
    assert (record.error.type, record.error.message, record.error.line) == (
        type(reference.error).__name__,
        str(reference.error),
        reference.error_line,
    )
    assert torch.backends.cudnn.deterministic is False


@pytest.mark.parametrize(
    "call", ["current_device()", "synchronize()", "get_device_properties(0)", "set_device(0)"]
)
def test_cuda_calls_that_need_a_gpu_fail_with_the_gpu_hint(call: str) -> None:
    code = f"import torch\ntorch.cuda.{call}\n"
    assert run_reference(code, catch=True).error is not None  # plain PyTorch fails too
    record = evaluate(code)
    assert record.error is not None and record.error.hint is not None
    assert record.error.hint["key"] == "sandbox_gpu"
