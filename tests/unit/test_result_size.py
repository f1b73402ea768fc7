"""The size a call will make, worked out before it runs (app/language/result_size.py), equals
what PyTorch then makes."""

from __future__ import annotations

from typing import Any

import pytest
import torch

from app.evaluate import evaluate
from app.language.result_size import result_numel

_X = torch.ones(3, 4)
_IDX = torch.tensor([0, 2, 2, 1, 0])
SIZED_CALLS: list[tuple[str, Any, tuple[Any, ...], dict[str, Any]]] = [
    ("zeros", torch.zeros, (3, 4), {}),
    ("ones", torch.ones, ((2, 5),), {"dtype": torch.float64}),
    ("empty", torch.empty, (), {"size": (7,)}),
    ("full", torch.full, ((2, 3), 1.5), {}),
    ("rand", torch.rand, (torch.Size([2, 2]),), {}),
    ("randn", torch.randn, (torch.tensor(3), 2), {}),
    ("randint", torch.randint, (0, 10, (4, 4)), {}),
    ("randperm", torch.randperm, (9,), {}),
    ("arange", torch.arange, (0.0, 1.0, 0.125), {}),
    ("arange", torch.arange, (torch.tensor(6),), {}),
    ("arange", torch.arange, (), {"start": 2, "end": 9}),
    ("linspace", torch.linspace, (0, 1), {"steps": 11}),
    ("eye", torch.eye, (3, 5), {}),
    ("new_zeros", torch.Tensor.new_zeros, (_X, (2, 6)), {}),
    ("new_full", torch.Tensor.new_full, (_X, (5,), 2.0), {}),
    ("tensor", torch.tensor, ([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]],), {}),
    ("cat", torch.cat, ([_X, _X, _X],), {"dim": 1}),
    ("stack", torch.stack, ([_X, _X],), {}),
    ("matmul", torch.matmul, (_X.T, _X), {}),
    ("repeat", torch.Tensor.repeat, (_X, 2, 3), {}),
    ("expand", torch.Tensor.expand, (torch.ones(4, 1), 4, 6), {}),
    ("__getitem__", torch.Tensor.__getitem__, (_X, _IDX.clamp(max=2)), {}),
    ("index_select", torch.index_select, (_X, 1, _IDX.clamp(max=3)), {}),
    ("repeat_interleave", torch.repeat_interleave, (_X, torch.tensor([1, 0, 3])), {"dim": 0}),
    ("repeat_interleave", torch.repeat_interleave, (torch.tensor([2, 3]),), {}),
    ("one_hot", torch.nn.functional.one_hot, (_IDX,), {}),
    ("one_hot", torch.nn.functional.one_hot, (_IDX, 7), {}),
    (
        "adaptive_avg_pool2d",
        torch.nn.functional.adaptive_avg_pool2d,
        (torch.ones(1, 1, 2, 2), 5),
        {},
    ),
    ("add", torch.add, (), {"input": torch.ones(3, 1), "other": torch.ones(1, 4)}),
]


@pytest.mark.parametrize(
    ("name", "func", "args", "kwargs"),
    SIZED_CALLS,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(SIZED_CALLS)],
)
def test_size_known_before_the_call(
    name: str, func: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    predicted = result_numel(func, name, args, kwargs, cap=10**6)
    assert predicted == func(*args, **kwargs).numel()


def test_einsum_steps_sized_before_the_call() -> None:
    """Three or more operands are contracted in steps; the largest step is what counts."""
    a = torch.ones(150, 150)
    assert (
        result_numel(torch.einsum, "einsum", ("ij,kl,ij,kl->", a, a, a, a), {}, cap=10**6) == 150**4
    )
    assert (
        result_numel(torch.einsum, "einsum", ("ij,jk,kl->il", [a, a, a]), {}, cap=10**6) == 150**2
    )
    record = evaluate("a = torch.ones(150, 150)\ns = torch.einsum('ij,kl,ij,kl->', a, a, a, a)\n")
    assert record.error is not None
    assert (
        record.error.message
        == "einsum would make a tensor of 506,250,000 elements; the limit is 1,000,000"
    )


def test_broadcast_numel_agrees_with_torch_broadcast_shapes() -> None:
    import math
    import random

    from app.language.shapes import broadcast_numel

    rng = random.Random(5)
    for _ in range(3000):
        shapes = [
            tuple(rng.choice([0, 1, 1, 2, 3, 4]) for _ in range(rng.randint(0, 4)))
            for _ in range(rng.randint(2, 4))
        ]
        try:
            expected: int | None = math.prod(torch.broadcast_shapes(*shapes))
        except RuntimeError:
            expected = None
        assert broadcast_numel(shapes) == expected, shapes
