"""The small standard-library modules course code imports (app/language/allowlist/stdlib.py):
typing's hints, string's constants and warnings' filters run as in plain Python."""

from __future__ import annotations

import gc
import re

import pytest

from app.evaluate import evaluate
from tests.reference import run_reference

CJK = re.compile(r"[\u4e00-\u9fff]")

TYPED_HELPERS = """from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple, Union
import torch
from torch import nn

def make_batches(x: torch.Tensor, y: torch.Tensor, size: int) -> List[Tuple[torch.Tensor, torch.Tensor]]:
    return [(x[i:i + size], y[i:i + size]) for i in range(0, len(x), size)]

def train(model: nn.Module, batches: Iterable[Tuple[torch.Tensor, torch.Tensor]],
          lr: float = 0.1, clip: Optional[float] = None) -> Dict[str, Any]:
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    losses: List[float] = []
    for xb, yb in batches:
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(xb), yb)
        loss.backward()
        if clip is not None:
            nn.utils.clip_grad_norm_(model.parameters(), clip)
        opt.step()
        losses.append(round(loss.item(), 4))
    return {"losses": losses}

act: Callable[[torch.Tensor], torch.Tensor] = torch.relu
x = torch.randn(16, 3)
y = act(x).sum(1, keepdim=True)
model = nn.Linear(3, 1)
print(train(model, make_batches(x, y, 4), clip=1.0))
print(List[int], Union[int, str], Optional[float])
"""

CHARACTER_TABLE = """import string
import torch
chars = list(string.ascii_lowercase)
stoi = {s: i + 1 for i, s in enumerate(chars)}
stoi['.'] = 0
print(len(stoi), string.digits, string.ascii_uppercase[:3], repr(string.whitespace))
N = torch.zeros((27, 27), dtype=torch.int32)
for w in ["emma", "ava"]:
    chs = ['.'] + list(w) + ['.']
    for a, b in zip(chs, chs[1:]):
        N[stoi[a], stoi[b]] += 1
print(N.sum(), N[0])
"""

TWO_MODELS_ONE_OPTIMIZER = """import itertools
import torch
import torch.nn as nn

torch.manual_seed(0)
encoder, decoder = nn.Linear(4, 2), nn.Linear(2, 4)
opt = torch.optim.Adam(itertools.chain(encoder.parameters(), decoder.parameters()), lr=0.01)
x = torch.randn(8, 4)
for step in range(20):
    opt.zero_grad()
    loss = ((decoder(encoder(x)) - x) ** 2).mean()
    loss.backward()
    opt.step()
print(round(loss.item(), 4), len(opt.param_groups[0]["params"]))
print(list(itertools.islice(itertools.chain([1], (2, 3), range(4, 9)), 1, 6, 2)))
"""

TOKEN_VOCABULARY = """import collections
import itertools
from itertools import chain
import torch

lines = ["the time machine by h g wells", "the time traveller for so it will be"]
tokens = [line.split() for line in lines]
flat = list(itertools.chain.from_iterable(tokens))
counter = collections.Counter(chain.from_iterable(tokens))
vocab = {tok: i for i, (tok, _) in enumerate(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))}
corpus = torch.tensor([vocab[t] for t in chain.from_iterable(tokens)])
emb = torch.nn.Embedding(len(vocab), 3)
loss = emb(corpus).pow(2).mean()
loss.backward()
print(len(flat), flat[:4], counter.most_common(2), corpus[:6].tolist())
print(list(chain.from_iterable(((1, 2), range(3), "ab"))), list(chain()), list(chain.from_iterable([])))
print(emb.weight.grad.shape)
import copy
print(copy.deepcopy(chain) is chain, copy.copy(itertools.chain) is itertools.chain)
"""

QUIET_NOTEBOOK = """import warnings
warnings.filterwarnings("ignore")
warnings.filterwarnings("ignore", category=UserWarning)
warnings.filterwarnings(action="ignore", category=FutureWarning)
warnings.simplefilter("ignore", DeprecationWarning)
warnings.warn("a warning of the program's own")
import torch
from torch import nn
loss = nn.MSELoss()(torch.ones(4, 1, requires_grad=True), torch.zeros(4))
loss.backward()
print(loss)
"""


@pytest.mark.parametrize(
    "code",
    [TYPED_HELPERS, CHARACTER_TABLE, TWO_MODELS_ONE_OPTIMIZER, TOKEN_VOCABULARY, QUIET_NOTEBOOK],
)
def test_runs_as_in_plain_pytorch(code: str) -> None:
    reference = run_reference(code, seed=3)
    record = evaluate(code, seed=3)
    assert record.refused is None and record.error is None, record.refused or record.error
    assert record.stdout == reference.stdout


