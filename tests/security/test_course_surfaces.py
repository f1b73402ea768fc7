"""The course surfaces under attack: what one program can leave for the programs after it.

A worker runs many programs, one after another, in one process. Each test here runs programs
as a worker does (``evaluate`` with its cleanups, the cleanups after the answer, then a full
collection: ``_serve``), in this process or through the real worker pool, and checks that the
second program cannot see or feel the first: no program code runs after the answer, no global
setting, printing hook or freed value carries over, and what a worker sends back stays small.

Tests marked ``xfail(strict=True)`` describe holes found in review; each passes once the hole is
fixed (and then its marker must go).
"""

from __future__ import annotations

import gc
import itertools
import time
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
import torch
from fastapi.testclient import TestClient
from torch.overrides import _get_current_function_mode_stack

from app.evaluate import evaluate
from app.language.allowlist import ALLOWLIST
from app.language.plots import RC_PARAMS
from app.record import EvalRecord
from tests.security.test_hostile_programs import post_when_free

_NUMPY_PRINT_OPTIONS: dict[str, Any] = dict(np.get_printoptions())
_unique = itertools.count(1)

# Root cause of the first four holes, shared by their reasons.
_AFTER_THE_PROGRAM = (
    "a program's generator that is still suspended is closed when its namespace is cleared"
    " after the answer (evaluate's cleanup, then gc.collect in the worker), and Python then"
    " runs the generator's 'finally:' block (and the expressions of its 'except' clauses):"
    " program code outside ProgramMode, after ALLOWLIST.reset, with no wall clock of its"
    " own (the next request's). definitions._resumed never closes the generator it wraps."
    " Fix: close every program generator at the end of _run, inside ProgramMode (keep weak"
    " references in Definitions), and have the guarded wrappers refuse to run once the"
    " runtime is finished"
)


def _torch_modes() -> list[Any]:
    """The torch-function modes active in this process now."""
    modes: list[Any] = _get_current_function_mode_stack()  # type: ignore[no-untyped-call]
    return modes


def _serve(code: str) -> EvalRecord:
    """Run ``code`` as a worker does: answer, then free what the program made, then collect."""
    cleanups: list[Any] = []
    record = evaluate(code, cleanups=cleanups)
    for cleanup in cleanups:
        cleanup()
    gc.collect()
    return record


@pytest.fixture
def _clean_process() -> Iterator[None]:
    """Whatever a test's programs did to this process's global settings is put back."""
    yield
    gc.collect()
    ALLOWLIST.reset(tuple(library.name for library in ALLOWLIST.libraries))
    np.set_printoptions(**_NUMPY_PRINT_OPTIONS)
    torch.set_default_dtype(torch.float32)
    torch.set_grad_enabled(True)
    if _torch_modes():
        torch.set_default_device(None)
    RC_PARAMS.clear()


# --- program code after the answer -------------------------------------------------------------

_LATE_MARKER = """
import matplotlib.pyplot as plt
def gen():
    rc = plt.rcParams
    try:
        yield 1
    finally:
        rc['late'] = 'program code ran after the answer'
g = gen()
next(g)
"""


@pytest.mark.usefixtures("_clean_process")
def test_no_program_code_runs_after_the_answer() -> None:
    """A generator's ``finally`` must not run during the teardown after the answer.

    (Run while the program runs, its write to ``rcParams`` is emptied by the reset that ends
    the program; run after it, the write stays.)
    """
    _serve(_LATE_MARKER)  # answered (or refused): either way, nothing may run after
    assert "late" not in RC_PARAMS


_IMPLANT_SETTINGS = """
def implant():
    dtype = torch.set_default_dtype
    float64 = torch.float64
    grad = torch.set_grad_enabled
    try:
        yield 1
    finally:
        dtype(float64)
        grad(False)
g = implant()
next(g)
"""
_VICTIM_SETTINGS = (
    "x = torch.ones(2, requires_grad=True)\ny = x * 2\nprint(y.dtype, y.requires_grad)"
)


