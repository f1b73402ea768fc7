"""Checked statements reused across programs: the same code as checking afresh, never a
statement that was not checked, and the right line numbers."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from types import CodeType

import pytest
import torch

from app.evaluate import evaluate
from app.examples import load_examples
from app.language import compile as policy
from app.language import rewrite
from app.language.compile import compile_program
from app.language.errors import RefusedProgram
from app.language.runtime import Runtime
from app.language.statement_cache import CheckedStatement, StatementCache
from app.limits import Limits
from tests.unit.programs import TEACHING

PROGRAMS = {**{e.id: e.code for e in load_examples()}, **TEACHING}


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    policy._STATEMENTS.clear()
    yield
    policy._STATEMENTS.clear()


def _fresh(source: str) -> tuple[CodeType, ...]:
    """The program's code objects as the policy makes them with nothing cached."""
    policy._STATEMENTS.clear()
    return compile_program(source, Limits()).codes


def _refusal(source: str, limits: Limits | None = None) -> RefusedProgram:
    with pytest.raises(RefusedProgram) as caught:
        compile_program(source, limits or Limits())
    return caught.value


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_cached_statements_compile_to_the_same_code(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = PROGRAMS[name]
    fresh = compile_program(source, Limits()).codes
    assert len(policy._STATEMENTS) == len(fresh) == len(ast.parse(source).body)

    def not_again(statement: ast.stmt) -> list[ast.stmt]:
        raise AssertionError(f"line {statement.lineno} was rewritten again")

    monkeypatch.setattr(policy, "rewritten", not_again)
    again = compile_program(source, Limits()).codes  # every statement from the cache
    assert again == fresh  # code objects compare by bytecode, constants, names and positions


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_an_edited_program_compiles_as_if_checked_afresh(name: str) -> None:
    source = PROGRAMS[name]
    compile_program(source, Limits())
    edited = source + "\nedited = 1\n"
    assert compile_program(edited, Limits()).codes == _fresh(edited)


def test_the_whole_rewrite_matches_rewriting_the_tree_at_once() -> None:
    """Statement by statement, the rewriter makes what one walk of the whole tree made
    (programs without temporaries, whose names are numbered per statement now)."""
    source = PROGRAMS["training_loop"]
    whole = rewrite._Rewriter().visit(ast.parse(source))
    statements = [new for old in ast.parse(source).body for new in rewrite.rewritten(old)]
    assert ast.dump(ast.Module(statements, type_ignores=[])) == ast.dump(whole)


def test_statements_run_in_turn_as_a_module_runs_them() -> None:
    source = "def f():\n    return g * 2\ng = 3\nh = f()\nt = torch.ones(2) * h\n"
    namespace = Runtime(Limits()).namespace()
    for code in compile_program(source, Limits()).codes:
        exec(code, namespace)  # noqa: S102 - a checked program
    plain: dict[str, object] = {"torch": torch}
    exec(source, plain)  # noqa: S102 - the same text, unchecked
    assert (namespace["g"], namespace["h"]) == (plain["g"], plain["h"]) == (3, 6)
    assert torch.equal(namespace["t"], plain["t"])  # type: ignore[arg-type]
    # An error ends the program there: no statement after it runs.
    record = evaluate("x = torch.ones(1)\ny = x.no_such_method()\nz = torch.zeros(2)\n")
    assert record.error is not None and record.error.line == 2
    assert record.graph is not None
    assert {node.get("name") for node in record.graph["nodes"]} == {"x"}


def test_line_numbers_follow_the_statement_not_the_text() -> None:
    program = "x = torch.ones(2)\ny = x.no_such_method()\n"
    first = evaluate(program)
    moved = evaluate("\n\n" + program)  # same statements, two lines lower
    assert first.error is not None and moved.error is not None
    assert (first.error.line, moved.error.line) == (2, 4)


def test_a_statement_that_was_not_checked_is_never_reused() -> None:
    compile_program("x = 1\nclass f:\n    x = 1\n", Limits())
    # Same `class` text on the same line, now with a decorator above it: a different key.
    refusal = _refusal("@dataclass\nclass f:\n    x = 1\n")
    assert (refusal.message, refusal.line) == ("class decorators are not available", 1)
    # A refused program leaves nothing behind, not even its allowed statements, whether the
    # policy refused it or the compiler did.
    before = len(policy._STATEMENTS)
    _refusal("a = 1\nb = 2\nimport os\n")
    assert _refusal("c = 1\nreturn c\n").message == "'return' outside function"
    assert len(policy._STATEMENTS) == before


def test_refusals_are_the_same_with_a_warm_cache() -> None:
    hostile = "x = torch.ones(2)\ny = x.__dict__\nz = 3\n"
    cold = _refusal(hostile)
    compile_program("x = torch.ones(2)\nw = 2\nz = 3\n", Limits())  # lines 1 and 3 cached
    warm = _refusal(hostile)
    assert (warm.kind, warm.message, warm.line, warm.col) == (
        cold.kind,
        cold.message,
        cold.line,
        cold.col,
    )


def test_the_node_limit_counts_cached_statements() -> None:
    source = "x = 1\n" * 20
    compile_program(source, Limits())
    assert _refusal(source, Limits(max_ast_nodes=50)).kind == "ProgramTooLarge"


def test_the_depth_limit_is_part_of_the_key() -> None:
    source = "y = " + "-" * 20 + "1\n"
    compile_program(source, Limits())
    assert _refusal(source, Limits(max_ast_depth=10)).kind == "ProgramTooComplex"


@pytest.mark.parametrize(
    "source",
    [
        "a = 1\r\nb = 2\r\nc = (3,\r\n     4)\r\n",
        "a = 1\rb = 2\rc = 3\r",
        "a = 1; b = 2\nc = 3\n",
        "s = 'x\\\ny'\nt = 1\n",
        "a = '\x0c\u2028\x85'\nb = 1\n",  # not line breaks to Python's tokenizer
        "a = 1 + \\\n    2; b = 3\nc = 4\n",
        "class M(nn.Module):\n    def forward(self, x):\n        return x\n\nm = M()\n",
    ],
)
def test_a_key_holds_its_statement_text(source: str) -> None:
    statements = ast.parse(source).body
    keys = StatementCache(8, 1000).keys(source, statements, depth_limit=100)
    for statement, key in zip(statements, keys, strict=True):
        assert key is not None
        segment = ast.get_source_segment(source, statement)
        assert segment is not None
        normalised = segment.replace("\r\n", "\n").replace("\r", "\n")
        assert normalised in key[-1]
        assert key[0] == statement.lineno and key[2] == statement.end_lineno


def test_the_cache_is_bounded_in_entries_and_text() -> None:
    cache = StatementCache(entries=3, max_chars=20)
    source = "".join(f"v{i} = {i}\n" for i in range(5)) + "w = '" + "x" * 30 + "'\n"
    statements = ast.parse(source).body
    keys = cache.keys(source, statements, depth_limit=100)
    assert keys[-1] is None  # too long to keep
    entry = CheckedStatement(nodes=1, code=compile("", "<program>", "exec"))
    for key in keys:
        cache.put(key, entry)
    assert len(cache) == 3
    assert cache.get(keys[0]) is None and cache.get(keys[4]) is entry