def test_an_invalid_warning_action_fails_as_in_plain_python() -> None:
    code = "import warnings\nwarnings.filterwarnings('bogus')\n"
    reference = run_reference(code, catch=True)
    record = evaluate(code)
    assert reference.error is not None and record.error is not None
    assert (record.error.type, record.error.message, record.error.line) == (
        type(reference.error).__name__,
        str(reference.error),
        reference.error_line,
    )


@pytest.mark.parametrize(
    "call", ["simplefilter('error')", "filterwarnings('error', category=UserWarning)"]
)
def test_turning_warnings_into_errors_is_refused_with_a_hint(call: str) -> None:
    record = evaluate(f"import warnings\nwarnings.{call}\n")
    assert record.error is not None and record.error.hint is not None
    assert (record.error.type, record.error.line, record.error.col) == ("SandboxViolation", 2, 1)
    assert record.error.hint["key"] == "sandbox_warnings"
    assert "filterwarnings" in record.error.hint["en"] and CJK.search(record.error.hint["zh"])


def test_a_hint_naming_a_program_class_does_not_keep_the_program_alive() -> None:
    """typing caches ``List[C]`` for the process; once the next program has run (the last
    program's runtime is kept until then), nothing holds the class C."""
    code = (
        "from typing import List\nimport torch\n"
        "class HeldOnlyByTypingCache:\n    big = torch.zeros(1000)\n"
        "Batch = List[HeldOnlyByTypingCache]\nprint(Batch)\n"
    )
    record = evaluate(code)
    assert record.error is None
    assert record.stdout == "typing.List[__main__.HeldOnlyByTypingCache]\n"
    evaluate("x = 1")
    gc.collect()
    held = [
        o
        for o in gc.get_objects()
        if issubclass(type(o), type) and o.__name__ == "HeldOnlyByTypingCache"
    ]
    assert held == []


@pytest.mark.parametrize("use", ["sum", "max", "any", "collections.Counter", "list", "sorted"])
def test_each_item_a_chain_gives_is_a_loop_step(use: str) -> None:
    """A chain of one list many times over is consumed by C (sum, max, Counter...), where no
    loop of the program counts it: its items are counted against the loop limit."""
    code = f"import collections\nimport itertools\nxs = [0] * 10**5\nr = {use}(itertools.chain(*[xs] * 10**4))\n"
    record = evaluate(code)
    assert record.error is not None
    assert (record.error.type, record.error.line) == ("LimitExceeded", 4)
    assert record.error.hint is not None and record.error.hint["key"] == "limit_loop_iterations"


@pytest.mark.parametrize(
    "flatten",
    [
        "sum(itertools.chain.from_iterable([xs] * 10**4))",
        "sum(itertools.chain.from_iterable(endless()))",
        "list(itertools.chain.from_iterable(itertools.chain([xs], [xs] * 10**4)))",
    ],
)
def test_each_item_chain_from_iterable_gives_is_a_loop_step(flatten: str) -> None:
    """``chain.from_iterable`` over many lists, or over an endless generator of them, is counted
    as ``chain`` is: stopped at the loop limit, on its line."""
    code = (
        "import itertools\nxs = [0] * 10**5\n"
        "def endless():\n    while True:\n        yield [1]\n"
        f"r = {flatten}\n"
    )
    record = evaluate(code)
    assert record.error is not None
    assert (record.error.type, record.error.line) == ("LimitExceeded", 6)


@pytest.mark.parametrize(
    "read",
    [
        "chain._values",
        "chain.__call__",
        "chain.__dict__",
        "chain.from_iterable.__self__",
        "type(chain)(1)",
    ],
)
def test_the_programs_chain_shows_nothing_but_from_iterable(read: str) -> None:
    record = evaluate(f"from itertools import chain\nx = {read}\n")
    assert record.ok is False
    failure = record.refused or record.error
    assert failure is not None and failure.line == 2


def test_tqdm_is_refused_with_what_to_write_instead() -> None:
    record = evaluate("import torch\nfrom tqdm import tqdm\nfor i in tqdm(range(3)):\n    pass\n")
    assert record.refused is not None and record.refused.hint is not None
    assert (record.refused.type, record.refused.line, record.refused.col) == ("RefusedImport", 2, 1)
    assert record.refused.hint["key"] == "sandbox_progress_bars"
    assert "for X, y in train_iter:" in record.refused.hint["en"]
    assert "for X, y in train_iter:" in record.refused.hint["zh"] and CJK.search(
        record.refused.hint["zh"]
    )
