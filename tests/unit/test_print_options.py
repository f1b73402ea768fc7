"""Printing under a program's print options: the options are bounded, what a print would make is
sized before it is made (``app/tensor_print.py``), and the graph's previews never follow the
program's options. Every size estimate is checked against what PyTorch and NumPy print."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
import torch

from app.evaluate import evaluate
from app.tensor_print import DEFAULTS, array_chars, current, default_options, printed_chars
from app.walk.preview import MAX_TEXT_CHARS, preview, printed
from tests.reference import run_reference

_NUMPY_DEFAULTS: dict[str, Any] = dict(np.get_printoptions())


@pytest.fixture(autouse=True)
def _default_print_options() -> Iterator[None]:
    yield
    torch.set_printoptions(profile="default", sci_mode=None)  # type: ignore[no-untyped-call]
    np.set_printoptions(**_NUMPY_DEFAULTS)


# --- the estimate is never short --------------------------------------------------------------

_SHAPES = [(), (0,), (1,), (7,), (1001,), (3, 4), (40, 40), (2,) * 11, (5, 1, 6), (3, 0, 2)]
_TORCH_OPTIONS = [
    {},
    {"precision": 0},
    {"precision": 30},
    {"threshold": float("inf")},
    {"threshold": 5, "edgeitems": 0},
    {"edgeitems": 40, "threshold": 10},
    {"linewidth": 1},
    {"linewidth": 10_000, "threshold": float("inf")},
    {"sci_mode": False, "precision": 30},
    {"sci_mode": True},
]


def _tensor(shape: tuple[int, ...], dtype: torch.dtype, scale: float) -> torch.Tensor:
    generator = torch.Generator().manual_seed(len(shape) + int(scale))
    values = torch.randn(shape, generator=generator, dtype=torch.float64) * scale
    if values.numel() > 2:
        values.view(-1)[1] = -scale * 7.5  # a negative, the widest number
    if dtype == torch.bool:
        return values > 0
    if dtype.is_complex:
        return torch.complex(values, -values).to(dtype)
    return values.clamp(-1e30, 1e30).to(dtype)


@pytest.mark.parametrize("options", _TORCH_OPTIONS, ids=str)
@pytest.mark.parametrize(
    "dtype", [torch.float32, torch.float64, torch.int64, torch.bool, torch.complex64], ids=str
)
def test_a_tensors_text_is_never_longer_than_its_estimate(
    options: dict[str, Any], dtype: torch.dtype
) -> None:
    torch.set_printoptions(**options)  # type: ignore[no-untyped-call]
    for shape, scale in itertools.product(_SHAPES, (1.0, 1e-7, 3e12)):
        tensor = _tensor(shape, dtype, scale)
        text = repr(tensor)
        assert len(text) <= printed_chars(tensor, current()), (shape, scale, text[:200])


_NUMPY_OPTIONS = [
    {},
    {"precision": 0},
    {"precision": 30, "floatmode": "fixed"},
    {"floatmode": "unique", "suppress": True},
    {"threshold": 2**62},
    {"threshold": 5, "edgeitems": 0},
    {"linewidth": 1, "sign": "+"},
    {"suppress": True, "precision": 30, "floatmode": "maxprec_equal"},
    {"legacy": "1.13"},
    {"nanstr": "n" * 20, "infstr": "i" * 20},
]


@pytest.mark.parametrize("options", _NUMPY_OPTIONS, ids=str)
@pytest.mark.parametrize("dtype", ["float64", "float32", "int64", "bool", "complex128", "U5"])
def test_an_arrays_text_is_never_longer_than_its_estimate(
    options: dict[str, Any], dtype: str
) -> None:
    np.set_printoptions(**options)
    for shape, scale in itertools.product(_SHAPES, (1.0, 1e-300, 3e12)):
        values = _tensor(shape, torch.float64, 1.0).numpy() * scale
        if values.size > 2 and dtype in ("float64", "float32", "complex128"):
            values.reshape(-1)[2] = np.nan
        array = values.astype(dtype) if dtype != "U5" else np.full(shape, "日本\x00ab")
        longest = max(len(repr(array)), len(str(array)))
        assert longest <= array_chars(array), (
            shape,
            scale,
        )


# --- a program's options ------------------------------------------------------------------------

_ALLOWED = [
    "torch.set_printoptions(precision=2)\nprint(torch.tensor([1.23456, 2.5]))",
    "torch.set_printoptions(sci_mode=False)\nprint(torch.tensor([1e-8, 12345.6]))",
    "torch.set_printoptions(profile='full')\nprint(torch.arange(1200.0).sum())",
    "import sys\ntorch.set_printoptions(threshold=sys.maxsize)\nprint(torch.arange(1500))",
    "torch.set_printoptions(threshold=float('inf'), linewidth=120)\nprint(torch.ones(3, 400))",
    "torch.set_printoptions(edgeitems=2)\nprint(torch.arange(5000).reshape(50, 100))",
    (
        "import numpy as np\nnp.set_printoptions(precision=3, suppress=True)\n"
        "print(np.array([1e-9, 0.123456, 250.0]))"
    ),
    (
        "import numpy as np\nimport sys\nnp.set_printoptions(threshold=sys.maxsize)\n"
        "print(np.arange(1200).reshape(30, 40))"
    ),
    (
        "import numpy as np\nnp.set_printoptions(floatmode='fixed', precision=4, sign='+')\n"
        "print(np.linspace(-1, 1, 5))"
    ),
    "import numpy as np\nnp.set_printoptions(legacy='1.13')\nprint(np.array([0.5, 1.0]))",
]


@pytest.mark.parametrize("code", _ALLOWED)
def test_a_program_prints_as_in_plain_pytorch_under_its_options(code: str) -> None:
    expected = run_reference(code).stdout
    np.set_printoptions(**_NUMPY_DEFAULTS)
    record = evaluate(code)
    assert record.error is None, record.error
    assert record.stdout == expected


_REFUSED = [
    "torch.set_printoptions(precision=100000)",
    "torch.set_printoptions(precision=-1)",
    "torch.set_printoptions(precision=2.5)",
    "torch.set_printoptions(linewidth=0)",
    "torch.set_printoptions(edgeitems=10**9)",
    "torch.set_printoptions(threshold=float('nan'))",
    "torch.set_printoptions(threshold='all')",
    "torch.set_printoptions(profile='huge')",
    "torch.set_printoptions(sci_mode=1)",
    "import numpy as np\nnp.set_printoptions(precision=1000)",
    "import numpy as np\nnp.set_printoptions(formatter={'float': lambda x: 'x' * 99})",
    "import numpy as np\nnp.set_printoptions(nanstr='n' * 1000)",
    "import numpy as np\nnp.set_printoptions(floatmode='everything')",
]


@pytest.mark.parametrize("code", _REFUSED)
def test_options_out_of_bounds_are_refused_with_a_hint(code: str) -> None:
    record = evaluate(code)
    assert record.error is not None
    assert record.error.type == "SandboxViolation", record.error
    assert record.error.hint is not None and "precision" in record.error.hint["en"]


_TOO_LONG = [
    "x = torch.zeros([2] * 19)\ns = str(x)",  # summarised, yet every element printed
    "torch.set_printoptions(threshold=float('inf'))\nprint(torch.rand(1000000))",
    (
        "import numpy as np\nimport sys\nnp.set_printoptions(threshold=sys.maxsize)\n"
        "s = f'{np.zeros(1000000)}'"
    ),
    (
        "import numpy as np\nimport sys\nnp.set_printoptions(threshold=sys.maxsize, precision=30,"
        " floatmode='fixed')\ns = repr(np.random.rand(1000000))"
    ),
]


@pytest.mark.parametrize("code", _TOO_LONG)
def test_a_print_over_the_text_limit_is_refused_before_it_is_made(code: str) -> None:
    record = evaluate(code)
    assert record.error is not None
    assert record.error.type == "LimitExceeded", record.error
    assert "characters" in record.error.message


# --- the graph's previews -----------------------------------------------------------------------


def test_previews_use_the_default_options_whatever_the_program_set() -> None:
    tensor = torch.linspace(0, 1, 2000, dtype=torch.float64) / 3
    expected = repr(tensor.detach())
    torch.set_printoptions(precision=30, sci_mode=True, linewidth=10_000)  # type: ignore[no-untyped-call]
    assert current() != dict(DEFAULTS)
    assert preview(tensor, 100).text == expected
    assert current()["precision"] == 30  # put back after


def test_a_preview_of_a_tensor_that_prints_long_is_cut_and_says_so() -> None:
    tensor = torch.zeros([2] * 16)
    text = printed(tensor)
    assert text.endswith(f"(cut: the first {2**16 // 2**5:,} of {2**16:,} elements)") or (
        "cut" in text.splitlines()[-1]
    )
    assert len(preview(tensor, 100).text) <= MAX_TEXT_CHARS + 100
    with default_options():
        head = repr(tensor[(0,) * (16 - 11)])
    assert text.startswith(head.split("\n")[0][: len("tensor([[[")])


def test_a_small_tensor_previews_whole() -> None:
    tensor = torch.arange(3000.0).reshape(30, 100)
    with default_options():
        assert printed(tensor) == repr(tensor)


def test_the_previews_of_one_graph_share_a_text_budget() -> None:
    """Each preview prints its tensor as PyTorch does until the graph's previews together
    are over a budget (of text, and of numbers shown); later ones are cut short (and say so)."""
    from app.walk.preview import LARGE_GRAPH_NODES, MAX_TOTAL_CHARS, Previewer

    previewer = Previewer(100)
    previewer.clear(budget=True, nodes=LARGE_GRAPH_NODES)  # as extraction starts it
    tensors = [torch.full((1000,), float(i) + 0.5) for i in range(800)]
    values = [previewer(t) for t in tensors]
    with default_options():
        assert values[0].text == repr(tensors[0])
    assert sum(len(v.text) for v in values) <= MAX_TOTAL_CHARS + 800 * 300
    assert values[-1].text.endswith("a large graph)") and "first 8 of 1,000" in values[-1].text
    assert values[-1].shape == [1000] and values[-1].dtype == "float32"


def test_a_large_graph_previews_its_values_short() -> None:
    """Issue 15: past 100,000 numbers shown in one graph, a tensor of more than 8 elements is
    shown by its first 8 (as PyTorch prints them), its real shape and dtype, no numbers; a
    small one stays whole, and a preview made before the budget started is whole."""
    from app.walk.preview import LARGE_GRAPH_NODES, MAX_TOTAL_ELEMENTS, Previewer

    previewer = Previewer(100)
    early = torch.arange(100.0)
    assert previewer(early).data == early.tolist()  # the program's earlier passes: no budget
    previewer.clear(budget=True, nodes=LARGE_GRAPH_NODES)
    tensors = [torch.arange(100.0) * (i + 1) for i in range(MAX_TOTAL_ELEMENTS // 100 + 5)]
    values = [previewer(t) for t in tensors]
    whole = values[: MAX_TOTAL_ELEMENTS // 100]
    assert all(v.data == t.tolist() for v, t in zip(whole, tensors, strict=False))
    last, tensor = values[-1], tensors[-1].reshape(4, 25)
    short = previewer(tensor)
    with default_options():
        head = repr(tensor.reshape(-1)[:8])
    assert short.data is None and short.shape == [4, 25] and short.dtype == "float32"
    assert short.text.startswith(head + "\n") and "first 8 of 100" in short.text
    assert last.data is None and last.text.startswith(repr(tensors[-1][:8]))
    scalar = torch.tensor(2.5)
    assert previewer(scalar).data == 2.5  # 8 elements or fewer: always whole


def test_a_course_sized_graph_previews_every_large_tensor_as_pytorch_prints_it() -> None:
    """A d2l CNN holds a few hundred tensors of thousands of numbers: in a graph under
    ``LARGE_GRAPH_NODES`` nodes each is previewed as PyTorch prints it, however many numbers the
    previews show together (the short form is for large graphs only)."""
    from app.walk.preview import LARGE_GRAPH_NODES, MAX_TOTAL_ELEMENTS, Previewer

    previewer = Previewer(100)
    previewer.clear(budget=True, nodes=LARGE_GRAPH_NODES - 1)
    torch.manual_seed(0)
    tensors = [torch.rand(1, 1, 28, 28) for _ in range(MAX_TOTAL_ELEMENTS // 784 + 20)]
    values = [previewer(t) for t in tensors]
    with default_options():
        assert [v.text for v in values] == [repr(t) for t in tensors]


@pytest.mark.parametrize(
    "tensor",
    [
        torch.tensor(1.001, dtype=torch.float64),
        torch.tensor(-0.0),
        torch.tensor(0.0),
        torch.tensor([[float("nan")]]),
        torch.tensor(float("-inf")),
        torch.tensor(True),
        torch.tensor(7),
        torch.tensor([2.5]),
        torch.tensor(3, dtype=torch.int8),
        torch.tensor(1e-8),
        torch.tensor(1.5, dtype=torch.bfloat16),
    ],
)
def test_a_one_number_preview_is_pytorchs_however_often_it_is_made(tensor: torch.Tensor) -> None:
    """One-element previews are remembered by their number (a chain saves the same constant
    at every step): each is PyTorch's own text, -0.0 never taken for 0.0, NaN spelled for
    JSON."""
    from app.walk.preview import preview

    first, again = preview(tensor, 100), preview(tensor.clone(), 100)
    with default_options():
        assert first.text == again.text == repr(tensor)
    assert first.shape == list(tensor.shape)
    number = tensor.reshape(-1)[0].item()
    data = first.data
    while isinstance(data, list):
        data = data[0]
    if isinstance(number, float) and math.isnan(number):
        assert data == "NaN"
    elif isinstance(number, float) and math.isinf(number):
        assert data == ("Infinity" if number > 0 else "-Infinity")
    else:
        assert data == number and str(data) == str(number)  # -0.0 stays -0.0
