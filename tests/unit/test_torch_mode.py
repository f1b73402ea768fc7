"""The torch mode every program runs under (app/language/torch_mode.py): sizes checked before
a call allocates, the elements a program holds counted while it holds them, every other call
passed through to PyTorch unchanged."""

from __future__ import annotations

import gc
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pytest
import torch

from app.language import torch_mode
from app.language.errors import LimitExceeded, SandboxViolation
from app.language.live import LiveElements
from app.language.torch_mode import ProgramMode
from app.limits import Limits


class Watcher:
    """A call observer that notes each call's name and hands back what PyTorch returned."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def around(
        self,
        func: Callable[..., Any],
        name: str,
        args: Sequence[Any],
        kwargs: dict[str, Any],
    ) -> Any:
        self.names.append(name)
        return func(*args, **kwargs)


def test_calls_pass_through_unchanged() -> None:
    """What a program computes under the mode is what plain PyTorch computes."""

    def program() -> list[torch.Tensor]:
        torch.manual_seed(3)
        w = torch.randn(3, 4, requires_grad=True)
        x = torch.randn(5, 3)
        y = torch.nn.functional.softmax(x @ w, dim=1)
        loss = (y * torch.arange(4.0)).sum()
        loss.backward()
        assert w.grad is not None
        return [y.detach(), loss.detach(), w.grad, torch.cat([x, x]).T]

    plain = program()
    with ProgramMode(Limits(), Watcher()):
        moded = program()
    assert all(torch.equal(a, b) for a, b in zip(plain, moded, strict=True))


def test_the_observer_sees_calls_but_not_attribute_reads() -> None:
    watcher = Watcher()
    x = torch.ones(2, requires_grad=True)
    with ProgramMode(Limits(), watcher):
        y = torch.mul(x, 3)
        _ = y.grad_fn, x.requires_grad, x.grad  # "pass": neither sized, counted nor observed
        y.sum().backward()
    assert watcher.names == ["mul", "sum", "backward"]
    assert x.grad is not None and x.grad.tolist() == [3.0, 3.0]


def test_a_result_over_the_size_limit_is_refused_before_it_is_made() -> None:
    with ProgramMode(Limits(max_tensor_elements=100)), pytest.raises(LimitExceeded) as caught:
        torch.ones(1_000_000, 1_000_000)  # a trillion elements: only a check before can stop it
    assert caught.value.limit == "tensor_elements"
    assert str(caught.value) == (
        "ones would make a tensor of 1,000,000,000,000 elements; the limit is 100"
    )


def test_held_elements_are_counted_until_freed() -> None:
    live = LiveElements(100)
    with ProgramMode(Limits(), live=live):
        a = torch.ones(10)
        assert live.count == 10
        b = a * 2
        assert live.count == 20
        view = b.view(2, 5)  # a view owns no memory of its own
        assert live.count == 20
        del b, view
        gc.collect()
        assert live.count == 10
        torch.zeros(0)  # nothing held
        assert live.count == 10
        keep = [torch.ones(30) for _ in range(3)]
        assert live.count == 100
        with pytest.raises(LimitExceeded) as caught:
            keep.append(torch.ones(1))
    assert caught.value.limit == "live_elements"
    assert str(caught.value) == "program holds tensors of 101 elements at once; the limit is 100"
    del a, keep


def test_text_and_sizes_are_not_counted() -> None:
    live = LiveElements(100)
    x = torch.ones(10)
    with ProgramMode(Limits(), live=live):
        assert (repr(x), x.size(), x.dim(), x.numel(), x.tolist()[0]) == (
            "tensor([1., 1., 1., 1., 1., 1., 1., 1., 1., 1.])",
            torch.Size([10]),
            1,
            10,
            1.0,
        )
    assert live.count == 0


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: torch.ones(2, device="meta"), "ones made a tensor on device 'meta'"),
        (lambda: torch.ones(2, dtype=torch.uint16), "that dtype is not available"),
        (lambda: torch.ones(2, 2).to_sparse(), "only dense tensors are available"),
    ],
    ids=["meta", "uint16", "sparse"],
)
def test_tensors_other_than_cpu_dense_real_are_refused(
    make: Callable[[], torch.Tensor], message: str
) -> None:
    with ProgramMode(Limits()), pytest.raises(SandboxViolation, match=message):
        make()


def test_a_single_tensor_result_is_checked_without_a_walk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Most calls make one plain tensor: it is checked (kind, size) and counted as every
    result is, without the walk through ``tensors_in`` that tuples and lists need."""
    walked: list[object] = []
    real = torch_mode.tensors_in
    monkeypatch.setattr(torch_mode, "tensors_in", lambda v: walked.append(v) or real(v))
    live = LiveElements(100)
    x = torch.ones(10)
    with ProgramMode(Limits(max_tensor_elements=20), live=live):
        y = x * 2.0
        parts = torch.ones(4, 2).unbind(1)
        assert live.count == 10 + 8
        with pytest.raises(LimitExceeded, match="ones would make a tensor of 30"):
            torch.ones(30)
        with pytest.raises(SandboxViolation, match="only dense tensors"):
            x.to_sparse()
    assert walked == [parts]
    assert torch.equal(y, torch.full((10,), 2.0))


