"""Parse a program and walk its syntax tree once, refusing it if it is too large or too deep.

Identifiers are checked after Python's NFKC normalisation (the parser applies it), so a name
written in other Unicode letters that normalises to a ``__dunder__`` name is caught by the
checks that follow. The walk is iterative: a deeply nested program must not crash us.
"""

from __future__ import annotations

import ast

from app.language.errors import RefusedProgram
from app.limits import Limits

PROGRAM_FILENAME = "<program>"
# The runtime's helpers the rewritten program calls (``_ag_getattr``...): a program may not
# name anything so. One underscore: class bodies would mangle a "__" prefix.
HELPER_PREFIX = "_ag_"

# Leaves that carry no name, value or position: counted, never checked.
OPERATORS_AND_CONTEXTS = (ast.expr_context, ast.boolop, ast.operator, ast.unaryop, ast.cmpop)

Walked = list[tuple[ast.AST, ast.AST | None]]


def parse(source: str) -> ast.Module:
    try:
        return ast.parse(source, filename=PROGRAM_FILENAME, mode="exec")
    except SyntaxError as exc:
        raise RefusedProgram(
            "SyntaxError", exc.msg or "invalid syntax", exc.lineno, exc.offset
        ) from exc
    except (RecursionError, MemoryError) as exc:
        raise RefusedProgram("ProgramTooComplex", "program is nested too deeply to parse") from exc
    except ValueError as exc:  # e.g. "source code string cannot contain null bytes"
        raise RefusedProgram("SyntaxError", str(exc)) from exc
    except Exception as exc:
        raise RefusedProgram("SyntaxError", f"program could not be parsed: {exc}") from exc


def nodes_with_parents(
    root: ast.AST,
    limits: Limits,
    *,
    parent: ast.AST | None = None,
    depth: int = 0,
    counted: int = 0,
) -> tuple[list[tuple[ast.AST, ast.AST | None]], int]:
    """Every node under ``root`` in source order with its parent: the one walk the checks
    share; and ``counted`` plus the nodes it found (operators and contexts included).

    Iterative, and it refuses a program with too many nodes (``counted`` were found before
    ``root``) or nested too deeply while it walks (a deep AST must not crash us).
    """
    nodes: list[tuple[ast.AST, ast.AST | None]] = []
    leaves = counted  # and contexts and operators: counted, never checked (no fields)
    stack: list[tuple[ast.AST, ast.AST | None, int]] = [(root, parent, depth)]
    while stack:
        node, parent, depth = stack.pop()
        if len(nodes) + leaves >= limits.max_ast_nodes:
            raise too_large(limits)
        # Nodes without a position (operators, contexts) are leaves: the depth refusal names
        # the first too-deep node that has a line and column.
        if depth > limits.max_ast_depth and hasattr(node, "lineno"):
            line, col = position(node)
            raise RefusedProgram(
                "ProgramTooComplex",
                f"expression nested more than {limits.max_ast_depth} levels deep",
                line,
                col,
            )
        nodes.append((node, parent))
        children = list(ast.iter_child_nodes(node))
        children.reverse()
        for child in children:
            if isinstance(child, OPERATORS_AND_CONTEXTS):
                leaves += 1
            else:
                stack.append((child, node, depth + 1))
    return nodes, len(nodes) + leaves


def too_large(limits: Limits) -> RefusedProgram:
    return RefusedProgram(
        "ProgramTooLarge", f"program has more than {limits.max_ast_nodes} syntax nodes"
    )


def position(node: ast.AST) -> tuple[int | None, int | None]:
    line = getattr(node, "lineno", None)
    col = getattr(node, "col_offset", None)
    return line, (col + 1 if col is not None else None)
