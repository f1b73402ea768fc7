"""The records of the walk over ``grad_fn`` / ``next_functions`` (app/walk/registry.py): what
it finds, checked against PyTorch's own links; the newest kept when the graph is cut; old
iterations let go; tensors outside autograd never kept alive."""

from __future__ import annotations

import gc
import weakref

import pytest
import torch

from app.walk.records import TensorKey
from app.walk.registry import GraphRegistry


def _out(tensor: torch.Tensor) -> TensorKey:
    assert tensor.grad_fn is not None
    return ("out", id(tensor.grad_fn), tensor.output_nr)


def _leaf(tensor: torch.Tensor) -> TensorKey:
    return ("tensor", id(tensor), 0)


def _iterations(registry: GraphRegistry, x: torch.Tensor, count: int) -> list[torch.Tensor]:
    """``count`` loop iterations, each a backward pass's walk from ``(x * i).sum()``."""
    outputs = []
    for i in range(count):
        registry.next_generation()
        y = (x * i).sum()
        registry.discover([y], roots=True)
        outputs.append(y)
    return outputs


def _keys(y: torch.Tensor) -> list[int | TensorKey]:
    """A ``(x * i).sum()``'s own records in walk order: its output, Sum, Mul."""
    assert y.grad_fn is not None
    mul = y.grad_fn.next_functions[0][0]
    return [_out(y), id(y.grad_fn), id(mul)]


def test_the_walk_follows_pytorchs_links_from_the_root() -> None:
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = ((x * 2).exp()).sum()
    registry = GraphRegistry(100)
    registry.discover([y], roots=True)
    assert y.grad_fn is not None
    exp = y.grad_fn.next_functions[0][0]
    mul = exp.next_functions[0][0]
    assert mul.next_functions[0][0].variable is x  # AccumulateGrad: shown as the leaf
    assert registry.order == [_out(y), id(y.grad_fn), id(exp), id(mul), _leaf(x)]
    assert [registry.functions[id(n)].op for n in (y.grad_fn, exp, mul)] == [
        "SumBackward0",
        "ExpBackward0",
        "MulBackward0",
    ]
    assert registry.functions[id(mul)].inputs == [(_leaf(x), 0), None]  # the 2 is no tensor
    assert registry.tensors[_out(y)].is_root


def test_when_cut_the_newest_records_are_chosen_in_walk_order() -> None:
    x = torch.ones(1, requires_grad=True)
    registry = GraphRegistry(1000)
    ys = _iterations(registry, x, 3)
    assert registry.newest(100) == [*_keys(ys[0]), _leaf(x), *_keys(ys[1]), *_keys(ys[2])]
    assert not registry.overflowed
    # x is reached by every pass, so it is as new as the last iteration
    assert registry.newest(4) == [_leaf(x), *_keys(ys[2])]
    assert registry.newest(7) == [_leaf(x), *_keys(ys[1]), *_keys(ys[2])]
    assert registry.overflowed


def test_a_full_registry_lets_the_oldest_iterations_go_but_the_first() -> None:
    x = torch.ones(1, requires_grad=True)
    registry = GraphRegistry(7)
    ys = _iterations(registry, x, 5)
    # the first iteration stays (to compare with), the latest one, and the leaf both use
    assert registry.order == [*_keys(ys[0]), *_keys(ys[4]), _leaf(x)]
    assert registry.overflowed


def test_values_saved_by_old_iterations_are_let_go() -> None:
    x = torch.ones(3, requires_grad=True)
    w = torch.full((3,), 2.0, requires_grad=True)
    registry = GraphRegistry(1000)
    registry.next_generation()
    y = (x * w).sum()
    registry.discover([y], roots=True)
    assert y.grad_fn is not None
    mul = registry.functions[id(y.grad_fn.next_functions[0][0])]
    assert [(s.name, s.tensor is w or s.tensor is x) for s in mul.saved] == [
        ("other", True),
        ("self", True),
    ]
    _iterations(registry, x, 2)
    assert all(s.tensor is not None for s in mul.saved)  # two passes on: still shown
    _iterations(registry, x, 1)
    assert [(s.name, s.tensor, s.text) for s in mul.saved] == [
        ("other", None, "(3 float32, not kept)"),
        ("self", None, "(3 float32, not kept)"),
    ]


def test_an_old_iterations_output_is_held_only_while_the_program_holds_it() -> None:
    x = torch.ones(1, requires_grad=True)
    registry = GraphRegistry(1000)
    (y,) = _iterations(registry, x, 1)
    key, alive = _out(y), weakref.ref(y)
    del y
    gc.collect()
    assert alive() is not None  # a recent pass's output: the graph may show it
    _iterations(registry, x, 3)
    gc.collect()
    assert alive() is None
    assert key not in registry.newest(100)


