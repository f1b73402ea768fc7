"""What a program prints (app/language/output.py): as Python prints it, captured, checked for
size before it is made, truncated at the limit."""

from __future__ import annotations

import contextlib
import io

import pytest

from app.evaluate import evaluate
from app.language.errors import SandboxViolation
from app.language.output import Output
from app.language.values import ValueLimits
from app.limits import Limits


def _output(max_stdout_chars: int = 20_000) -> Output:
    return Output(ValueLimits(Limits(max_stdout_chars=max_stdout_chars)))


def test_fstrings_and_printing_match_python() -> None:
    record = evaluate(
        "x = [1, 2.5, 'a']\nprint(x, str(x), repr('q'), f'{x} {x!r} {3.14159:.2f} {7:>4}')\n"
        "print('-'.join(['a', 'b']), '%s|%5.1f' % ('s', 2.25), sep=' / ', end='!')"
    )
    assert record.error is None
    assert record.stdout == (
        "[1, 2.5, 'a'] [1, 2.5, 'a'] 'q' [1, 2.5, 'a'] [1, 2.5, 'a'] 3.14    7\na-b / s|  2.2!"
    )


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        ((1, "a", [2.5]), {}),
        (("a", "b"), {"sep": None, "end": None}),
        (("a", "b"), {"sep": "", "end": ""}),
        ((), {}),
        (("x",), {"flush": True}),
    ],
)
def test_print_writes_what_python_prints(
    args: tuple[object, ...], kwargs: dict[str, object]
) -> None:
    out = _output()
    out.print(*args, **kwargs)  # type: ignore[arg-type]
    with contextlib.redirect_stdout(io.StringIO()) as python:
        print(*args, **kwargs)  # type: ignore[call-overload]
    assert out.text == python.getvalue()
    assert not out.truncated


def test_output_is_cut_at_the_limit_and_says_so() -> None:
    out = _output(max_stdout_chars=8)
    out.print("abcde")
    assert (out.text, out.truncated) == ("abcde\n", False)
    out.print("fghij")
    assert (out.text, out.truncated) == ("abcde\nfg", True)
    out.print("more")
    assert (out.text, out.chars) == ("abcde\nfg", 8)


def test_printing_to_a_file_is_refused() -> None:
    out = _output()
    with pytest.raises(SandboxViolation, match="file="):
        out.print("x", file=io.StringIO())
    assert out.text == ""
