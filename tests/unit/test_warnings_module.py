"""``import warnings`` as course notes use it (``warnings.filterwarnings("ignore")`` at the top,
``simplefilter``, ``warn``), compared with plain PyTorch; the filters are the program's own."""

from __future__ import annotations

import warnings

import pytest

from app.evaluate import evaluate
from tests.reference import run_reference

PROGRAMS = {
    "ignore-at-the-top": (
        "import warnings\nwarnings.filterwarnings('ignore')\nimport torch\n"
        "x = torch.ones(2, requires_grad=True)\ny = x * 2\ny.sum().backward()\n"
        "print(x.grad, y.grad)\n"
    ),
    "ignore-a-category": (
        "import warnings\nwarnings.filterwarnings('ignore', category=FutureWarning)\n"
        "warnings.warn('later', DeprecationWarning)\nprint('went on')\n"
    ),
}


@pytest.mark.parametrize("name", PROGRAMS)
def test_as_in_plain_pytorch(name: str) -> None:
    code = PROGRAMS[name]
    record = evaluate(code)
    assert record.refused is None and record.error is None, record.refused or record.error
    assert record.stdout == run_reference(code).stdout


def test_ignoring_warnings_silences_the_notes_too() -> None:
    record = evaluate(PROGRAMS["ignore-at-the-top"])
    assert record.notes == []
    without = PROGRAMS["ignore-at-the-top"].replace("warnings.filterwarnings('ignore')\n", "")
    assert [note["key"] for note in evaluate(without).notes] == ["warning_grad_is_none"]


def test_warnings_made_errors_are_refused() -> None:
    """A warning raised as an exception could stop the sandbox's own checks midway."""
    for call in ("simplefilter('error')", "filterwarnings('error', category=UserWarning)"):
        record = evaluate(f"import warnings\nwarnings.{call}\n")
        assert record.error is not None and record.error.type == "SandboxViolation"
        assert record.error.hint is not None and record.error.hint["key"] == "sandbox_warnings"


def test_the_programs_filters_are_put_back() -> None:
    before = list(warnings.filters)
    evaluate("import warnings\nwarnings.simplefilter('ignore')\n")
    assert warnings.filters == before
    record = evaluate("y = torch.ones(2, 1) * 1\nl = nn.MSELoss()(y, torch.ones(2))\nprint(l)\n")
    assert record.error is None


def test_tqdm_is_refused_with_its_own_hint() -> None:
    record = evaluate("from tqdm import tqdm\nfor i in tqdm(range(3)):\n    pass\n")
    assert record.refused is not None and record.refused.hint is not None
    assert record.refused.hint["key"] == "sandbox_progress_bars"
    assert (record.refused.line, record.refused.col) == (1, 1)