@pytest.mark.usefixtures("_clean_process")
def test_a_program_cannot_change_the_settings_of_the_next() -> None:
    """Grad mode and default dtype, set by the first program's teardown, reach the second."""
    _serve(_IMPLANT_SETTINGS)
    victim = _serve(_VICTIM_SETTINGS)
    assert victim.error is None, victim.error
    assert victim.stdout == "torch.float32 True\n"


# The attacker installs one of its functions as NumPy's float formatter, from its teardown.
_FORMATTER_IMPLANT = """
import numpy as np
def make():
    set_options = np.set_printoptions
    stash = []
    def fmt(x):
        getattr(stash, 'append')(x)
        return repr(stash)
    def implant():
        try:
            yield 1
        finally:
            set_options(formatter={'float_kind': fmt})
    return implant
g = make()()
next(g)
"""
# The victim never prints its values: it only formats an array (as str(), print, f-strings do).
_FORMATTER_VICTIM = "secret = torch.tensor([3.25, 4.5])\ns = str(secret.numpy())\nprint('done')"
_FORMATTER_READER = "print(torch.tensor([0.0]).numpy())"


@pytest.mark.usefixtures("_clean_process")
def test_a_program_cannot_read_the_values_of_another() -> None:
    """Program A's teardown installs a NumPy formatter; B formats its secret array; C, which
    never saw B, prints an array and reads B's values."""
    _serve(_FORMATTER_IMPLANT)
    victim = _serve(_FORMATTER_VICTIM)
    assert victim.stdout == "done\n"
    reader = _serve(_FORMATTER_READER)
    assert "3.25" not in reader.stdout and "4.5" not in reader.stdout, reader.stdout


# --- memory a program gets back uninitialised ---------------------------------------------------

_EMPTY_CASES = {
    "numpy": (
        "import numpy as np\nsecrets = [np.full(30000, 1234.5) for i in range(20)]",
        (
            "import numpy as np\nes = [np.empty(30000) for i in range(20)]\n"
            "print(sum(int((e == 1234.5).sum()) for e in es))"
        ),
    ),
    "torch": (
        "secrets = [torch.full((30000,), 1234.5) for i in range(20)]",
        (
            "es = [torch.empty(30000) for i in range(20)]\n"
            "print(sum(int((e == 1234.5).sum().item()) for e in es))"
        ),
    ),
    "legacy": (
        "secrets = [torch.full((30000,), 1234.5) for i in range(20)]",
        (
            "es = [torch.Tensor(30000) for i in range(20)]\n"
            "print(sum(int((e == 1234.5).sum().item()) for e in es))"
        ),
    ),
}


@pytest.mark.usefixtures("_clean_process")
@pytest.mark.parametrize(
    "kind",
    ["legacy", "numpy", "torch"],
)
def test_empty_holds_no_values_of_an_earlier_program(kind: str) -> None:
    writer, reader = _EMPTY_CASES[kind]
    assert _serve(writer).error is None
    record = _serve(reader)
    assert record.error is None, record.error
    assert record.stdout == "0\n", f"{record.stdout.strip()} values of the earlier program"


# --- the answer itself ----------------------------------------------------------------------------


@pytest.mark.usefixtures("_clean_process")
def test_evaluate_answers_when_an_exception_cannot_be_described() -> None:
    code = "class E:\n    def __str__(self):\n        return 1 / 0\nraise ValueError(E())\n"
    record = evaluate(code)  # must not raise: it answers for anything the program does
    assert record.error is not None


@pytest.mark.usefixtures("_clean_process")
def test_no_torch_mode_outlives_its_program() -> None:
    assert _serve("torch.set_default_device('cpu')\nx = torch.ones(2)").error is None
    assert _torch_modes() == []


