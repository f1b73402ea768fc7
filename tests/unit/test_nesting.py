"""Tuples a program hashes are checked for depth first (app/language/nesting.py): a tuple nested
a million deep, hashed, overflowed the C stack and killed the worker."""

from __future__ import annotations

import pytest

from app.evaluate import evaluate
from app.language.errors import LimitExceeded
from app.language.nesting import shallow
from app.limits import DEFAULT_LIMITS
from tests.reference import run_reference

LIMIT = DEFAULT_LIMITS.max_nesting_depth


def _nested(depth: int) -> tuple[object, ...]:
    value: tuple[object, ...] = (1,)
    for _ in range(depth - 1):
        value = (value, 2)
    return value


def test_a_tuple_at_the_limit_hashes_as_in_python() -> None:
    value = _nested(LIMIT)
    assert hash(shallow(value, LIMIT)) == hash(value)


def test_a_tuple_past_the_limit_is_refused() -> None:
    with pytest.raises(LimitExceeded) as raised:
        shallow(_nested(LIMIT + 1), LIMIT)
    assert raised.value.limit == "nesting_depth"


def test_shared_items_are_walked_once_per_level() -> None:
    """``t = (t, t)`` 200 times: 2 ** 200 paths, 200 distinct tuples."""
    value: tuple[object, ...] = ()
    for _ in range(200):
        value = (value, value)
    assert shallow(value, LIMIT) is value


# Ten levels a loop step: a million levels deep within the loop limit.
_DEEP = "t = ()\nfor i in range(100000):\n    t = ((((((((((t,),),),),),),),),),)\n"
_DEEPER_PER_STEP = "t = ()\nfor i in range(40000):\n    t = " + "(" * 25 + "t," + ")," * 24 + ")\n"


@pytest.mark.parametrize(
    "use",
    [
        "h = hash(t)",
        "d = {t: 1}",
        "d = {}\nd[t] = 1",
        "d = {}\nd[t] += 1",
        "s = {t}",
        "b = t in {1: 2}",
    ],
)
def test_a_tuple_a_million_deep_hashed_is_a_limit(use: str) -> None:
    record = evaluate(_DEEP + use)
    assert record.error is not None and record.error.type == "LimitExceeded", record.error
    assert record.error.hint is not None and record.error.hint["key"] == "limit_nesting_depth"


@pytest.mark.parametrize(
    "use",
    [
        "s = set([t])",
        "d = {k: 1 for k in [t]}",
        "s = {k for k in [t]}",
        "s = set()\ns.add(t)",
        "d = {}\nv = d.get(t)",
        "d = {}\nv = d.setdefault(t, 1)",
        "s = frozenset([t])",
        "s = set()\ns.update([1], [t])",
        "s = {1}.union([t])",
        "b = {1}.issubset([t])",
    ],
)
def test_a_tuple_hashed_by_a_set_or_dict_is_a_limit(use: str) -> None:
    record = evaluate(_DEEPER_PER_STEP + use)
    assert record.error is not None and record.error.type == "LimitExceeded", record.error
    assert "nested more than 1000 levels" in record.error.message


def test_keys_work_as_in_python() -> None:
    code = (
        "d = {(1, 2): 3, 'a': 4}\nd[(5, (6,))] = 7\nd[(1, 2)] += 1\n"
        "print(d[(1, 2)], (1, 2) in d, (9,) not in d, d.get((5, (6,))), d.pop('a'), d)\n"
        "s = {(1, (2, 3))}\ns.add((4,))\ns.discard((4,))\nprint(s, {k: len(k) for k in s})\n"
        "print(hash((1, (2,))) == hash((1, (2,))), set([(1,), (1,)]))\n"
        "f = frozenset([1, (2, 3)])\ns = {1, 2}\ns.update([3], {4}, {5: 6}, 'x')\n"
        "print(f, isinstance(f, frozenset), {f: 1}[frozenset([(2, 3), 1])], len(s))\n"
        "print(s.union([9]) - {9} == s, s.issubset(range(9)), s.isdisjoint((7,)))\n"
        "print(s.intersection([1, 2]), {1, 2}.symmetric_difference([2, 3]), s.difference('x'))\n"
        "x = torch.arange(9.0).view(3, 3)\nprint(x[0, 1], x[:, 0], x[1:], x[..., 0], x[(0, 2)])\n"
    )
    record = evaluate(code)
    assert record.error is None, record.error
    assert record.stdout == run_reference(code).stdout
