"""The size a call will make, worked out before it runs (app/language/result_size.py), equals
what PyTorch then makes."""

from __future__ import annotations

import warnings
from typing import Any

import pytest
import torch
from torch.overrides import TorchFunctionMode
from torch.utils._pytree import tree_flatten

from app.evaluate import evaluate
from app.language.result_size import (
    elementwise_numel,
    index_matrix_numel,
    pieces,
    result_numel,
)

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
    ("histogram", lambda *a, **k: torch.histogram(*a, **k).bin_edges, (_X.flatten(), 7), {}),
    ("histogram", lambda *a, **k: torch.histogram(*a, **k).bin_edges, (_X.flatten(),), {}),
    (
        "histogram",
        lambda *a, **k: torch.histogram(*a, **k).bin_edges,
        (_X.flatten(),),
        {"bins": torch.tensor([0.0, 1.0, 4.0])},
    ),
    (
        "linalg_multi_dot",
        torch.linalg.multi_dot,
        ([torch.ones(5, 1), torch.ones(1, 3), torch.ones(3, 6)],),
        {},
    ),
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


# Calls whose inputs have no elements but whose result has some: the broadcast of the inputs
# (zero) says nothing, and each was allocated before its size was checked.
_EMPTY_ROWS = torch.zeros(6, 0)
GROWING_FROM_NOTHING: list[tuple[str, Any, tuple[Any, ...], dict[str, Any]]] = [
    ("sum", torch.Tensor.sum, (_EMPTY_ROWS, 1), {}),
    ("mean", torch.mean, (_EMPTY_ROWS,), {"dim": 1, "keepdim": True}),
    ("prod", torch.Tensor.prod, (_EMPTY_ROWS, 1), {}),
    ("all", torch.Tensor.all, (_EMPTY_ROWS, 1), {}),
    ("any", torch.Tensor.any, (_EMPTY_ROWS, 1), {}),
    ("norm", torch.Tensor.norm, (_EMPTY_ROWS,), {"dim": 1}),
    ("logsumexp", torch.logsumexp, (_EMPTY_ROWS, 1), {}),
    ("count_nonzero", torch.count_nonzero, (_EMPTY_ROWS,), {"dim": 1}),
    ("sum", torch.Tensor.sum, (torch.zeros(0, 7), 0), {}),
    ("linalg_det", torch.linalg.det, (torch.zeros(6, 0, 0),), {}),
    ("linear", torch.nn.functional.linear, (_EMPTY_ROWS, torch.zeros(5, 0)), {}),
]