@pytest.mark.usefixtures("_clean_process")
def test_program_code_in_graph_extraction_stays_under_the_limits() -> None:
    """A module's ``_get_name`` (a one-underscore name a class may define) runs when the graph
    describes a dict key, after the program. If it runs at all, it runs under the size limits:
    the allocation between the two prints is refused."""
    code = (
        "class M(nn.Module):\n    def _get_name(self):\n        print('before')\n"
        "        t = torch.ones(3000000)\n        print('after')\n        return 'M'\n"
        "d = {M(): torch.ones(1)}\n"
    )
    record = _serve(code)
    assert "after" not in record.stdout


# --- through the worker pool ------------------------------------------------------------------------


def _fresh(code: str) -> str:
    """``code`` with a unique comment: never answered from the cache."""
    return f"{code}\n# probe {next(_unique)} {time.time()}\n"


def _run(client: TestClient, code: str) -> dict[str, Any]:
    response = post_when_free(client, _fresh(code))
    assert response.status_code == 200, response.text[:500]
    body: dict[str, Any] = response.json()
    return body


def _on_every_worker(client: TestClient, code: str) -> list[dict[str, Any]]:
    workers: int = client.app.state.settings.workers  # type: ignore[attr-defined]
    return [_run(client, code) for _ in range(workers)]


def test_teardown_code_does_not_reach_other_requests(client: TestClient) -> None:
    _on_every_worker(client, _IMPLANT_SETTINGS)
    answers = _on_every_worker(client, _VICTIM_SETTINGS)  # torch's reset after each puts it back
    assert [a["stdout"] for a in answers] == ["torch.float32 True\n"] * len(answers)


def test_one_request_cannot_read_anothers_values(client: TestClient) -> None:
    _on_every_worker(client, _FORMATTER_IMPLANT)
    _on_every_worker(client, _FORMATTER_VICTIM)
    answers = _on_every_worker(client, _FORMATTER_READER)
    _on_every_worker(client, "import numpy as np")  # its reset drops the formatter
    for answer in answers:
        assert "3.25" not in answer["stdout"], answer["stdout"]


def test_empty_holds_no_values_of_another_request(client: TestClient) -> None:
    writer, reader = _EMPTY_CASES["numpy"]
    _on_every_worker(client, writer)
    answers = _on_every_worker(client, reader)
    assert [a["stdout"] for a in answers] == ["0\n"] * len(answers)


# The generator's teardown burns CPU with builtins only (no loop, so no tick): ~8 s.
_STALL = """
def gen():
    rs = [range(100000)] * 6000
    try:
        yield 1
    finally:
        sum(map(sum, rs))
g = gen()
next(g)
print('answered')
"""


def test_teardown_cannot_stall_the_next_request(client: TestClient) -> None:
    """The attacker is answered at once; the worker then burns its CPU in the teardown, and the
    next request sent to it (another user's) waits, and ends as TimeLimitExceeded."""
    _on_every_worker(client, "print(1)")  # both workers idle, in a known order
    _run(client, _STALL)
    settings = client.app.state.settings  # type: ignore[attr-defined]
    for _ in range(settings.workers):
        body = _run(client, "x = torch.ones(2, requires_grad=True)\n(x * 2).sum().backward()")
        assert body["error"] is None, body["error"]


def test_answer_size_is_bounded_whatever_the_print_options(client: TestClient) -> None:
    """The graph's previews are printed under PyTorch's default options, whatever the program
    set; the options themselves are bounded (a precision of 100,000 is refused)."""
    widest = "torch.set_printoptions(precision=30, threshold=float('inf'), linewidth=10000)\n"
    code = widest + "xs = [torch.rand(1001, requires_grad=True) * 2 for i in range(20)]"
    response = post_when_free(client, _fresh(code))
    assert response.status_code == 200
    assert response.json()["error"] is None, response.json()["error"]
    assert len(response.content) < 2_000_000, f"{len(response.content):,} bytes"
    refused = post_when_free(client, _fresh("torch.set_printoptions(precision=100000)"))
    assert refused.json()["error"]["type"] == "SandboxViolation"
