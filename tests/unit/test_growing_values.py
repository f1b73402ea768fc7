"""Values a program grows a step at a time: ``math.prod`` (app/language/readers.py),
``collections.deque`` (``ValueLimits.counted_deque``, its ``extend``, ``extendleft`` and
``+=``) and a printed line of many arguments (``Output.print``). Each gives what plain Python
gives, and is refused once it would be over the limit."""

from __future__ import annotations

import contextlib
import functools
import io
import math
from collections import deque
from collections.abc import Callable, Iterable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.evaluate import evaluate
from app.language.errors import LimitExceeded, SandboxViolation
from app.language.output import Output
from app.language.runtime import Runtime
from app.language.values import ValueLimits
from app.limits import DEFAULT_LIMITS, Limits

# What a program printed, and the type and message of the error it ended with (if any).
Run = tuple[str, tuple[str, str] | None]

# Small limits: sequences of at most 100 items, texts of at most 1,000 characters.
SMALL = Limits(max_sequence_length=100)
PROPERTY = settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _python_run(code: str) -> Run:
    """``code`` run by plain Python: what it printed and how it ended."""
    out = io.StringIO()
    error = None
    with contextlib.redirect_stdout(out):
        try:
            exec(code, {})  # noqa: S102 - the tests' own programs
        except Exception as exc:  # noqa: BLE001 - compared with the sandbox's error
            error = (type(exc).__name__, str(exc))
    return out.getvalue(), error


def _sandbox_run(code: str, limits: Limits = DEFAULT_LIMITS) -> Run:
    record = evaluate(code, limits)
    assert record.refused is None, record.refused
    error = None if record.error is None else (record.error.type, record.error.message)
    return record.stdout, error


def _limit_of(code: str, limits: Limits = DEFAULT_LIMITS) -> str:
    """The type of error ``code`` ends with in the sandbox."""
    record = evaluate(code, limits)
    assert record.refused is None, record.refused
    assert record.error is not None, record.stdout
    return record.error.type


def _refused(call: Callable[[], Any]) -> str:
    with pytest.raises(LimitExceeded) as caught:
        call()
    return caught.value.limit


# --- math.prod ----------------------------------------------------------------------------------------
def _prod(limits: Limits = DEFAULT_LIMITS) -> Callable[..., Any]:
    """``math.prod`` as a program gets it, from a fresh runtime under ``limits``."""
    prod: Callable[..., Any] = Runtime(limits).attributes.getattr(math, "prod")
    return prod


@pytest.mark.parametrize(
    ("iterable", "start"),
    [
        ([2, 3, 4], 1),
        ([], 1),
        ([], 7),
        (range(1, 20), 1),
        (range(1, 300), 1),  # about 2,000 bits
        ([-3, 5, -7], 2),
        ([1.5, 2.0, -0.25], 1),
        ([2, 0.5, 3], 4.0),
        ([10**100, 10**100], 10**100),
        ([True, 3], 1),
        ([3, 2], "ab"),
        ([3], [1, 2]),
        (["a"], 2),
        ([2, 3], None),
        (5, 1),
    ],
)
def test_prod_matches_math_prod(iterable: Any, start: Any) -> None:
    def plain() -> Any:
        return math.prod(iterable, start=start)

    def sandboxed() -> Any:
        return _prod()(iterable, start=start)

    try:
        expected: Any = ("ok", plain())
    except TypeError as exc:
        expected = ("TypeError", str(exc))
    try:
        got: Any = ("ok", sandboxed())
    except TypeError as exc:
        got = ("TypeError", str(exc))
    assert got == expected


def test_prod_counts_its_steps_and_bounds_each_product() -> None:
    counted = _prod(Limits(max_loop_iterations=10, max_int_bits=100))
    assert counted(iter(range(1, 11))) == math.prod(range(1, 11))
    assert _refused(lambda: counted(iter([1]))) == "loop_iterations"  # the 11th step
    prod = _prod(Limits(max_int_bits=100))
    assert _refused(lambda: prod([2**60, 2**60])) == "int_size"
    assert _refused(lambda: prod([2], start=2**99)) == "int_size"  # start included
    assert _refused(lambda: prod([2**50], start=2**50)) == "int_size"
    assert prod([], start=2**99) == 2**99
    assert prod([2**40, 2**40]) == 2**80
    assert prod([1.5] * 50, start=2.0**90) == math.prod([1.5] * 50, start=2.0**90)
    assert _refused(lambda: _prod(SMALL)([101], start=[0])) == "sequence_length"
    assert _prod(SMALL)([50], start=[0, 1]) == [0, 1] * 50


