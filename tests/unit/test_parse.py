"""Parsing and the one walk the checks share (app/language/parse.py): what the parser cannot
read, and programs too large or too deep, are refused with their position, never a crash."""

from __future__ import annotations

import ast

import pytest

from app.language.compile import compile_program
from app.language.errors import RefusedProgram
from app.language.parse import OPERATORS_AND_CONTEXTS, nodes_with_parents, parse
from app.limits import Limits
from tests.unit.programs import EXAMPLES, TEACHING


def _refusal(source: str, limits: Limits | None = None) -> RefusedProgram:
    with pytest.raises(RefusedProgram) as caught:
        compile_program(source, limits or Limits())
    return caught.value


@pytest.mark.parametrize(
    "source", [EXAMPLES[k] for k in sorted(EXAMPLES)] + [TEACHING[k] for k in sorted(TEACHING)]
)
def test_the_walk_finds_every_node_with_its_parent_in_source_order(source: str) -> None:
    """The iterative walk yields what ``ast.walk`` finds (operators and contexts counted, not
    yielded), each with its real parent, parents before children, statements in order."""
    tree = parse(source)
    walked, count = nodes_with_parents(tree, Limits())
    everything = list(ast.walk(tree))
    assert count == len(everything)
    kept = [node for node in everything if not isinstance(node, OPERATORS_AND_CONTEXTS)]
    assert sorted(map(id, (node for node, _ in walked))) == sorted(map(id, kept))
    parents = {id(child): node for node in everything for child in ast.iter_child_nodes(node)}
    assert all(parent is parents.get(id(node)) for node, parent in walked)
    position = {id(node): i for i, (node, _) in enumerate(walked)}
    assert all(position[id(parent)] < position[id(node)] for node, parent in walked if parent)
    statements = [position[id(statement)] for statement in tree.body]
    assert statements == sorted(statements)


# (source, kind, line, col): col is 1-based, as editors count.
UNPARSABLE = [
    ("x = (", "SyntaxError", 1, 5),
]


@pytest.mark.parametrize(
    ("source", "kind", "line", "col"), UNPARSABLE, ids=[r[0] for r in UNPARSABLE]
)
def test_refused_with_kind_and_position(source: str, kind: str, line: int, col: int) -> None:
    refusal = _refusal(source)
    assert (refusal.kind, refusal.line, refusal.col) == (kind, line, col), refusal.message


# --- parser bombs: refused, never a crash ----------------------------------------------------------
BIG = Limits(max_code_chars=10_000_000, max_ast_nodes=10_000_000)


def test_deeply_nested_parentheses() -> None:
    assert _refusal("x = " + "(" * 10_000 + "1" + ")" * 10_000, BIG).kind in (
        "SyntaxError",
        "ProgramTooComplex",
    )


def test_deeply_nested_lists() -> None:
    assert _refusal("x = " + "[" * 10_000 + "]" * 10_000, BIG).kind in (
        "SyntaxError",
        "ProgramTooComplex",
    )


def test_long_sum_chain() -> None:
    assert _refusal("x = " + "+".join(["1"] * 100_000), BIG).kind == "ProgramTooComplex"


def test_long_unary_chain() -> None:
    assert _refusal("x = " + "-" * 100_000 + "1", BIG).kind == "ProgramTooComplex"


def test_expression_deeper_than_the_limit() -> None:
    refusal = _refusal("x = 1\ny = " + "-" * 150 + "1")
    assert (refusal.kind, refusal.line) == ("ProgramTooComplex", 2)


def test_nul_byte() -> None:
    refusal = _refusal("x = 1\x00")
    assert refusal.kind == "SyntaxError"
    assert "null" in refusal.message


def test_lone_surrogate() -> None:
    assert _refusal("x = '\ud800'").kind == "SyntaxError"


def test_too_many_syntax_nodes() -> None:
    refusal = _refusal("x = 1\n" * 10_000, Limits(max_code_chars=1_000_000))
    assert refusal.kind == "ProgramTooLarge"
    assert "20000" in refusal.message


def test_huge_integer_literal() -> None:
    assert _refusal("x = " + "9" * 19_000).kind == "SyntaxError"
