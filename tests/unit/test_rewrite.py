"""The rewrite of checked statements into guarded code (app/language/rewrite.py)."""

from __future__ import annotations

import ast

import pytest

from app.language import rewrite
from app.language.parse import HELPER_PREFIX
from app.language.runtime import Runtime
from app.limits import Limits
from tests.unit.programs import EXAMPLES, TEACHING

PROGRAMS = [EXAMPLES[k] for k in sorted(EXAMPLES)] + [TEACHING[k] for k in sorted(TEACHING)]


@pytest.mark.parametrize("source", PROGRAMS)
def test_rewrite_equals_the_standard_library_walk(source: str) -> None:
    """The rewriter's own fast walk (it skips names, constants, operators and contexts) makes
    exactly the tree ``ast.NodeTransformer``'s stock walk makes, positions included."""

    class Stock(rewrite._Rewriter):
        visit = ast.NodeTransformer.visit
        generic_visit = ast.NodeTransformer.generic_visit

    fast = rewrite._Rewriter().visit(ast.parse(source))
    stock = Stock().visit(ast.parse(source))
    assert ast.dump(fast, include_attributes=True) == ast.dump(stock, include_attributes=True)


def _rewritten_module(source: str) -> ast.Module:
    body = [new for statement in ast.parse(source).body for new in rewrite.rewritten(statement)]
    return ast.Module(body=body, type_ignores=[])


@pytest.mark.parametrize("source", PROGRAMS)
def test_attribute_reads_and_growing_operators_go_through_guards(source: str) -> None:
    """No attribute is read, and no ``+ * ** << %`` is applied, but by a runtime helper (the
    one exception: ``super().__init__()``)."""
    for node in ast.walk(_rewritten_module(source)):
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
            assert node.attr == "__init__" and isinstance(node.value, ast.Call), ast.dump(node)
        if isinstance(node, ast.BinOp):
            assert type(node.op) not in rewrite._GUARDED_BINOPS, ast.dump(node)


@pytest.mark.parametrize("source", PROGRAMS)
def test_every_helper_the_rewritten_code_calls_is_one_the_runtime_supplies(source: str) -> None:
    module = _rewritten_module(source)
    loaded = {
        node.id
        for node in ast.walk(module)
        if isinstance(node, ast.Name) and node.id.startswith(HELPER_PREFIX)
    }
    temps = {  # names the rewriter binds itself (unpacking targets)
        node.id
        for node in ast.walk(module)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
    }
    assert loaded - temps <= set(Runtime(Limits()).namespace())