@pytest.mark.parametrize(
    ("name", "func", "args", "kwargs"),
    GROWING_FROM_NOTHING,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(GROWING_FROM_NOTHING)],
)
def test_size_from_inputs_without_elements_known_before_the_call(
    name: str, func: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    """``torch.zeros(300_000_000, 0).sum(1)`` allocated 1.2 GB before its size was checked."""
    assert result_numel(func, name, args, kwargs, cap=10**6) == func(*args, **kwargs).numel()


_ROWS = torch.arange(12.0).reshape(4, 3)
SPLITTING: list[tuple[str, Any, tuple[Any, ...], dict[str, Any]]] = [
    ("unbind", torch.Tensor.unbind, (_ROWS,), {}),
    ("unbind", torch.unbind, (_ROWS, 1), {}),
    ("unbind", torch.Tensor.unbind, (_ROWS,), {"dim": -1}),
    ("unbind", torch.Tensor.unbind, (torch.zeros(9, 0),), {}),
    ("__iter__", lambda t: list(iter(t)), (torch.zeros(9, 0),), {}),
    ("split", torch.Tensor.split, (_ROWS, 3), {}),
    ("split", torch.split, (_ROWS, 2), {"dim": 1}),
    ("split", torch.Tensor.split, (_ROWS, [1, 3]), {}),
    ("split", torch.Tensor.split, (torch.zeros(9, 0), 1), {}),
    ("chunk", torch.Tensor.chunk, (_ROWS, 3), {}),
    ("chunk", torch.Tensor.chunk, (_ROWS, 100), {"dim": 1}),
    ("chunk", torch.Tensor.chunk, (torch.arange(10), 4), {}),
    ("chunk", torch.Tensor.chunk, (torch.zeros(0, 5), 3), {}),
    ("tensor_split", torch.Tensor.tensor_split, (_ROWS, 7), {}),
    ("tensor_split", torch.tensor_split, (_ROWS, [1, 2]), {"dim": 1}),
    ("tensor_split", torch.Tensor.tensor_split, (_ROWS, torch.tensor([1, 3])), {}),
    ("tensor_split", torch.Tensor.tensor_split, (torch.zeros(1),), {"sections": 9}),
]


@pytest.mark.parametrize(
    ("name", "func", "args", "kwargs"),
    SPLITTING,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(SPLITTING)],
)
def test_pieces_of_a_split_known_before_the_call(
    name: str, func: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    """``torch.zeros(10**8, 0).unbind()`` or ``tensor_split(10**8)`` of any tensor: no
    elements, but one tensor object each (6 GB for 10**7 pieces) before any check."""
    assert pieces(name, args, kwargs) == len(func(*args, **kwargs))


@pytest.mark.parametrize("shape", [(5,), (4, 3), (2, 0, 3), (3, 0), (0,), (2, 3, 1, 2), ()])
def test_lists_of_tolist_known_before_the_call(shape: tuple[int, ...]) -> None:
    def inner_lists(value: Any) -> int:
        if not isinstance(value, list):
            return 0
        return sum(isinstance(v, list) + inner_lists(v) for v in value)

    tensor = torch.zeros(shape)
    assert pieces("tolist", (tensor,), {}) == inner_lists(tensor.tolist())


_MASK = torch.tensor([[True, False, True], [False, False, True]])
MASKED: list[tuple[str, tuple[Any, ...], dict[str, Any], Any]] = [
    ("nonzero", (_MASK,), {}, lambda: _MASK.nonzero().numel()),
    ("nonzero", (_MASK,), {"as_tuple": True}, lambda: _MASK.nonzero().numel()),
    ("argwhere", (_MASK.reshape(3, 1, 2),), {}, lambda: torch.argwhere(_MASK).numel() // 2 * 3),
    ("where", (_MASK,), {}, lambda: sum(t.numel() for t in torch.where(_MASK))),
    ("where", (), {"condition": _MASK}, lambda: sum(t.numel() for t in torch.where(_MASK))),
    ("where", (_MASK, 1.0, 0.0), {}, lambda: None),
    ("__getitem__", (torch.ones(2, 3), _MASK), {}, lambda: _MASK.nonzero().numel()),
    ("__getitem__", (torch.ones(2, 3), (0, _MASK[0])), {}, lambda: _MASK[0].nonzero().numel()),
    ("__getitem__", (torch.ones(2, 3), torch.tensor([0, 1])), {}, lambda: None),
    ("__setitem__", (torch.ones(2, 3), _MASK, 0.0), {}, lambda: _MASK.nonzero().numel()),
    ("index_put_", (torch.ones(2, 3), (_MASK,), torch.tensor(1.0)), {}, lambda: 6),
]


@pytest.mark.parametrize(
    ("name", "args", "kwargs", "expected"),
    MASKED,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(MASKED)],
)
def test_index_matrix_of_a_mask_known_before_the_call(
    name: str, args: tuple[Any, ...], kwargs: dict[str, Any], expected: Any
) -> None:
    """The (count, ndim) indices PyTorch lists first: 62 dimensions of 1,000,000 elements made
    496 MB of them behind a call whose results were each within the limit."""
    assert index_matrix_numel(name, args, kwargs) == expected()


class _Compare(TorchFunctionMode):
    """For each call named in ``names``: the size predicted before it, and the largest tensor
    plain PyTorch then returned."""

    def __init__(self, names: set[str]) -> None:
        super().__init__()
        self.names = names
        self.seen: list[tuple[str, int | None, int]] = []

    def __torch_function__(self, func: Any, types: Any, args: Any = (), kwargs: Any = None) -> Any:
        kwargs = kwargs or {}
        name = getattr(func, "__name__", "")
        predicted = result_numel(func, name, args, kwargs, cap=10**6) if name in self.names else 0
        result = func(*args, **kwargs)
        if name in self.names:
            made = [result]
            if name == "multi_head_attention_forward":  # the weights of each head, made inside
                made.append(
                    func(*args, **{**kwargs, "need_weights": True, "average_attn_weights": False})
                )
            largest = max(t.numel() for t in tree_flatten(made)[0] if isinstance(t, torch.Tensor))
            self.seen.append((name, predicted, largest))
        return result


_TIME = torch.zeros(7, 4, 3)
_PACKED = torch.nn.utils.rnn.pack_padded_sequence(_TIME, [7, 5, 3, 1])
LAYER_CALLS: dict[str, tuple[str, Any]] = {
    "lstm": ("lstm", lambda: torch.nn.LSTM(3, 5)(_TIME)),
    "lstm-projected-bidirectional": (
        "lstm",
        lambda: torch.nn.LSTM(3, 5, num_layers=2, proj_size=2, bidirectional=True)(_TIME),
    ),
    "lstm-packed": ("lstm", lambda: torch.nn.LSTM(3, 6, bidirectional=True)(_PACKED)),
    "gru-batch-first": ("gru", lambda: torch.nn.GRU(3, 8, batch_first=True)(_TIME)),
    "gru-packed": ("gru", lambda: torch.nn.GRU(3, 8)(_PACKED)),
    "rnn-unbatched": ("rnn_tanh", lambda: torch.nn.RNN(3, 8)(_TIME[:, 0])),
    "rnn-relu": ("rnn_relu", lambda: torch.nn.RNN(3, 8, nonlinearity="relu")(_TIME)),
    "attention-weights": (
        "multi_head_attention_forward",
        lambda: torch.nn.MultiheadAttention(4, 2)(_Q, _K, _K),
    ),
    "attention-weights-per-head": (
        "multi_head_attention_forward",
        lambda: torch.nn.MultiheadAttention(4, 2)(_Q, _K, _K, average_attn_weights=False),
    ),
    "attention-no-weights": (
        "multi_head_attention_forward",
        lambda: torch.nn.MultiheadAttention(4, 2)(_Q, _K, _K, need_weights=False),
    ),
    "attention-unbatched": (
        "multi_head_attention_forward",
        lambda: torch.nn.MultiheadAttention(4, 1)(_Q[:, 0], _K[:, 0], _K[:, 0]),
    ),
    "embedding-bag": (
        "embedding_bag",
        lambda: torch.nn.EmbeddingBag(10, 6)(torch.zeros(9, dtype=torch.long), torch.arange(9)),
    ),
}
_Q, _K = torch.zeros(6, 2, 4), torch.zeros(30, 2, 4)


@pytest.mark.filterwarnings("ignore:LSTM with projections")
@pytest.mark.parametrize("case", list(LAYER_CALLS.values()), ids=list(LAYER_CALLS))
def test_layers_made_in_c_sized_before_the_call(case: tuple[str, Any]) -> None:
    """Recurrent layers, attention and bags of embeddings make their results in one fused
    call that took an LSTM's 400 MB output (or a bag's 4 GB) before the size was checked.
    Attention makes the weights of every head inside, returned or not (averaged, or kept for
    backward only): they were sized as returned, one matrix for all heads, or none."""
    name, run = case
    with torch.no_grad(), _Compare({name}) as compare:
        run()
    assert compare.seen
    assert all(predicted == made for _, predicted, made in compare.seen), compare.seen


# Shapes of the tensor arguments of calls with no size rule of their own, the fast path's cases:
# a 0-d tensor with another, one-element tensors of several dimensions, equal shapes, a true
# broadcast, three tensors, and shapes that do not broadcast.
ELEMENTWISE_SHAPES: list[tuple[tuple[int, ...], ...]] = [
    ((), (2000,)),
    ((2000,), ()),
    ((), ()),
    ((1, 1, 1), (5,)),
    ((5,), (1, 1, 1)),
    ((1,), (1, 1)),
    ((3, 4), (3, 4)),
    ((3, 1), (1, 4)),
    ((2, 1, 3), (4, 1)),
    ((3, 1), (1, 4), (2, 1, 1)),
    ((3, 4), (3, 4), ()),
    ((2,), (3,)),
    ((2, 3), (3, 2)),
    ((1, 2), (2,), (3,)),
]


@pytest.mark.parametrize("shapes", ELEMENTWISE_SHAPES, ids=str)
def test_elementwise_numel_is_the_broadcast_pytorch_makes(
    shapes: tuple[tuple[int, ...], ...],
) -> None:
    """The fast path sizes a call as large as PyTorch's broadcast of its tensors (``None``
    where PyTorch refuses to broadcast them)."""
    tensors = [torch.ones(shape) for shape in shapes]
    func = torch.add if len(tensors) == 2 else torch.addcmul
    predicted = elementwise_numel(func, func.__name__, tensors, {}, 10**6)
    try:
        made: int | None = func(*tensors).numel()
    except RuntimeError:
        made = None
    assert predicted == made


def test_elementwise_numel_of_one_tensor_or_with_numbers_is_none() -> None:
    """One tensor and numbers: the result is no larger than that tensor (as ``result_numel``)."""
    x = torch.ones(3, 4)
    assert elementwise_numel(torch.mul, "mul", (x, 1e-6), {}, 10**6) is None
    assert elementwise_numel(torch.sin, "sin", (x,), {}, 10**6) is None
    assert elementwise_numel(torch.add, "add", (), {"input": x, "other": 2}, 10**6) is None


def test_elementwise_numel_of_an_empty_tensor_is_what_pytorch_makes() -> None:
    """A tensor without elements can reduce to many: sized as ``result_numel`` sizes it."""
    empty = torch.zeros(1000, 0)
    assert elementwise_numel(torch.sum, "sum", (empty, 1), {}, 10**6) == empty.sum(1).numel()
    kwargs = {"input": torch.zeros(0, 7), "dim": 0}
    assert elementwise_numel(torch.sum, "sum", (), kwargs, 10**6) == 7


_CUBE = torch.arange(60.0).reshape(3, 4, 5)
# Gathers with integer tensors, counted without running the op (``shapes.gather_numel``), and
# indexes that are not such a gather (sized by meta tensors as before).
GATHERS: list[Any] = [
    torch.tensor([0, 2, 2, 1, 0]),
    torch.tensor([[0, 1], [2, 2]]),
    torch.tensor(1),
    torch.tensor([1, 0], dtype=torch.int32),
    (torch.arange(3), torch.tensor([3, 0, 1])),
    (torch.arange(3).reshape(3, 1), torch.tensor([0, 3])),
    (torch.tensor([0, 1]), torch.tensor([1]), torch.tensor([4, 0])),
    torch.tensor([], dtype=torch.int64),
]
NOT_GATHERS: list[Any] = [
    torch.tensor([True, False, True]),
    torch.tensor([1, 0, 1], dtype=torch.uint8),
    torch.tensor([2, 0, 1], dtype=torch.int8),  # not an index dtype: the real call raises
    (slice(None), torch.tensor([0, 3])),
    (torch.tensor([0, 1]), slice(1, 3)),
    (None, torch.tensor([0])),
    [0, 2],
    (torch.tensor([0, 1]), torch.tensor([0, 1, 2])),  # no broadcast: the real call raises
    (torch.tensor([0]),) * 4,  # more indexes than dimensions
]


@pytest.mark.parametrize("index", GATHERS + NOT_GATHERS)
def test_a_gather_by_integer_tensors_is_sized_as_pytorch_makes_it(index: Any) -> None:
    """``x[idx]`` and ``probs[torch.arange(n), ys]`` (makemore's loss) are counted from the
    index tensors' shapes, as PyTorch shapes the result; every other index is left to the
    meta tensors, as is one that fails."""
    from app.language.shapes import gather_numel

    counted = gather_numel(_CUBE, index)
    if any(index is g for g in GATHERS):
        assert counted == _CUBE[index].numel()
    else:
        assert counted is None
    try:
        with warnings.catch_warnings():  # uint8 masks are deprecated, still masks
            warnings.simplefilter("ignore")
            made = _CUBE[index].numel()
    except (IndexError, RuntimeError):
        made = None
    known = result_numel(torch.Tensor.__getitem__, "__getitem__", (_CUBE, index), {}, 10**6)
    if made is not None:
        assert known == made or (known is None and made <= _CUBE.numel())
