"""Compile a program for the guarded runtime: parse, check, rewrite, compile, statement by statement.

The checked, rewritten AST itself is what gets compiled: the source text is never parsed
twice. Each top-level statement is compiled to a code object of its own, run in turn in the
program's namespace as a module's statements are; one identical in text and place to a
statement checked before is taken from ``statement_cache.py``, code object and all, instead
of being checked, rewritten and compiled again.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from types import CodeType

from app.language.check import check
from app.language.errors import RefusedProgram
from app.language.notebook_lines import without_notebook_lines
from app.language.parse import PROGRAM_FILENAME, nodes_with_parents, parse, too_large
from app.language.rewrite import rewritten
from app.language.statement_cache import CheckedStatement, StatementCache
from app.limits import Limits


@dataclass(frozen=True)
class CompiledProgram:
    """A program that passed the policy: a code object per top-level statement, rewritten, to
    run one after the other in one namespace (``exec`` each), and its source."""

    codes: tuple[CodeType, ...]
    source: str
    # Notebook lines (``%matplotlib inline``, ``!pip ...``) skipped: ``notebook_lines.py``.
    skipped: tuple[int, ...] = ()


def compile_program(source: str, limits: Limits) -> CompiledProgram:
    """Parse, validate and rewrite ``source``; raise RefusedProgram with line and column if refused."""
    if len(source) > limits.max_code_chars:
        raise RefusedProgram(
            "CodeTooLong",
            f"program is {len(source)} characters long; the limit is {limits.max_code_chars}",
        )
    skipped: tuple[int, ...] = ()
    try:
        tree = parse(source)
    except RefusedProgram as refusal:  # a notebook cell's magics: skipped, if that is all
        cleaned, skipped = without_notebook_lines(source)
        if not skipped or refusal.kind != "SyntaxError":
            raise
        tree = parse(cleaned)  # else refused with the error left once they are skipped
        source = cleaned
    try:
        codes = _checked_codes(tree, source, limits)
    except (RecursionError, MemoryError) as exc:
        raise RefusedProgram(
            "ProgramTooComplex", "program is nested too deeply to compile"
        ) from exc
    except (
        SyntaxError
    ) as exc:  # found by the compiler, not the parser: 'return' outside function...
        raise RefusedProgram(
            "SyntaxError", exc.msg or "invalid syntax", exc.lineno, exc.offset
        ) from exc
    except (ValueError, TypeError) as exc:
        raise RefusedProgram("SyntaxError", f"program could not be compiled: {exc}") from exc
    return CompiledProgram(codes=codes, source=source, skipped=skipped)


# What the policy made of recent top-level statements (see statement_cache.py). The zygote's

# warm-up fills it with the gallery's statements, so every worker starts with those checked.
_STATEMENTS = StatementCache(entries=512, max_chars=2_000)


def _checked_codes(tree: ast.Module, source: str, limits: Limits) -> tuple[CodeType, ...]:
    """The program's statements checked, rewritten and compiled, each reused from the cache if
    it has it.

    As for one walk of the whole tree: first every size and depth refusal (in source order),
    then the first disallowed construct; then the rewrite, then the compiler's own refusals
    (``return`` outside a function). A refused program leaves nothing in the cache.
    """
    statements = tree.body
    keys = _STATEMENTS.keys(source, statements, limits.max_ast_depth)
    cached = [_STATEMENTS.get(key) for key in keys]
    walked: dict[int, tuple[list[tuple[ast.AST, ast.AST | None]], int]] = {}
    count = 1  # the module itself
    for index, (statement, entry) in enumerate(zip(statements, cached, strict=True)):
        if entry is not None:
            count += entry.nodes
            if count > limits.max_ast_nodes:
                raise too_large(limits)
            continue
        before = count
        nodes, count = nodes_with_parents(statement, limits, parent=tree, depth=1, counted=count)
        walked[index] = nodes, count - before
    for nodes, _ in walked.values():
        check(nodes)
    checked = {
        index: CheckedStatement(walked[index][1], _compile(rewritten(statements[index])))
        for index in walked
    }
    for index, entry in checked.items():
        _STATEMENTS.put(keys[index], entry)
    return tuple((entry or checked[index]).code for index, entry in enumerate(cached))


def _compile(body: list[ast.stmt]) -> CodeType:
    """Compile rewritten statements as a module. The rewriter gives every node it makes a
    position; should one lack it, ``fix_missing_locations`` (a walk of the tree) fills it in."""
    tree = ast.Module(body=body, type_ignores=[])
    try:
        return compile(tree, PROGRAM_FILENAME, "exec", dont_inherit=True)
    except (TypeError, ValueError):
        return compile(ast.fix_missing_locations(tree), PROGRAM_FILENAME, "exec", dont_inherit=True)