@pytest.mark.parametrize(
    "code",
    [
        "import math\nprint(math.prod([2, 3], start=4), math.prod([1.5, 2.0]), math.prod([]))",
        "import math\nprint(math.prod(range(1, 300)) == math.prod(range(2, 300)))",
        "import math\nprint(math.prod(range(1, 300)))",
        "import math\nprint(math.prod(x / 2 for x in [1, 2, 3]), math.prod((), start=-1))",
        "import math\nprint(math.prod([3], start=1 << 4000) == 3 << 4000)",
        "import math\nprint(math.prod([3], start=[1, 'a']), math.prod([2], start='xy'))",
        "from math import prod\nprint(prod([-2] * 50), prod([0.5] * 30, start=3))",
        "import math\nprint(math.prod(5))",
        "import math\nprint(math.prod([1, 2], start=None))",
    ],
)
def test_math_prod_in_a_program_matches_python(code: str) -> None:
    assert _sandbox_run(code) == _python_run(code)


@pytest.mark.parametrize(
    "code",
    [
        "import math\nx = math.prod(range(1, 2000), start=1 << 4000)",
        "import math\nx = math.prod(range(1, 2000))",
        "import math\nx = math.prod([2 ** 20], start=1 << 4090)",
        "import math\nx = 3 ** 2000\ny = math.prod([x], start=x)",
        "import math\nx = 1\nfor i in range(20):\n    x = math.prod([x + 1], start=x + 1)",
        "import math\nx = math.prod([100001], start=[0])",
        "import math\nx = math.prod([1000, 1000], start='a')",
    ],
)
def test_math_prod_in_a_program_is_refused_past_the_limits(code: str) -> None:
    assert _limit_of(code) == "LimitExceeded"


@pytest.mark.parametrize(
    "code",
    [
        pytest.param("import math\nprint(math.prod(iterable=[2, 3]))", id="iterable-keyword"),
        pytest.param("import math\nprint(math.prod([2, 3], 4))", id="start-positional"),
    ],
)
def test_math_prod_signature_matches_python(code: str) -> None:
    assert _sandbox_run(code) == _python_run(code)


# --- collections.deque --------------------------------------------------------------------------------
def test_counted_deque_is_python_s_deque_within_the_limit() -> None:
    values = ValueLimits(SMALL)
    made = values.counted_deque(range(100))
    assert type(made) is deque and made == deque(range(100)) and made.maxlen is None
    assert values.counted_deque() == deque()
    assert values.counted_deque("abc", 2) == deque("abc", 2)
    assert values.counted_deque(iterable=[1, 2], maxlen=1) == deque([1, 2], maxlen=1)
    # a maxlen bounds what is kept: a long sequence is fine
    kept = values.counted_deque(list(range(1000)), maxlen=5)
    assert kept == deque(range(1000), maxlen=5) and kept.maxlen == 5
    assert _refused(lambda: values.counted_deque(range(101))) == "sequence_length"
    assert _refused(lambda: values.counted_deque([0] * 101, maxlen=101)) == "sequence_length"


