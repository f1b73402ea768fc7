"""The course-program corpus run through the product and through plain PyTorch, compared.

Every ``expect: match`` program must give what plain PyTorch gives: the same output, the same
error (or none) on the same line, and for every variable that holds a tensor at the end, a
node with the same shape, dtype, flags, value and ``.grad``. Every ``expect: refused``
program must be refused, or fail as plain PyTorch fails, with a line and a hint in English
and Chinese.

Programs we know do not match yet are listed in ``KNOWN_GAPS`` with the reason (they run as
strict xfails, so fixing one means deleting its entry); the share that matches must stay at
or above ``TARGET``.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from typing import Any

import pytest
import torch

from app.evaluate import evaluate
from app.record import EvalRecord
from tests.corpus.programs import CorpusProgram, load_corpus
from tests.reference import Reference, run_reference

SEED = 1234
TARGET = 0.95
CORPUS = load_corpus()
MATCH = [p for p in CORPUS if p.expect == "match"]
REFUSED = [p for p in CORPUS if p.expect == "refused"]
CJK = re.compile(r"[\u4e00-\u9fff]")

# Programs that do not match yet: id -> why.
KNOWN_GAPS: dict[str, str] = {
    "d2l/007_calculus_numerical_limit": (
        "prints how many lines a figure holds: plots are not drawn here, so it holds none"
    ),
    "d2l/062_oo_design_data": (
        "d2l's save_hyperparameters reads its caller's frame (inspect.currentframe), which the"
        " sandbox never exposes"
    ),
    "d2l/065_oo_linreg_trainer": "the same save_hyperparameters (inspect.currentframe)",
    "dive/015_dropout": (
        "its evaluate_accuracy reads a function's compiled code (net.__code__.co_varnames),"
        " which the sandbox never exposes"
    ),
}


def test_the_corpus_is_large_and_mostly_matches() -> None:
    assert len(CORPUS) >= 150
    assert {p.source for p in CORPUS} >= {"tutorials", "d2l", "dive", "karpathy", "notes"}
    assert 1 - len(KNOWN_GAPS) / len(MATCH) >= TARGET
    assert set(KNOWN_GAPS) <= {p.id for p in MATCH}


@pytest.mark.parametrize("program", MATCH, ids=lambda p: p.id)
def test_runs_as_in_plain_pytorch(program: CorpusProgram) -> None:
    if program.id in KNOWN_GAPS:
        pytest.xfail(KNOWN_GAPS[program.id])
    compare(program)


def compare(program: CorpusProgram) -> None:
    """Run ``program`` here and in plain PyTorch; raise AssertionError where they differ."""
    record = evaluate(program.code, seed=SEED)
    reference = run_reference(program.code, seed=SEED, catch=True)
    assert record.refused is None, record.refused
    _same_error(record, reference)
    assert _addresses_masked(record.stdout) == _addresses_masked(reference.stdout), "stdout differs"
    assert record.graph is not None
    with _printed_as_at_the_end(reference):
        _same_variables(record.graph, reference)


@pytest.mark.parametrize("program", REFUSED, ids=lambda p: p.id)
def test_refused_with_a_hint(program: CorpusProgram) -> None:
    record = evaluate(program.code, seed=SEED)
    problem = record.refused or record.error
    assert problem is not None, "a program that needs files, the network or a GPU ran"
    assert problem.line is not None
    assert problem.hint is not None, problem
    assert problem.hint["en"] and CJK.search(problem.hint["zh"])


# ``print(loss.grad_fn)`` shows ``<MseLossBackward0 object at 0x7f3419e238b0>``: an address,
# never the same in two runs (of plain PyTorch either).
_ADDRESS = re.compile(r" object at 0x[0-9a-f]+>")


def _addresses_masked(text: str) -> str:
    return _ADDRESS.sub(" object at 0x...>", text)


def _same_error(record: EvalRecord, reference: Reference) -> None:
    if reference.error is None:
        assert record.error is None, record.error
        return
    assert record.error is not None, f"plain PyTorch raised {reference.error!r}"
    assert record.error.type == type(reference.error).__name__
    assert record.error.line == reference.error_line


def _same_variables(graph: dict[str, Any], reference: Reference) -> None:
    nodes = {node["id"]: node for node in graph["nodes"]}
    for name, tensor in _reference_tensors(reference.namespace):
        if not _readable(tensor):
            continue  # plain PyTorch itself refuses to say what this view is
        assert name in graph["variables"], f"no node for the variable {name}"
        node = nodes[graph["variables"][name]]
        where = f"variable {name}"
        assert node["shape"] == list(tensor.shape), where
        assert node["dtype"] == str(tensor.dtype).removeprefix("torch."), where
        assert node["requires_grad"] == tensor.requires_grad, where
        assert node["is_leaf"] == tensor.is_leaf, where
        expected_fn = type(tensor.grad_fn).__name__ if tensor.grad_fn is not None else None
        assert node["grad_fn"] == expected_fn, where
        _same_value(node["value"], tensor, where)
        grad = tensor.grad if tensor.is_leaf or tensor.retains_grad else None
        if grad is None:
            assert node["grad"] is None, where
        else:
            _same_value(node["grad"], grad, f"{where}.grad")


def _same_value(value: dict[str, Any] | None, tensor: torch.Tensor, where: str) -> None:
    assert value is not None, where
    assert value["text"] == repr(tensor.detach()), where


def _readable(tensor: torch.Tensor) -> bool:
    try:
        tensor.grad_fn  # noqa: B018 - the read is the test
    except RuntimeError:
        return False
    return True


@contextlib.contextmanager
def _printed_as_at_the_end(reference: Reference) -> Iterator[None]:
    """Values compared as PyTorch prints them when the program ends: the default print
    options, the program's last default dtype (a tensor of it prints without ``dtype=``)."""
    torch.set_printoptions(profile="default", sci_mode=None)  # type: ignore[no-untyped-call]
    torch.set_default_dtype(reference.default_dtype)
    try:
        yield
    finally:
        torch.set_default_dtype(torch.float32)


def _reference_tensors(namespace: dict[str, Any]) -> list[tuple[str, torch.Tensor]]:
    """The tensors the product names as variables, found the same way in plain PyTorch."""
    found: list[tuple[str, torch.Tensor]] = []
    for name, value in namespace.items():
        if name.startswith("_") or name in ("torch", "nn", "F", "optim"):
            continue
        if isinstance(value, torch.Tensor):
            found.append((name, value))
        elif isinstance(value, torch.nn.Module):
            found.extend((f"{name}.{p}", t) for p, t in value.named_parameters())
    return found