def test_plain_tensors_are_held_weakly_and_autograd_ones_strongly() -> None:
    registry = GraphRegistry(1000)
    batch = torch.ones(4)
    weight = torch.ones(4, requires_grad=True)
    registry.names.bind(batch, "batch")
    registry.names.bind(batch, "xb")
    registry.names.bind(weight, "w")
    registry.discover_named()
    plain = ("tensor", id(batch), 0)
    assert registry.names.named[id(batch)].names == ["batch", "xb"]
    assert registry.tensors[plain].names == ["batch", "xb"]
    assert plain in registry.newest(100)
    alive = weakref.ref(batch)
    del batch, weight
    gc.collect()
    assert alive() is None  # a loop's batches are never kept alive
    assert registry.newest(100) == [_leaf(registry.named_tensors()[0])]
    assert [t.requires_grad for t in registry.named_tensors()] == [True]


def test_past_the_limit_only_the_final_state_is_still_added() -> None:
    x = torch.ones(1, requires_grad=True)
    y = x * 2
    for _ in range(3):
        y = y * 2
    registry = GraphRegistry(2)  # one generation: nothing older to let go of
    registry.discover([y])
    assert len(registry.order) == 2 and registry.overflowed
    last = torch.zeros(2)
    registry.discover([last], always=True)
    assert registry.order[-1] == ("tensor", id(last), 0)


def test_marking_the_final_state_newest_lets_no_saved_value_go() -> None:
    """``promote`` orders what the graph keeps when cut; the program has ended, so the values
    its latest passes saved stay. (A retained graph's first pass, then its second, which finds
    no new node, then the end: promoting the first pass's root once let its values go.)"""
    x = torch.ones(3, requires_grad=True)
    registry = GraphRegistry(1000)
    (y,) = _iterations(registry, x, 1)
    assert y.grad_fn is not None
    mul = registry.functions[id(y.grad_fn.next_functions[0][0])]
    registry.next_generation()  # the second pass
    registry.next_generation()  # the end of the program
    registry.promote([y])
    assert any(s.tensor is not None for s in mul.saved)
    assert not any((s.text or "").endswith("not kept)") for s in mul.saved)


def test_a_pass_copies_what_a_node_saved_once_just_before_it_runs() -> None:
    """``w * w`` saves w twice; the copy is taken as the node's backward runs (plain PyTorch's
    own pre hook) and is not changed by a later in-place step."""
    w = torch.tensor([1.0, -2.0], requires_grad=True)
    registry = GraphRegistry(1000)
    registry.next_generation()
    loss = (w * w).sum()
    registry.discover([loss], roots=True)
    assert loss.grad_fn is not None
    node = loss.grad_fn.next_functions[0][0]
    handles = registry.saved_hooks(node, lambda t: pytest.fail("no copy is over the budget"))
    seen_by_pytorch: list[torch.Tensor] = []
    node.register_prehook(lambda _: seen_by_pytorch.append(node._saved_self.detach().clone()))
    loss.backward()
    for handle in handles:
        handle.remove()
    with torch.no_grad():
        w -= 0.5 * w.grad
    record = registry.functions[id(node)]
    copies = [s.copy for s in record.saved]
    assert len(copies) == 2 and copies[0] is copies[1]  # one copy of the one tensor
    assert isinstance(copies[0], torch.Tensor)
    assert torch.equal(copies[0], seen_by_pytorch[0])
    assert not torch.equal(copies[0], w)


def test_a_constant_that_starts_to_require_grad_is_the_same_record_held_from_then_on() -> None:
    registry = GraphRegistry(1000)
    a = torch.tensor(2.0)
    registry.names.bind(a, "a")
    registry.discover_named()
    key = ("tensor", id(a), 0)
    assert registry.tensors[key].kind == "plain"
    a.requires_grad_()
    registry.discover([a])
    assert list(registry.tensors) == [key]
    assert registry.tensors[key].kind == "leaf"
    alive = weakref.ref(a)
    del a
    gc.collect()
    assert alive() is not None  # a leaf of the graph now: held, like every leaf


def test_a_tensor_an_in_place_op_moved_on_keeps_its_record_and_place() -> None:
    registry = GraphRegistry(1000)
    x = torch.ones(2, requires_grad=True)
    y = x * 2
    registry.names.bind(y, "y")
    registry.discover_named()
    old = _out(y)
    place = registry.order.index(old)
    record = registry.tensors[old]
    y.add_(1)
    registry.discover([y])
    assert old not in registry.tensors
    assert registry.tensors[_out(y)] is record
    assert registry.order[place] == _out(y)
    assert [entry[1].grad_fn for entry in record.states.entries] == [
        "MulBackward0",
        "AddBackward0",
    ]
