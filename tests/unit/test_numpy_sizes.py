"""How large a NumPy call's arrays will be (app/language/numpy_sizes.py), against plain NumPy.

For each call, the prediction is at least the size of the largest array NumPy really makes
(so nothing larger is ever made unchecked), and not so far above it that ordinary calls of
course programs are refused. Calls over the limit are predicted over it, whatever argument
carries the size.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

from app.language.allowlist import numpy as record
from app.language.numpy_sizes import predict
from app.limits import Limits

_RULES = {**record.SIZES, **record.LINALG_SIZES}
_RANDOM = record.RANDOM_SIZES
_LIMIT = Limits().max_tensor_elements


def _largest(result: Any) -> int:
    """Elements of the largest array in a result (a tuple or list of arrays too)."""
    if isinstance(result, np.ndarray):
        return int(result.size)
    if isinstance(result, (tuple, list)):
        return max((_largest(r) for r in result), default=0)
    return 1


_M = np.arange(12.0).reshape(3, 4)
_V = np.arange(5.0)
# (function name, args, kwargs): the calls of course programs, and the odd ones.
_CALLS: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = [
    ("zeros", ((3, 4),), {}),
    ("full", (5, 2.0), {}),
    ("zeros_like", (_M,), {}),
    ("zeros_like", (1.0,), {"shape": (30, 40)}),
    ("ones_like", (_V, None, "K", True, (7, 8)), {}),
    ("full_like", (_M, 3.0), {"shape": (2, 50)}),
    ("add", (_M, 1.0), {}),
    ("add", ([[0.0] * 30], [[0.0]] * 40), {}),
    ("where", (np.zeros((1, 30)) > 0, np.zeros((40, 1)), 1), {}),
    ("clip", (np.zeros((1, 30)), np.zeros((20, 1)), 1.0), {}),
    ("maximum", (_V[:, None], _V), {}),
    ("sum", (_M,), {"axis": 0}),
    ("mean", (_M, (0, 1)), {}),
    ("reshape", (_M, (4, 3)), {}),
    ("percentile", (_M, [10, 50, 90]), {"axis": 0}),
    ("quantile", (_M, np.linspace(0, 1, 7)), {}),
    ("quantile", (_M, np.linspace(0, 1, 7), (0, 1)), {}),
    ("arange", (10,), {}),
    ("arange", (1, 10, 0.5), {}),
    ("arange", (), {"start": 0, "stop": 30}),
    ("arange", (np.array(20),), {}),
    ("linspace", (0, 1), {}),
    ("linspace", (0, 1, 30), {}),
    ("linspace", (np.zeros(3), np.ones(3), 20), {}),
    ("logspace", (0, 3), {"num": 4}),
    ("eye", (4,), {}),
    ("eye", (3, 5), {}),
    ("identity", (), {"n": 6}),
    ("array", ([[1, 2], [3, 4]],), {}),
    ("asarray", (torch.ones(2, 3),), {}),
    ("concatenate", ([_M, _M],), {}),
    ("stack", ((_V, _V, _V),), {"axis": 1}),
    ("append", (1, [[0.0] * 30] * 20), {}),
    ("append", (_M, _M), {"axis": 0}),
    ("outer", (_V, _V), {}),
    ("kron", (_M, _M), {}),
    ("dot", (_M, _M.T), {}),
    ("dot", (_M.T, _M), {}),
    ("matmul", (np.ones((2, 3, 4)), np.ones((4, 5))), {}),
    ("inner", (np.ones((30, 1)), np.ones((40, 1))), {}),
    ("tile", (_V, 3), {}),
    ("tile", (_V, (4, 3)), {}),
    ("tile", (_V, np.array([30, 1])), {}),
    ("repeat", (_V, 4), {}),
    ("repeat", (_V, [1, 2, 3, 4, 5]), {}),
    ("meshgrid", (_V, np.arange(7.0)), {}),
    ("diag", (_V,), {}),
    ("diag", (_V, 3), {}),
    ("diag", (_M,), {}),
    ("histogram", ([1.0, 2.0],), {}),
    ("histogram", ([1.0],), {"bins": 300}),
    ("histogram", (_V, [0, 1, 2, 5]), {}),
    ("bincount", ([900],), {}),
    ("bincount", ([1, 2], None, 50), {}),
    ("polyfit", (_V, _V, 3), {}),
    ("argwhere", (np.ones((3, 4, 5)),), {}),
    ("nonzero", (_M,), {}),
    ("unique", (_M,), {}),
    ("svd", (np.ones((30, 2)),), {}),
    ("svd", (np.ones((30, 2)), False), {}),
    ("svd", (np.ones((4, 30, 2)),), {}),
    ("inv", (np.eye(3),), {}),
]


@pytest.mark.parametrize(("name", "args", "kwargs"), _CALLS, ids=lambda v: str(v)[:40])
def test_prediction_covers_what_numpy_makes(name: str, args: Any, kwargs: Any) -> None:
    func = getattr(np.linalg, name) if name in record.LINALG_SIZES else getattr(np, name)
    made = _largest(func(*args, **kwargs))
    predicted = predict(_RULES[name], args, kwargs)
    assert predicted is not None and predicted >= made, (predicted, made)
    assert predicted <= 8 * max(made, 20), (predicted, made)  # and not wildly above it


_DRAWS: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = [
    ("rand", (3, 4), {}),
    ("randn", (), {}),
    ("random", ((3, 4),), {}),
    ("normal", (0, 1, (5, 6)), {}),
    ("normal", (np.zeros(30),), {}),
    ("uniform", (), {"size": 40}),
    ("randint", (0, 10, (30, 3), "int64"), {}),
    ("randint", (10,), {}),
    ("binomial", (1, [0.5] * 30), {}),
    ("poisson", (3.0, 50), {}),
    ("multinomial", (1, [0.25] * 4, 30), {}),
    ("choice", (10, 5), {}),
    ("choice", (100, 5), {"replace": False}),
    ("permutation", (30,), {}),
    ("permutation", (_M,), {}),
]


@pytest.mark.parametrize(("name", "args", "kwargs"), _DRAWS, ids=lambda v: str(v)[:40])
def test_prediction_covers_what_a_draw_makes(name: str, args: Any, kwargs: Any) -> None:
    made = _largest(getattr(np.random, name)(*args, **kwargs))
    predicted = predict(_RANDOM[name], args, kwargs)
    assert predicted is not None and predicted >= made, (predicted, made)


def test_generator_methods_read_size_where_the_generator_has_it() -> None:
    rng = np.random.default_rng(0)
    assert predict(_RANDOM["random"], ((30, 30), np.float32), {}) == 900
    assert _largest(rng.random((30, 30), np.float32)) == 900
    assert predict(_RANDOM["integers"], (0, 10, (4, 5)), {}) == 20


# Calls whose size is carried by an argument the first rules did not read: refused before
# anything is made, by the prediction alone.
_OVER = 3000
_BOMBS: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = [
    ("zeros_like", (1.0,), {"shape": (_OVER, _OVER)}),
    ("identity", (), {"n": _OVER}),
    ("diag", (np.ones(_OVER),), {}),
    ("where", (np.zeros((1, _OVER)) > 0, np.zeros((_OVER, 1)), 1), {}),
    ("add", ([[0.0] * _OVER], [[0.0]] * _OVER), {}),
    ("inner", (np.ones((_OVER, 1)), np.ones((_OVER, 1))), {}),
    ("tile", (np.ones(_OVER), np.array([_OVER, 1])), {}),
    ("append", (1, [[0.0] * _OVER] * _OVER), {}),
    ("histogram", ([1.0],), {"bins": _OVER * _OVER}),
    ("bincount", ([_OVER * _OVER],), {}),
    ("arange", (), {"start": 0, "stop": _OVER * _OVER}),
    ("arange", (np.array(_OVER * _OVER),), {}),
    ("polyfit", (np.ones(_OVER), np.ones(_OVER), _OVER), {}),
    ("percentile", (np.ones((_OVER, 300)), np.linspace(0, 100, 10 * _OVER)), {"axis": 0}),
    ("svd", (np.ones((_OVER, 1)),), {}),
]


@pytest.mark.parametrize(("name", "args", "kwargs"), _BOMBS, ids=lambda v: str(v)[:40])
def test_large_results_are_predicted_from_the_argument_that_carries_them(
    name: str, args: Any, kwargs: Any
) -> None:
    predicted = predict(_RULES[name], args, kwargs)
    assert predicted is not None and predicted > _LIMIT


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("randint", (0, 10, (_OVER, _OVER), "int64")),
        ("multinomial", (1, [1 / _OVER] * _OVER, _OVER)),
        ("choice", (_OVER * _OVER, 3, False)),
    ],
)
def test_large_draws_are_predicted(name: str, args: Any) -> None:
    predicted = predict(_RANDOM[name], args, {})
    assert predicted is not None and predicted > _LIMIT


_EMPTY_ROWS = np.zeros((6, 0))
_FROM_NOTHING: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = [
    ("sum", (_EMPTY_ROWS, 1), {}),
    ("mean", (np.zeros((0, 7)),), {"axis": 0}),
    ("prod", (_EMPTY_ROWS,), {"axis": -1}),
    ("all", (_EMPTY_ROWS, 1), {}),
    ("count_nonzero", (_EMPTY_ROWS,), {"axis": 1}),
    ("det", (np.zeros((6, 0, 0)),), {}),
]


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize(("name", "args", "kwargs"), _FROM_NOTHING, ids=lambda v: str(v)[:40])
def test_prediction_covers_what_numpy_makes_of_no_elements(
    name: str, args: Any, kwargs: Any
) -> None:
    """``np.zeros((10**8, 0)).sum(1)`` made 10**8 elements (0.8 GB) before its size was
    checked: an array without elements is as large as its other dimensions."""
    func = getattr(np.linalg, name) if name in record.LINALG_SIZES else getattr(np, name)
    assert predict(_RULES[name], args, kwargs) == _largest(func(*args, **kwargs))


@pytest.mark.parametrize(
    "mask",
    [np.array([[1, 0, 2], [0, 0, 3]]), np.ones((4, 1, 2, 1), dtype=bool), np.zeros(5)],
    ids=str,
)
def test_index_matrix_of_nonzero_counted_before_the_call(mask: np.ndarray) -> None:
    """``nonzero`` fills a (count, ndim) matrix first and hands out its columns: 32 times a
    mask of 32 dimensions (256 MB for a million elements)."""
    from app.language.numpy_index import index_matrix_numel

    columns = np.nonzero(mask)
    made = sum(column.size for column in columns)
    for rule in ("nonzero", "where"):
        assert index_matrix_numel(rule, (mask,), {}) == made
    assert index_matrix_numel("where", (mask, 1, 0), {}) is None
    assert index_matrix_numel("same", (mask,), {}) is None
