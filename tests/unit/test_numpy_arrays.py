"""NumPy under the size limits (app/language/numpy_arrays.py): indexes sized, dtypes that hide
elements or objects refused, empty memory zeroed, every array counted while it is held, and
every result checked."""

from __future__ import annotations

import gc
import math
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
import torch

from app.language.errors import LimitExceeded, SandboxViolation
from app.language.live import LiveElements
from app.language.numpy_arrays import array, numpy_call, use_limits, wrap
from app.limits import Limits

_OVER = 3000  # 3000 x 3000 is over the element limit


@pytest.fixture(autouse=True)
def _limits() -> Iterator[None]:
    use_limits(Limits())
    yield
    use_limits(Limits())


def test_index_prediction_is_the_broadcast_of_the_index_arrays() -> None:
    a = np.ones((_OVER, 10)).view(array)
    with pytest.raises(LimitExceeded):
        a[np.arange(_OVER)[:, None], np.zeros((1, _OVER), dtype=int)]
    b = np.ones((1000, 100)).view(array)
    with pytest.raises(LimitExceeded):
        b[torch.zeros(90_000, dtype=torch.long)]
    small = np.arange(12.0).reshape(3, 4).view(array)
    assert np.array_equal(small[[0, 2]], np.arange(12.0).reshape(3, 4)[[0, 2]])
    assert np.array_equal(small[small > 5], np.arange(6.0, 12.0))
    assert np.array_equal(small[..., [1, 3]], np.arange(12.0).reshape(3, 4)[..., [1, 3]])


@pytest.mark.parametrize(
    "dtype", ["(3000,3000)f4", "(30,)f4", "S100000", object, "O", [("a", "f4"), ("b", "i4")]]
)
def test_dtypes_that_hide_elements_or_objects_are_refused(dtype: Any) -> None:
    zeros = numpy_call(np.zeros, "shape")
    with pytest.raises((SandboxViolation, LimitExceeded)):
        zeros(1000, dtype=dtype)
    astype = numpy_call(np.ones(3000).astype, "same", bound=np.ones(3000))
    with pytest.raises((SandboxViolation, LimitExceeded)):
        astype(dtype)


def test_wide_elements_count_as_several() -> None:
    text = numpy_call(np.array, "data")(["a", "bc"])
    assert text.dtype == np.dtype("<U2")
    with pytest.raises(LimitExceeded):
        numpy_call(np.zeros, "shape")(1000, dtype="U10000")


def test_integers_numpy_would_store_as_objects_are_refused() -> None:
    power = numpy_call(np.power, "elementwise")
    with pytest.raises(SandboxViolation, match="too large"):
        power([3**100], 100)
    with pytest.raises(SandboxViolation):
        numpy_call(np.array, "data")([3**100])
    assert power([3], 4).tolist() == [81]


@pytest.mark.parametrize(
    ("func", "rule", "before"),
    [(np.sum, "same", ()), (np.mean, "same", ()), (np.append, "append", (1,))],
)
def test_nested_lists_over_the_element_limit_are_refused_before_they_are_walked(
    func: Any, rule: str, before: tuple[Any, ...]
) -> None:
    """Three thousand references to one list of three thousand are nine million elements,
    more than an array may have: refused as such, before the walk that looks for integers
    too large for NumPy (which took seconds over them)."""
    rows = [[0.0] * _OVER] * _OVER
    with pytest.raises(LimitExceeded, match="9,000,000 elements"):
        numpy_call(func, rule)(*before, rows)
    within = [[1.0] * 10] * 10
    assert numpy_call(func, rule)(*before, within).tolist() == func(*before, within).tolist()


def test_empty_gives_zeros() -> None:
    dirty = np.full(4096, 7.25)
    del dirty
    assert not numpy_call(np.empty, "shape")(4096).any()
    assert not numpy_call(np.empty_like, "like:4")(np.ones(4096)).any()


def test_every_array_that_owns_memory_is_counted_while_it_is_held() -> None:
    live = LiveElements(limit=10**9)
    use_limits(Limits(), live)
    a = wrap(np.ones(1000))
    copies = [a.copy() for _ in range(3)]  # the subclass's own method: no numpy_call
    assert live.count == 4000
    view = a[2:]
    assert live.count == 4000 and view.base is not None
    gathered = a[np.arange(500)]  # a view of the copy NumPy made: the copy is counted
    assert live.count == 4500
    del gathered
    del copies
    gc.collect()
    assert live.count == 1000


def test_results_over_the_limit_never_reach_the_program() -> None:
    """The check of each result catches what a prediction missed."""
    use_limits(Limits(max_tensor_elements=100))
    with pytest.raises(LimitExceeded):
        wrap(np.ones(101))
    assert math.prod(wrap(np.ones((10, 10))).shape) == 100


def test_arrays_of_the_programs_own_sequences_are_refused() -> None:
    class Rows:
        def __len__(self) -> int:
            return 3000

        def __getitem__(self, i: int) -> list[float]:
            return [0.0] * 3000

    with pytest.raises(SandboxViolation):
        numpy_call(np.asarray, "data")(Rows())


_SCALAR_TYPES = """import numpy as np
a = np.float32([[1.5, 2.0], [3.0, 4.25]])
b = np.ones(3).astype(np.float32)
f = b.dtype.type
print(type(a).__name__ == 'ndarray', a.dtype, a * 2, b.dtype == np.float32, f(0.5))
print(np.int64(3) * 2, np.zeros(2, dtype=np.int64), np.double is np.float64, f == np.float32)
print(isinstance(np.float32(2), np.float32), np.array([1, 2], dtype=np.float32).dtype)
t = torch.from_numpy(b)
print(t.dtype, torch.tensor(a).sum())
"""


def test_scalar_types_make_sized_arrays_and_act_as_in_numpy() -> None:
    """``np.float32([...])`` (and ``a.dtype.type``) make the sized array; as a dtype, in
    ``isinstance`` and ``==`` the scalar types are NumPy's own."""
    from app.evaluate import evaluate
    from tests.reference import run_reference

    expected = run_reference(_SCALAR_TYPES).stdout
    record = evaluate(_SCALAR_TYPES)
    assert record.error is None, record.error
    assert record.stdout == expected
