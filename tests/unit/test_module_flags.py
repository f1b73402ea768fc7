"""Module-level flags a program may set (``torch.backends.cudnn.deterministic = True`` in the
seeding helper of many course notes): as in plain PyTorch while it runs, put back after."""

from __future__ import annotations

import pytest
import torch

from app.evaluate import evaluate
from tests.reference import run_reference

SETUP_SEED = (
    "import random\nimport numpy as np\nimport torch\n"
    "def setup_seed(seed):\n"
    "    torch.manual_seed(seed)\n"
    "    torch.cuda.manual_seed_all(seed)\n"
    "    np.random.seed(seed)\n"
    "    random.seed(seed)\n"
    "    torch.backends.cudnn.deterministic = True\n"
    "    torch.backends.cudnn.benchmark = False\n"
    "setup_seed(20)\n"
    "print(torch.backends.cudnn.deterministic, torch.backends.cudnn.benchmark)\n"
    "print(torch.rand(2), np.random.rand(1), random.random())\n"
)
IMPORTED_AS = (
    "import torch.backends.cudnn as cudnn\n"
    "cudnn.benchmark = True\n"
    "print(cudnn.benchmark, torch.backends.cudnn.benchmark)\n"
)


@pytest.mark.parametrize("code", [SETUP_SEED, IMPORTED_AS], ids=["setup-seed", "imported-as"])
def test_as_in_plain_pytorch_and_the_workers_flags_untouched(code: str) -> None:
    """The program sees its flags as plain PyTorch shows them; the process's own stay as
    they were (the reference run puts them back too: tests/reference.py)."""
    record = evaluate(code)
    assert record.error is None, record.error
    assert record.stdout == run_reference(code).stdout
    assert not torch.backends.cudnn.deterministic and not torch.backends.cudnn.benchmark


@pytest.mark.parametrize(
    "code",
    [
        "torch.backends.cudnn.is_available = print\n",
        "torch.manual_seed = print\n",
    ],
)
def test_other_module_names_stay_unassignable(code: str) -> None:
    error = evaluate(code).error
    assert error is not None and error.type == "SandboxViolation"
