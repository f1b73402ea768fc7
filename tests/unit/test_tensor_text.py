"""Our fast tensor printer against PyTorch's own ``repr``."""

from __future__ import annotations

import random

import pytest
import torch

from app.walk.preview import preview, printed
from app.walk.tensor_text import tensor_text

SHAPES = [
    [],
    [1],
    [1, 1],
    [3, 1],
    [1, 3],
    [1, 1, 2],
    [20],
    [3],
    [2, 3],
    [4, 1],
    [2, 2, 2],
    [1, 12],
    [40],
    [5, 7],
    [3, 0],
    [0],
    [2, 3, 4],
    [1, 1, 1, 1],
    [30, 30],
]
DTYPES = [
    torch.float32,
    torch.float64,
    torch.int64,
    torch.int32,
    torch.bool,
    torch.float16,
    torch.bfloat16,
    torch.uint8,
]


def _random_tensor(rng: random.Random) -> torch.Tensor:
    shape = rng.choice(SHAPES)
    dtype = rng.choice(DTYPES)
    generator = torch.Generator().manual_seed(rng.randrange(2**31))
    tensor = torch.randn(shape, dtype=torch.float64, generator=generator) * 10 ** rng.uniform(-6, 9)
    if rng.random() < 0.3:
        tensor = tensor.round()
    if rng.random() < 0.1 and tensor.numel():
        tensor.view(-1)[0] = float(rng.choice(["nan", "inf", "-inf"]))
    if rng.random() < 0.1:
        tensor = tensor * 0
    if dtype == torch.bool:
        return tensor > 0
    return tensor.nan_to_num(0.0).to(dtype) if not dtype.is_floating_point else tensor.to(dtype)


@pytest.mark.parametrize("seed", range(40))
def test_matches_pytorch_repr(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(100):
        tensor = _random_tensor(rng)
        dtype = str(tensor.dtype).removeprefix("torch.")
        assert tensor_text(tensor.tolist(), list(tensor.shape), dtype) == repr(tensor)


@pytest.mark.parametrize(
    "tensor",
    [
        torch.tensor(56.0),
        torch.tensor([1.0, 2.5, -3.25]),
        torch.tensor([[1e-5, 1.0], [2.0, 3e9]]),
        torch.tensor([0.0, -0.0]),
        torch.tensor([float("nan"), 1.0]),
        torch.arange(100.0).reshape(10, 10),
        torch.tensor([True, False]),
        torch.tensor(3),
        torch.zeros(0, 3),
    ],
)
def test_known_cases(tensor: torch.Tensor) -> None:
    dtype = str(tensor.dtype).removeprefix("torch.")
    assert tensor_text(tensor.tolist(), list(tensor.shape), dtype) == repr(tensor)


@pytest.mark.parametrize(
    "values",
    [
        float("nan"),
        [1.0, float("inf")],
        [[1.0, float("-inf")], [2.0, 3.0]],
        [[[1.0], [float("nan")]], [[2.0], [3.0]]],
        [0.5] * 40 + [float("nan")],
        [1.0, 2.0],
    ],
)
def test_preview_data_spells_non_finite_numbers_as_json_can_carry(values: object) -> None:
    import json
    import math

    from app.walk.preview import preview

    tensor = torch.tensor(values)
    data = preview(tensor, 1000).data
    flat = tensor.flatten().tolist()
    spelled = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}
    expected = [v if math.isfinite(v) else spelled[str(v)] for v in flat]
    got = data if isinstance(data, list) else [data]
    while any(isinstance(v, list) for v in got):
        got = [x for v in got for x in (v if isinstance(v, list) else [v])]
    assert got == expected
    json.dumps(data, allow_nan=False)  # strict JSON: no bare NaN or Infinity


@pytest.mark.parametrize(
    "value",
    [0.0, -0.0, 1.0, -2.0, 1.001, 0.5, 7.0, -3.14159, 123456789.0, 99999999.0, 1e8, 1e10, 3e9]
    + [1e-4, 2.5e-4, 1e-5, -1e-5, float("nan"), float("inf"), float("-inf")],
)
@pytest.mark.parametrize("shape", [(), (1,), (1, 1), (1, 1, 1)])
def test_one_float32_number_prints_as_repr(value: float, shape: tuple[int, ...]) -> None:
    """The fast path for one float32 number (a loss, a scalar gradient) matches ``repr``."""
    tensor = torch.tensor(value).reshape(shape)
    assert tensor_text(tensor.tolist(), list(tensor.shape), "float32") == repr(tensor)


# Over 1,000 elements PyTorch prints a summary: the first and last 3 of each longer dimension.
SUMMARISED_SHAPES = [
    [1001],
    [2000],
    [40, 30],
    [16, 6, 5, 5],
    [6, 1, 5, 5, 10],
    [3, 400],
    [400, 3],
    [6, 200],
    [7, 200],
    [2, 3, 200],
    [1200, 1],
    [1, 1200],
    [10, 10, 11],
    [64, 1, 28, 28],
    [2] * 10,
]


@pytest.mark.parametrize("shape", SUMMARISED_SHAPES, ids=str)
@pytest.mark.parametrize("seed", range(4))
def test_a_summarised_tensor_prints_as_repr(shape: list[int], seed: int) -> None:
    """Tensors over PyTorch's threshold, in every dtype our printer takes, with values of
    every scale (fixed, scientific and integral formats), zeros, NaN and infinities."""
    rng = random.Random(seed * 1000 + len(shape))
    for dtype in DTYPES:
        generator = torch.Generator().manual_seed(rng.randrange(2**31))
        tensor = torch.randn(shape, dtype=torch.float64, generator=generator)
        tensor = tensor * 10 ** rng.uniform(-6, 9)
        if rng.random() < 0.4:
            tensor = tensor.round()
        flat = tensor.view(-1)
        if rng.random() < 0.5:
            flat[rng.randrange(flat.numel())] = float(rng.choice(["nan", "inf", "-inf", "0"]))
            flat[-1] = float(rng.choice(["nan", "inf", "-0.0", "0"]))
        if dtype == torch.bool:
            tensor = tensor > 0
        elif not dtype.is_floating_point:
            tensor = tensor.nan_to_num(0.0, 0.0, 0.0).clamp(-100, 100).to(dtype)
        else:
            tensor = tensor.to(dtype)
        assert printed(tensor) == repr(tensor)
        assert preview(tensor, 100).text == repr(tensor)


@pytest.mark.parametrize("default", [torch.float64, torch.float32])
def test_a_summarised_tensor_names_its_dtype_as_repr_does(default: torch.dtype) -> None:
    """PyTorch names the dtype unless it is the default float (a program may make it
    float64), int64 or bool; on the summary's last line, or on a line of its own."""
    saved = torch.get_default_dtype()
    torch.set_default_dtype(default)
    try:
        for dtype in (torch.float32, torch.float64, torch.float16, torch.int32, torch.uint8):
            for shape in ([2000], [50, 50], [3, 3, 200]):
                tensor = (torch.rand(shape, dtype=torch.float64) * 1e4).to(dtype)
                assert printed(tensor) == repr(tensor)
    finally:
        torch.set_default_dtype(saved)


def test_a_non_contiguous_summarised_tensor_prints_as_repr() -> None:
    """A transposed weight (``w.t()``), a slice with a step and an expanded tensor."""
    weight = torch.randn(120, 400)
    for tensor in (weight.t(), weight[::3, 1::7], torch.randn(1, 300).expand(10, 300)):
        assert printed(tensor) == repr(tensor)