_EMPTIES: dict[str, Callable[[], torch.Tensor]] = {
    "empty": lambda: torch.empty(3000, requires_grad=True),
    "empty_sizes": lambda: torch.empty(30, 100, dtype=torch.float64),
    "empty_like": lambda: torch.empty_like(torch.ones(3000, dtype=torch.int32)),
    "new_empty": lambda: torch.ones(2).new_empty((3000,)),
    "empty_strided": lambda: torch.empty_strided((30, 100), (1, 30)),
    "empty_strided_gaps": lambda: torch.empty_strided((30, 10), (100, 7)),
}


@pytest.mark.parametrize("make", list(_EMPTIES.values()), ids=list(_EMPTIES))
def test_empty_factories_give_zeros_and_are_otherwise_plain(
    make: Callable[[], torch.Tensor],
) -> None:
    """An 'empty' factory never hands a program the memory of freed tensors: each gives zeros,
    and otherwise the tensor plain PyTorch makes (shape, dtype, stride, flags, no graph)."""
    plain = make()
    for _ in range(3):  # freed memory full of a value the allocator may hand out again
        secret = torch.full((3000,), 1234.5, dtype=torch.float64)
        del secret
    with ProgramMode(Limits()):
        made = make()
    assert not made.any()
    # All the memory it was given, the gaps between strided elements too.
    assert not any(made.untyped_storage())
    assert (
        made.shape,
        made.dtype,
        made.stride(),
        made.requires_grad,
        made.is_leaf,
        made._version,
        made.untyped_storage().nbytes(),
    ) == (
        plain.shape,
        plain.dtype,
        plain.stride(),
        plain.requires_grad,
        plain.is_leaf,
        plain._version,
        plain.untyped_storage().nbytes(),
    )
    assert made.grad_fn is None


def test_empty_into_a_given_tensor_gives_zeros_there() -> None:
    """``torch.empty(n, out=t)`` grows ``t`` into fresh memory: it holds zeros, as
    ``torch.zeros(n, out=t)`` would."""
    for _ in range(3):
        secret = torch.full((3000,), 1234.5)
        del secret
    given = torch.ones(2)
    with ProgramMode(Limits()):
        made = torch.empty(3000, out=given)
    assert made is given
    assert made.shape == (3000,)
    assert not made.any()


def test_an_unrouted_call_is_checked_counted_and_observed_as_any_other() -> None:
    """``torch.from_numpy`` reaches no mode; run through ``unrouted`` it is a call like others."""
    watcher, live = Watcher(), LiveElements(100)
    array = np.arange(6.0)
    with ProgramMode(Limits(max_tensor_elements=10), watcher, live) as mode:
        made = mode.unrouted(torch.from_numpy, (array,), {})
        assert live.count == 6
        with pytest.raises(SandboxViolation, match="uint16 tensor"):
            mode.unrouted(torch.from_numpy, (np.array([1], dtype=np.uint16),), {})
        with pytest.raises(LimitExceeded, match="from_numpy would make a tensor of 11 elements"):
            mode.unrouted(torch.from_numpy, (np.zeros(11),), {})
    assert watcher.names == ["from_numpy", "from_numpy", "from_numpy"]
    plain = torch.from_numpy(array)
    array[0] = 7.0  # both share the array's memory, as in PyTorch
    assert torch.equal(made, plain) and made.dtype == plain.dtype == torch.float64


def test_an_unrouted_call_needs_its_mode_active() -> None:
    mode = ProgramMode(Limits())
    with pytest.raises(SandboxViolation, match="only while its program runs"):
        mode.unrouted(torch.from_numpy, (np.zeros(1),), {})