def test_counted_deque_counts_what_it_reads_from_an_iterator() -> None:
    values = ValueLimits(Limits(max_loop_iterations=10))
    assert values.counted_deque(iter(range(10))) == deque(range(10))
    assert _refused(lambda: values.counted_deque(iter(range(1)))) == "loop_iterations"
    values = ValueLimits(Limits(max_loop_iterations=10))
    assert _refused(lambda: values.counted_deque(x for x in range(11))) == "loop_iterations"


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [((1,), {}), (([1],), {"maxlen": -1}), (([1],), {"maxlen": "2"}), (([1], 2.5), {})],
)
def test_counted_deque_errors_are_python_s(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    python = _error_of(lambda: deque(*args, **kwargs))
    assert _error_of(lambda: ValueLimits(SMALL).counted_deque(*args, **kwargs)) == python


def _error_of(call: Callable[[], Any]) -> tuple[str, str]:
    try:
        call()
    except Exception as exc:  # noqa: BLE001 - compared with Python's
        return type(exc).__name__, str(exc)
    raise AssertionError("no error")


@pytest.mark.parametrize("maxlen", [None, 0, 3, 100])
@pytest.mark.parametrize(
    "items",
    [[], [7], list(range(50)), tuple(range(60)), "xyz", range(40), deque([9, 8])],
)
def test_deque_extend_extendleft_and_plus_equal_are_python_s(
    maxlen: int | None, items: Iterable[Any]
) -> None:
    values = ValueLimits(SMALL)
    for grow, plain in (
        (values.list_extend, deque.extend),
        (values.deque_extendleft, deque.extendleft),
        (lambda d, i: values.inplace("+=", d, i), deque.__iadd__),
    ):
        ours: deque[Any] = deque(range(40), maxlen=maxlen)
        theirs: deque[Any] = deque(range(40), maxlen=maxlen)
        grow(ours, items)
        plain(theirs, items)
        assert ours == theirs and ours.maxlen == theirs.maxlen


def test_deque_plus_equal_is_in_place() -> None:
    values = ValueLimits(SMALL)
    target: deque[int] = deque([1])
    assert values.inplace("+=", target, [2, 3]) is target
    assert values.inplace("+=", target, target) is target
    assert target == deque([1, 2, 3, 1, 2, 3])


@pytest.mark.parametrize(
    "grow",
    [
        pytest.param(lambda v, d, i: v.list_extend(d, i), id="extend"),
        pytest.param(lambda v, d, i: v.deque_extendleft(d, i), id="extendleft"),
        pytest.param(lambda v, d, i: v.inplace("+=", d, i), id="plus-equal"),
    ],
)
def test_deque_growth_past_the_limit_is_refused_before_it_is_made(
    grow: Callable[[ValueLimits, deque[Any], Any], Any],
) -> None:
    values = ValueLimits(SMALL)
    target: deque[int] = deque(range(60))
    assert _refused(lambda: grow(values, target, list(range(41)))) == "sequence_length"
    assert _refused(lambda: grow(values, target, target)) == "sequence_length"  # 120 items
    assert target == deque(range(60))  # unchanged: refused before it grew
    grow(values, target, list(range(40)))
    assert len(target) == 100
    bounded: deque[int] = deque(range(60), maxlen=80)
    grow(values, bounded, list(range(1000)))  # at most 80 are kept
    assert len(bounded) == 80
    # what is read from an iterator is counted against the loop limit
    counted = ValueLimits(Limits(max_loop_iterations=5))
    assert _refused(lambda: grow(counted, deque(), iter(range(6)))) == "loop_iterations"


# The sandbox's and Python's ways to grow a deque by a list of items.
_GROW_STEPS: dict[str, Callable[[ValueLimits, deque[Any], Any], Any]] = {
    "extend": lambda v, d, i: v.list_extend(d, i),
    "extendleft": lambda v, d, i: v.deque_extendleft(d, i),
    "+=": lambda v, d, i: v.inplace("+=", d, i),
}
_PLAIN_STEPS: dict[str, Callable[[deque[Any], Any], Any]] = {
    "extend": deque.extend,
    "extendleft": deque.extendleft,
    "+=": deque.__iadd__,
}
_DEQUE_OPS = st.lists(
    st.tuples(
        st.sampled_from(["extend", "extendleft", "+=", "append", "rotate"]),
        st.lists(st.integers(-5, 5), max_size=20),
    ),
    max_size=8,
)


@PROPERTY
@given(st.one_of(st.none(), st.integers(0, 30)), _DEQUE_OPS)
def test_deque_growth_property(maxlen: int | None, ops: list[tuple[str, list[int]]]) -> None:
    """Any sequence of steps: Python's deque, or refused when it would pass 100 items."""
    values = ValueLimits(SMALL)
    ours: deque[int] = values.counted_deque([], maxlen)
    theirs: deque[int] = deque([], maxlen)
    for op, items in ops:
        if op == "rotate":
            ours.rotate(len(items))
            theirs.rotate(len(items))
            continue
        if op == "append":
            ours.append(len(items))
            theirs.append(len(items))
            continue
        grown = len(theirs) + len(items)
        over = grown > 100 and (maxlen is None or min(grown, maxlen) > 100)
        if over:
            _refused(functools.partial(_GROW_STEPS[op], values, ours, items))
        else:
            _GROW_STEPS[op](values, ours, items)
            _PLAIN_STEPS[op](theirs, items)
        assert ours == theirs  # a refused step left the deque as it was


_DEQUE_PROGRAMS = [
    pytest.param(
        "from collections import deque\n"
        "d = deque([1, 2, 3])\n"
        "d.append(4)\n"
        "d.appendleft(0)\n"
        "d.extend([5, 6])\n"
        "d.extendleft('ab')\n"
        "d.rotate(2)\n"
        "print(d, len(d), d.pop(), d.popleft())\n"
        "d.rotate(-1)\n"
        "d += [7, 8]\n"
        "d += (x * x for x in range(3))\n"
        "print(d, d.count(7), list(d), d[0], d[-1])\n",
        id="operations",
    ),
    pytest.param(
        "from collections import deque\n"
        "d = deque(maxlen=3)\n"
        "for i in range(10):\n"
        "    d.append(i)\n"
        "print(d, d.maxlen)\n"
        "d.extend(range(100))\n"
        "print(d)\n"
        "d.extendleft([-1, -2])\n"
        "print(d)\n"
        "d += 'xyz'\n"
        "print(d)\n"
        "d.rotate(1)\n"
        "d.clear()\n"
        "print(d, len(d))\n",
        id="maxlen",
    ),
    pytest.param(
        "from collections import deque\n"
        "d = deque(maxlen=5)\n"
        "d.extend(list(range(1000)))\n"
        "print(d)\n"
        "d.extendleft(list(range(1000)))\n"
        "print(d)\n"
        "d += list(range(2000))\n"
        "print(d, len(d))\n",
        id="maxlen-long-list",
    ),
    pytest.param(
        "import collections\n"
        "d = collections.deque('hello', 4)\n"
        "e = collections.deque(iterable=[1, 2], maxlen=1)\n"
        "print(d, e, type(d), isinstance(d, collections.deque), type(d) is collections.deque)\n",
        id="module-and-maxlen-positional",
    ),
    pytest.param(
        "from collections import deque\n"
        "d = deque([1, 2])\n"
        "d.extend(d)\n"
        "d.extendleft(d)\n"
        "d += d\n"
        "e = d * 2\n"
        "e *= 2\n"
        "print(d, len(e), d + deque([9]), d == deque([2, 1, 2, 1, 1, 2, 1, 2] * 2))\n",
        id="self-growth",
    ),
    pytest.param(
        "from collections import deque\n"
        "graph = {0: [1, 2], 1: [3], 2: [3, 4], 3: [5], 4: [5], 5: []}\n"
        "seen, queue, order = {0}, deque([0]), []\n"
        "while queue:\n"
        "    node = queue.popleft()\n"
        "    order.append(node)\n"
        "    for nxt in graph[node]:\n"
        "        if nxt not in seen:\n"
        "            seen.add(nxt)\n"
        "            queue.append(nxt)\n"
        "print(order)\n",
        id="breadth-first",
    ),
    pytest.param(
        "from collections import deque\n"
        "window = deque(maxlen=4)\n"
        "means = []\n"
        "for loss in [4.0, 3.0, 2.5, 2.0, 1.0, 0.5, 0.25]:\n"
        "    window.append(loss)\n"
        "    means.append(round(sum(window) / len(window), 4))\n"
        "print(means, max(window), sorted(window))\n",
        id="moving-average",
    ),
    pytest.param("from collections import deque\nd = deque([1], maxlen=-1)", id="negative-maxlen"),
    pytest.param("from collections import deque\nd = deque(1)", id="not-iterable"),
    pytest.param("from collections import deque\nd = deque([1])\nd.extend(5)", id="extend-int"),
    pytest.param("from collections import deque\nd = deque([1])\nd += 5", id="plus-equal-int"),
    pytest.param("from collections import deque\nd = deque([1]) + [2]", id="plus-list"),
    pytest.param("from collections import deque\nd = deque()\nd.pop()", id="pop-empty"),
]


@pytest.mark.parametrize("code", _DEQUE_PROGRAMS)
def test_deque_programs_match_python(code: str) -> None:
    assert _sandbox_run(code) == _python_run(code)


@pytest.mark.parametrize(
    "code",
    [
        "from collections import deque\nd = deque([1])\nfor i in range(30):\n    d.extend(d)",
        "from collections import deque\nd = deque([1])\nfor i in range(30):\n    d.extendleft(d)",
        "from collections import deque\nd = deque([1])\nfor i in range(30):\n    d += d",
        "from collections import deque\nd = deque(range(10**6))",
        "from collections import deque\nd = deque([0] * 100000)\nd.extend([1])",
        "from collections import deque\nd = deque([0] * 100000)\nd.extendleft([1])",
        "from collections import deque\nd = deque([0] * 100000)\nd += [1]",
        "from collections import deque\nd = deque([0] * 60000)\ne = d + d",
        "from collections import deque\nd = deque([0] * 1000)\ne = d * 1000",
        "from collections import deque\nd = deque([0] * 1000)\nd *= 1000",
        "import collections\nd = collections.deque([0] * 100000)\nd.extend(d)",
    ],
)
def test_deque_growth_in_a_program_is_refused(code: str) -> None:
    assert _limit_of(code) == "LimitExceeded"


def test_a_deque_with_a_maxlen_may_be_fed_more_than_the_limit() -> None:
    code = (
        "from collections import deque\n"
        "d = deque([0] * 100000, maxlen=100000)\n"
        "d.extend([1] * 100000)\n"
        "d.extendleft([2] * 100000)\n"
        "print(len(d), d[0], d[-1], d.count(2))\n"
    )
    assert _sandbox_run(code) == _python_run(code) == ("100000 2 2 100000\n", None)


def test_deque_growth_under_small_limits() -> None:
    ok = "from collections import deque\nd = deque(range(60))\nd.extend(range(40))\nprint(len(d))"
    assert _sandbox_run(ok, SMALL) == _python_run(ok)
    over = "from collections import deque\nd = deque(range(60))\nd.extend(range(41))"
    assert _limit_of(over, SMALL) == "LimitExceeded"


# --- print ---------------------------------------------------------------------------------------------
def _output(limits: Limits = SMALL) -> Output:
    return Output(ValueLimits(limits))


def _python_print(*args: Any, **kwargs: Any) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        print(*args, **kwargs)
    return out.getvalue()


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        (("x" * 100,) * 10, {"sep": "", "end": ""}),
        (("x" * 100,) * 9, {"sep": "", "end": "y" * 100}),
        (("x" * 99,) * 10, {"sep": "-", "end": ""}),
        (("x" * 99,) * 10, {}),
        (("a",) * 10, {"sep": "x" * 100}),
        ((1, 2.5, "s", [1, "a"], None, (2,)), {"sep": None, "end": None}),
        ((), {"end": "e" * 997}),  # (a str's size is estimated as its repr's: 3 more)
        ((), {}),
        (("\u00e9", "\U0001f600"), {"sep": "|"}),
    ],
)
def test_print_within_the_text_limit_is_python_s(
    args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    out = _output(Limits(max_sequence_length=100, max_stdout_chars=5_000))
    out.print(*args, **kwargs)
    assert out.text == _python_print(*args, **kwargs)
    assert not out.truncated


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        (("x" * 100,) * 10, {"sep": "", "end": "!"}),
        (("x" * 100,) * 10, {}),
        (("x" * 100,) * 9, {"sep": "", "end": "y" * 101}),
        (("x" * 99,) * 10, {"sep": "--", "end": ""}),
        (("a",) * 11, {"sep": "x" * 100}),
        (("x" * 100,) * 300, {}),
        (([0] * 50,) * 10, {}),
    ],
)
def test_print_over_the_text_limit_is_refused_and_writes_nothing(
    args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    assert len(_python_print(*args, **kwargs)) > 1_000
    out = _output()
    out.print("before")
    assert _refused(lambda: out.print(*args, **kwargs)) == "sequence_length"
    assert out.text == "before\n"


def test_a_line_of_many_long_arguments_is_refused_in_a_program() -> None:
    code = "print('before')\nprint(*['x' * 1000] * 2000)\nprint('after')"
    record = evaluate(code)
    assert record.error is not None and record.error.type == "LimitExceeded"
    assert record.stdout == "before\n"
    many = "line = ['x' * 100] * 1000\nprint(*line, sep='y' * 10000)"  # the separators add up
    assert _limit_of(many) == "LimitExceeded"


def test_a_long_line_within_the_text_limit_is_cut_at_the_output_limit() -> None:
    code = "print(*['x' * 1000] * 999)"
    record = evaluate(code)
    assert record.error is None
    assert record.stdout_truncated
    expected = _python_run(code)[0][: DEFAULT_LIMITS.max_stdout_chars]
    assert record.stdout == expected


@pytest.mark.parametrize(
    "code",
    [
        "print(1, 2.5, 'a', [1, 'b'], (2,), {'k': None}, True)",
        "print('a', 'b', sep='', end='!')\nprint('c', sep=None, end=None)\nprint()",
        "print(*range(10), sep=', ')\nprint(*'abc', sep='\\n')",
        "print(*[[i] * 3 for i in range(4)])\nprint('x' * 500, 'y' * 500, sep='|')",
        "print('\\u00e9', '\\U0001f600', b'bytes', 3 + 4j, -0.0, 1e100)",
    ],
)
def test_ordinary_prints_in_a_program_match_python(code: str) -> None:
    assert _sandbox_run(code) == _python_run(code)


@pytest.mark.parametrize(
    "code",
    [
        pytest.param("print('a', 'b', sep=1)", id="sep-int"),
        pytest.param("print('a', 'b', end=2)", id="end-int"),
    ],
)
def test_print_refuses_a_separator_that_is_not_text(code: str) -> None:
    assert _sandbox_run(code) == _python_run(code)


def test_print_to_a_file_is_still_refused() -> None:
    with pytest.raises(SandboxViolation):
        _output().print("x", file=object())
