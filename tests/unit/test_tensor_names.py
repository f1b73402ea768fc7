"""The names a program binds to tensors (app/walk/tensor_names.py)."""

from __future__ import annotations

import torch

from app.walk.tensor_names import Names


def test_fresh_tensors_come_in_the_order_they_were_named() -> None:
    first, second = torch.zeros(1), torch.ones(1)
    names = Names(max_names=8)
    names.bind(first, "a")
    names.bind(second, "b")
    # ``first`` dies (its entry is forgotten) and a new tensor is named at its address: here
    # ``first`` itself, named again, which gets the same key a reused address would.
    names.forget(id(first))
    names.bind(first, "c")
    fresh = names.take_fresh()
    assert [id(t) for t in fresh] == [id(second), id(first)]  # not first's old place, not twice
    assert names.take_fresh() == []


def test_a_dead_tensor_is_not_fresh() -> None:
    names = Names(max_names=8)
    names.bind(torch.zeros(1), "gone")  # held weakly: a constant, dropped at once
    kept = torch.ones(1)
    names.bind(kept, "kept")
    assert [id(t) for t in names.take_fresh()] == [id(kept)]