_MASK_62 = [1000, 1000] + [1] * 60  # 1,000,000 elements in 62 dimensions
_REFUSED_BEFORE_THEY_RUN: dict[str, tuple[str, Callable[[], Any]]] = {
    "sum-of-no-elements": ("sum", lambda: torch.zeros(300_000_000, 0).sum(1)),
    "mean-of-no-elements": ("mean", lambda: torch.zeros(0, 300_000_000).mean(0)),
    "det-of-empty-matrices": ("linalg_det", lambda: torch.linalg.det(torch.zeros(10**8, 0, 0))),
    "linear-of-no-features": (
        "linear",
        lambda: torch.nn.functional.linear(torch.zeros(10**8, 0), torch.zeros(1, 0)),
    ),
    "histogram-many-bins": ("histogram", lambda: torch.histogram(torch.zeros(3), bins=10**8)),
    "multi-dot-outer": (
        "linalg_multi_dot",
        lambda: torch.linalg.multi_dot([torch.ones(20000, 1), torch.ones(1, 20000)]),
    ),
    "unbind-empty-rows": ("unbind", lambda: torch.zeros(10**8, 0).unbind()),
    "iterate-empty-rows": ("__iter__", lambda: iter(torch.zeros(10**8, 0))),
    "split-empty-rows": ("split", lambda: torch.zeros(10**8, 0).split(1)),
    "tensor-split-many": ("tensor_split", lambda: torch.zeros(1).tensor_split(10**7)),
    "tolist-empty-rows": ("tolist", lambda: torch.zeros(10**8, 0).tolist()),
    "nonzero-62-dims": ("nonzero", lambda: torch.ones(_MASK_62).nonzero()),
    "nonzero-tuple-62-dims": ("nonzero", lambda: torch.ones(_MASK_62).nonzero(as_tuple=True)),
    "where-62-dims": ("where", lambda: torch.where(torch.ones(_MASK_62, dtype=torch.bool))),
    "mask-index-62-dims": (
        "__getitem__",
        lambda: torch.ones(_MASK_62)[torch.ones(_MASK_62, dtype=torch.bool)],
    ),
}


@pytest.mark.parametrize(
    "case", list(_REFUSED_BEFORE_THEY_RUN.values()), ids=list(_REFUSED_BEFORE_THEY_RUN)
)
def test_calls_that_would_grow_are_refused_before_they_run(
    case: tuple[str, Callable[[], Any]],
) -> None:
    """Each of these allocated its result (or a hidden matrix of indices, or one object per
    row) before the size check, up to 1.4 GB: now the call itself never runs."""
    name, make = case
    watcher = Watcher()
    with ProgramMode(Limits(), watcher), pytest.raises(LimitExceeded):
        make()
    assert name not in watcher.names


def test_masks_and_splits_within_the_limits_run_as_in_pytorch() -> None:
    """The everyday forms stay: a 1000x1000 mask (2,000,000 indices, within what a program may
    hold), a sparse nonzero of a big tensor, a tensor's rows."""
    x = torch.arange(1_000_000.0).reshape(1000, 1000)
    with ProgramMode(Limits()):
        made = [x[x >= 0].sum(), torch.eye(1000).nonzero(), torch.where(x > 10)[1], *x[:5]]
        rows = x[:100].tolist()
    plain = [x[x >= 0].sum(), torch.eye(1000).nonzero(), torch.where(x > 10)[1], *x[:5]]
    assert all(torch.equal(a, b) for a, b in zip(made, plain, strict=True))
    assert rows == x[:100].tolist()


def test_elementwise_results_are_sized_by_their_broadcast() -> None:
    """Arithmetic on plain tensors and numbers (most of a training loop's calls) is bounded by
    the broadcast of its tensors: within the limit it runs as in PyTorch, whether or not the
    element counts of its arguments multiply past the limit; past it, it is refused before it
    runs, with keywords or numbers among the arguments too."""
    long, column, row = torch.arange(1000.0), torch.ones(40, 1), torch.arange(40.0).reshape(1, 40)

    def within() -> list[torch.Tensor]:
        return [
            long * long,  # 1,000 x 1,000 as counts, 1,000 as a broadcast
            long + 2.0,
            3 * long - torch.tensor(1.0),
            torch.add(long, long, alpha=2),
            torch.ones(20, 1) + row[:, :20],
            torch.zeros(0, 1) * long[:7],
            torch.tensor(2.0, requires_grad=True) * long,
        ]

    with ProgramMode(Limits(max_tensor_elements=1000)):
        made = within()
    plain = within()
    assert all(torch.equal(a, b) for a, b in zip(made, plain, strict=True))
    refused: list[Callable[[], torch.Tensor]] = [
        lambda: column + row,
        lambda: column * row * 2.0,
        lambda: torch.add(column, other=row),
        lambda: torch.add(column, row, alpha=2),
    ]
    for make in refused:
        watcher = Watcher()
        with (
            ProgramMode(Limits(max_tensor_elements=1000), watcher),
            pytest.raises(LimitExceeded, match="of 1,600 elements; the limit is 1,000"),
        ):
            make()
        assert "add" not in watcher.names and "mul" not in watcher.names
