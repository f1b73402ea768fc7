"""Compiling a checked program (app/language/compile.py): the gallery and the teaching
constructs pass, the compiler's own refusals come back as refusals, one code object per
top-level statement."""

from __future__ import annotations

import ast

import pytest

from app.language.compile import compile_program
from app.language.errors import RefusedProgram
from app.limits import Limits
from tests.unit.programs import EXAMPLES, TEACHING


def _refusal(source: str, limits: Limits | None = None) -> RefusedProgram:
    with pytest.raises(RefusedProgram) as caught:
        compile_program(source, limits or Limits())
    return caught.value


@pytest.mark.parametrize("example_id", sorted(EXAMPLES))
def test_gallery_example_accepted(example_id: str) -> None:
    compile_program(EXAMPLES[example_id], Limits())


@pytest.mark.parametrize("name", sorted(TEACHING))
def test_teaching_construct_accepted(name: str) -> None:
    compile_program(TEACHING[name], Limits())


@pytest.mark.parametrize("name", sorted(TEACHING))
def test_one_code_object_per_top_level_statement(name: str) -> None:
    program = compile_program(TEACHING[name], Limits())
    assert program.source == TEACHING[name]
    assert len(program.codes) == len(ast.parse(TEACHING[name]).body)
    assert all(code.co_filename == "<program>" for code in program.codes)


# (source, kind, line, col): col is 1-based, as editors count. The parser reads these; the
# compiler refuses them.
COMPILER_REFUSED = [
    ("x = (yield)", "SyntaxError", 1, 6),
    ("return 1", "SyntaxError", 1, 1),
    ("x = 1\nbreak", "SyntaxError", 2, 1),
    ("def f(a, a):\n    pass", "SyntaxError", 1, 10),
    ("x = [i async for i in y]", "SyntaxError", 1, 5),
]


@pytest.mark.parametrize(
    ("source", "kind", "line", "col"), COMPILER_REFUSED, ids=[r[0] for r in COMPILER_REFUSED]
)
def test_refused_with_kind_and_position(source: str, kind: str, line: int, col: int) -> None:
    refusal = _refusal(source)
    assert (refusal.kind, refusal.line, refusal.col) == (kind, line, col), refusal.message


def test_code_over_the_length_limit() -> None:
    refusal = _refusal("x = 1\n" * 5_000)
    assert refusal.kind == "CodeTooLong"
    assert "30000" in refusal.message and "20000" in refusal.message


def test_nested_blocks_refused_by_the_compiler() -> None:
    source = "".join(" " * i + "for i in []:\n" for i in range(25)) + " " * 25 + "pass\n"
    assert _refusal(source).kind == "SyntaxError"
