"""Parse a program, check its AST against the allowlist, and rewrite it for the guarded runtime.

Checks run on the parsed AST (after Python's NFKC normalisation of identifiers, so names
written in other Unicode letters that normalise to ``__dunder__`` names are caught), and the
validated, rewritten AST itself is what gets compiled: the source text is never parsed twice.
Each top-level statement is compiled to a code object of its own, run in turn in the
program's namespace as a module's statements are; one identical in text and place to a
statement checked before is taken from ``statement_cache.py``, code object and all, instead
of being checked, rewritten and compiled again.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from types import CodeType
from typing import Any, TypeVar

from app.language.allowlist import IMPORTABLE_MODULES, MODULE_ATTRS
from app.language.errors import RefusedProgram
from app.language.statement_cache import CheckedStatement, StatementCache
from app.limits import Limits

PROGRAM_FILENAME = "<program>"
HELPER_PREFIX = "_ag_"  # one underscore: class bodies would mangle a "__" prefix

_ALLOWED_NODES: tuple[type[ast.AST], ...] = (
    # statements
    ast.Module,
    ast.Expr,
    ast.Assign,
    ast.AugAssign,
    ast.AnnAssign,
    ast.For,
    ast.While,
    ast.If,
    ast.With,
    ast.withitem,
    ast.FunctionDef,
    ast.ClassDef,
    ast.Return,
    ast.Pass,
    ast.Break,
    ast.Continue,
    ast.Delete,
    ast.Import,
    ast.ImportFrom,
    ast.alias,
    ast.Assert,
    # expressions
    ast.BoolOp,
    ast.BinOp,
    ast.UnaryOp,
    ast.Compare,
    ast.Call,
    ast.keyword,
    ast.Attribute,
    ast.Subscript,
    ast.Slice,
    ast.Name,
    ast.Constant,
    ast.List,
    ast.Tuple,
    ast.Dict,
    ast.Set,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
    ast.comprehension,
    ast.IfExp,
    ast.Lambda,
    ast.Starred,
    ast.JoinedStr,
    ast.FormattedValue,
    ast.NamedExpr,
    ast.arguments,
    ast.arg,
    # contexts and operators
    ast.expr_context,
    ast.boolop,
    ast.operator,
    ast.unaryop,
    ast.cmpop,
)

# The node types _Validator._check_node looks into (the parser makes exact types only).
_CHECKED_TYPES = frozenset(
    {
        ast.Name,
        ast.Attribute,
        ast.arg,
        ast.keyword,
        ast.FunctionDef,
        ast.Lambda,
        ast.ClassDef,
        ast.Import,
        ast.ImportFrom,
        ast.With,
        ast.For,
        ast.comprehension,
        ast.FormattedValue,
        ast.AnnAssign,
    }
)

# Allowed leaves that carry no name, value or position: the checks pass over them.
_OPERATORS_AND_CONTEXTS = (ast.expr_context, ast.boolop, ast.operator, ast.unaryop, ast.cmpop)

# Friendly names for constructs people try that are outside the allowlist.
_CONSTRUCT_NAMES: dict[type[ast.AST], str] = {
    ast.Try: "try/except",
    ast.Raise: "raise",
    ast.Global: "global",
    ast.Nonlocal: "nonlocal",
    ast.Yield: "yield (generators)",
    ast.YieldFrom: "yield from",
    ast.Await: "await",
    ast.AsyncFunctionDef: "async def",
    ast.AsyncFor: "async for",
    ast.AsyncWith: "async with",
    ast.Match: "match",
    ast.TryStar: "try/except*",
}

_GUARDED_BINOPS: dict[type[ast.operator], str] = {
    ast.Add: "add",
    ast.Mult: "mul",
    ast.Pow: "pow",
    ast.LShift: "lshift",
    ast.Mod: "mod",
}
_AUG_OPS: dict[type[ast.operator], str] = {
    ast.Add: "+=",
    ast.Sub: "-=",
    ast.Mult: "*=",
    ast.Div: "/=",
    ast.FloorDiv: "//=",
    ast.Mod: "%=",
    ast.Pow: "**=",
    ast.MatMult: "@=",
    ast.BitAnd: "&=",
    ast.BitOr: "|=",
    ast.BitXor: "^=",
    ast.LShift: "<<=",
    ast.RShift: ">>=",
}
_MAX_FORMAT_WIDTH_DIGITS = 3


@dataclass(frozen=True)
class CompiledProgram:
    """A program that passed the policy: a code object per top-level statement, rewritten, to
    run one after the other in one namespace (``exec`` each), and its source."""

    codes: tuple[CodeType, ...]
    source: str


def compile_program(source: str, limits: Limits) -> CompiledProgram:
    """Parse, validate and rewrite ``source``; raise RefusedProgram with line and column if refused."""
    if len(source) > limits.max_code_chars:
        raise RefusedProgram(
            "CodeTooLong",
            f"program is {len(source)} characters long; the limit is {limits.max_code_chars}",
        )
    tree = _parse(source)
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
    return CompiledProgram(codes=codes, source=source)


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
                raise _too_large(limits)
            continue
        before = count
        nodes, count = _nodes_with_parents(statement, limits, parent=tree, depth=1, counted=count)
        walked[index] = nodes, count - before
    for nodes, _ in walked.values():
        _Validator().check(nodes)
    checked = {
        index: CheckedStatement(walked[index][1], _compile(_rewritten(statements[index])))
        for index in walked
    }
    for index, entry in checked.items():
        _STATEMENTS.put(keys[index], entry)
    return tuple((entry or checked[index]).code for index, entry in enumerate(cached))


def _rewritten(statement: ast.stmt) -> list[ast.stmt]:
    """One top-level statement through the rewriter: none, one or several statements."""
    result = _Rewriter().visit(statement)
    if result is None:
        return []
    return result if isinstance(result, list) else [result]


def _compile(body: list[ast.stmt]) -> CodeType:
    """Compile rewritten statements as a module. The rewriter gives every node it makes a
    position; should one lack it, ``fix_missing_locations`` (a walk of the tree) fills it in."""
    tree = ast.Module(body=body, type_ignores=[])
    try:
        return compile(tree, PROGRAM_FILENAME, "exec", dont_inherit=True)
    except (TypeError, ValueError):
        return compile(ast.fix_missing_locations(tree), PROGRAM_FILENAME, "exec", dont_inherit=True)


def _parse(source: str) -> ast.Module:
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


def _nodes_with_parents(
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
            raise _too_large(limits)
        # Nodes without a position (operators, contexts) are leaves: the depth refusal names
        # the first too-deep node that has a line and column.
        if depth > limits.max_ast_depth and hasattr(node, "lineno"):
            line, col = _position(node)
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
            if isinstance(child, _OPERATORS_AND_CONTEXTS):
                leaves += 1
            else:
                stack.append((child, node, depth + 1))
    return nodes, len(nodes) + leaves


def _too_large(limits: Limits) -> RefusedProgram:
    return RefusedProgram(
        "ProgramTooLarge", f"program has more than {limits.max_ast_nodes} syntax nodes"
    )


def _position(node: ast.AST) -> tuple[int | None, int | None]:
    line = getattr(node, "lineno", None)
    col = getattr(node, "col_offset", None)
    return line, (col + 1 if col is not None else None)


def _refuse(node: ast.AST, message: str, kind: str = "RefusedConstruct") -> RefusedProgram:
    line, col = _position(node)
    return RefusedProgram(kind, message, line, col)


def _is_super_init(node: ast.Attribute) -> bool:
    """``super().__init__`` (or ``super(Cls, self).__init__``): the one dunder a program may use."""
    value = node.value
    return (
        node.attr == "__init__"
        and isinstance(value, ast.Call)
        and isinstance(value.func, ast.Name)
        and value.func.id == "super"
        and not value.keywords
        and all(isinstance(arg, ast.Name) for arg in value.args)
        and len(value.args) in (0, 2)
    )


class _Validator:
    """Walks the AST (iteratively) and raises RefusedProgram at the first disallowed construct."""

    def check(self, nodes: list[tuple[ast.AST, ast.AST | None]]) -> None:
        super_inits = {
            id(node.value.func)
            for node, _ in nodes
            if isinstance(node, ast.Attribute)
            and _is_super_init(node)
            and isinstance(node.value, ast.Call)
        }
        class_methods = {
            id(item)
            for node, _ in nodes
            if isinstance(node, ast.ClassDef)
            for item in node.body
            if isinstance(item, ast.FunctionDef)
        }
        for node, parent in nodes:
            if not isinstance(node, _ALLOWED_NODES):
                name = _CONSTRUCT_NAMES.get(type(node), type(node).__name__)
                raise _refuse(node, f"'{name}' is not available in this sandbox")
            self._check_node(node, parent, super_inits, class_methods)

    def _check_node(
        self, node: ast.AST, parent: ast.AST | None, super_inits: set[int], class_methods: set[int]
    ) -> None:
        if type(node) not in _CHECKED_TYPES:  # most nodes: nothing beyond the allowlist
            return
        if isinstance(node, ast.Name):
            if node.id == "super" and id(node) not in super_inits:
                raise _refuse(node, "'super' may only be used as super().__init__()")
            _check_identifier(node, node.id, "name")
        elif isinstance(node, ast.Attribute):
            if not _is_super_init(node):
                _check_identifier(node, node.attr, "attribute")
            if isinstance(node.ctx, ast.Del):
                raise _refuse(node, "deleting attributes is not available")
        elif isinstance(node, ast.arg):
            _check_identifier(node, node.arg, "argument")
        elif isinstance(node, ast.keyword) and node.arg is not None:
            _check_identifier(node, node.arg, "keyword argument")
        elif isinstance(node, ast.FunctionDef):
            self._check_function(node, id(node) in class_methods)
        elif isinstance(node, ast.Lambda):
            pass
        elif isinstance(node, ast.ClassDef):
            self._check_class(node)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            _check_import(node)
        elif isinstance(node, ast.With):
            for item in node.items:
                if item.optional_vars is not None and not isinstance(item.optional_vars, ast.Name):
                    raise _refuse(item.optional_vars, "'with ... as' must bind a plain name")
        elif isinstance(node, (ast.For, ast.comprehension)):
            _check_loop_target(node.target)
        elif isinstance(node, ast.FormattedValue):
            _check_format_spec(node)
        elif isinstance(node, ast.AnnAssign) and not isinstance(node.target, ast.Name):
            raise _refuse(node, "annotated assignment must bind a plain name")

    def _check_function(self, node: ast.FunctionDef, is_method: bool) -> None:
        if node.decorator_list:
            raise _refuse(node.decorator_list[0], "decorators are not available")
        if node.name == "__init__" and is_method:
            return
        _check_identifier(node, node.name, "function name")

    def _check_class(self, node: ast.ClassDef) -> None:
        _check_identifier(node, node.name, "class name")
        if node.decorator_list:
            raise _refuse(node.decorator_list[0], "decorators are not available")
        if node.keywords:
            raise _refuse(node.keywords[0], "class keywords (such as metaclass=) are not available")
        if not node.bases:
            raise _refuse(node, f"class '{node.name}' must subclass nn.Module")
        for item in node.body:
            docstring = isinstance(item, ast.Expr) and isinstance(item.value, ast.Constant)
            if not isinstance(item, (ast.FunctionDef, ast.Pass, ast.Assign)) and not docstring:
                raise _refuse(item, "a class body may only define methods and simple attributes")


def _check_identifier(node: ast.AST, name: str, what: str) -> None:
    if name.startswith("_"):
        raise _refuse(
            node, f"{what} '{name}' starts with an underscore; such names are not available"
        )


def _check_import(node: ast.Import | ast.ImportFrom) -> None:
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.name not in IMPORTABLE_MODULES:
                raise _refuse(node, _import_refusal(alias.name), "RefusedImport")
            if alias.asname is not None:
                _check_identifier(node, alias.asname, "import alias")
        return
    module = node.module or ""
    if node.level or module not in IMPORTABLE_MODULES:
        raise _refuse(node, _import_refusal("." * node.level + module), "RefusedImport")
    for alias in node.names:
        if alias.name == "*":
            raise _refuse(
                node, f"'from {module} import *' is not available; import names explicitly"
            )
        if alias.name not in MODULE_ATTRS[module]:
            raise _refuse(
                node, f"'{module}.{alias.name}' is not available in this sandbox", "RefusedImport"
            )
        if alias.asname is not None:
            _check_identifier(node, alias.asname, "import alias")


def _import_refusal(module: str) -> str:
    allowed = ", ".join(sorted(IMPORTABLE_MODULES))
    return f"import of '{module}' is not available; programs may import only {allowed}"


def _check_loop_target(target: ast.expr) -> None:
    for node in ast.walk(target):
        if isinstance(node, (ast.Attribute, ast.Subscript)):
            raise _refuse(node, "a loop variable must be a plain name or a tuple of names")


def _check_format_spec(node: ast.FormattedValue) -> None:
    spec = node.format_spec
    if spec is None:
        return
    if not isinstance(spec, ast.JoinedStr) or not all(
        isinstance(v, ast.Constant) for v in spec.values
    ):
        raise _refuse(node, "nested format specifications are not available")
    text = "".join(str(v.value) for v in spec.values if isinstance(v, ast.Constant))
    digits = ""
    for char in text:
        digits = digits + char if char.isdigit() else ""
        if len(digits) > _MAX_FORMAT_WIDTH_DIGITS:
            raise _refuse(node, f"format width '{text}' is too large")


_NodeT = TypeVar("_NodeT", bound=ast.AST)


def _located(new: _NodeT, old: ast.AST) -> _NodeT:
    """``new``, and every node in it that has no position yet, placed at ``old``'s position.

    Nodes of the program keep their own position (the walk stops there).
    """
    lineno, col = getattr(old, "lineno", None), getattr(old, "col_offset", None)
    end_lineno, end_col = getattr(old, "end_lineno", None), getattr(old, "end_col_offset", None)
    stack: list[ast.AST] = [new]
    while stack:
        node = stack.pop()
        if node is not new and "lineno" in node.__dict__:
            continue  # the program's own node (or one placed already)
        if "lineno" in node._attributes:
            node.lineno, node.col_offset = lineno, col  # type: ignore[attr-defined]
            node.end_lineno, node.end_col_offset = end_lineno, end_col  # type: ignore[attr-defined]
        fields = node.__dict__
        for field in node._fields:
            value = fields.get(field)
            if type(value) is list:
                stack.extend(item for item in value if isinstance(item, ast.AST))
            elif isinstance(value, ast.AST):
                stack.append(value)
    return new


def _helper(name: str) -> ast.Name:
    return ast.Name(id=HELPER_PREFIX + name, ctx=ast.Load())


def _call_helper(name: str, *args: ast.expr) -> ast.Call:
    return ast.Call(func=_helper(name), args=list(args), keywords=[])


# Nodes the rewriter never changes and that hold nothing it changes: contexts, operators,
# names and constants (a third to a half of a program's nodes).
_REWRITE_LEAVES = (*_OPERATORS_AND_CONTEXTS, ast.Name, ast.Constant)


class _Rewriter(ast.NodeTransformer):
    """Routes attribute access, loops, sequence-growing operators and imports through guards."""

    def __init__(self) -> None:
        self._temps = 0

    def visit(self, node: ast.AST) -> Any:
        """``NodeTransformer.visit`` with the visitor looked up once per node class, and the
        leaves returned as they are (the stock walk costs ~2 us a node, leaves included)."""
        if isinstance(node, _REWRITE_LEAVES):
            return node
        kind = type(node)
        visitor = _VISITORS.get(kind)
        if visitor is None:
            visitor = _VISITORS[kind] = getattr(
                _Rewriter, f"visit_{kind.__name__}", _Rewriter.generic_visit
            )
        return visitor(self, node)

    def generic_visit(self, node: ast.AST) -> ast.AST:
        """``NodeTransformer.generic_visit`` over ``_fields`` directly, skipping the leaves."""
        for field in node._fields:
            old = getattr(node, field, None)
            if type(old) is list:
                new: list[Any] = []
                for value in old:
                    if isinstance(value, ast.AST) and not isinstance(value, _REWRITE_LEAVES):
                        value = self.visit(value)
                        if value is None:
                            continue
                        if not isinstance(value, ast.AST):
                            new.extend(value)
                            continue
                    new.append(value)
                old[:] = new
            elif isinstance(old, ast.AST) and not isinstance(old, _REWRITE_LEAVES):
                replaced = self.visit(old)
                if replaced is None:
                    delattr(node, field)
                else:
                    setattr(node, field, replaced)
        return node

    def _temp(self) -> str:
        self._temps += 1
        return f"{HELPER_PREFIX}t{self._temps}"

    # --- expressions -------------------------------------------------------------------------
    def visit_Attribute(self, node: ast.Attribute) -> ast.expr:
        if _is_super_init(node):
            return node
        value = self.visit(node.value)
        if isinstance(node.ctx, ast.Load):
            return _located(_call_helper("getattr", value, ast.Constant(node.attr)), node)
        node.value = value
        return node

    def visit_BinOp(self, node: ast.BinOp) -> ast.expr:
        self.generic_visit(node)
        name = _GUARDED_BINOPS.get(type(node.op))
        if name is None:
            return node
        return _located(_call_helper(name, node.left, node.right), node)

    def visit_FormattedValue(self, node: ast.FormattedValue) -> ast.FormattedValue:
        self.generic_visit(node)
        node.value = _located(_call_helper("format", node.value), node.value)
        return node

    def visit_Assert(self, node: ast.Assert) -> ast.Assert:
        self.generic_visit(node)
        if node.msg is not None:  # the message goes into the response, as text
            node.msg = _located(_call_helper("message", node.msg), node.msg)
        return node

    def visit_GeneratorExp(self, node: ast.GeneratorExp) -> ast.expr:
        self.generic_visit(node)
        return _located(_call_helper("lazy", node), node)

    def visit_Lambda(self, node: ast.Lambda) -> ast.expr:
        self.generic_visit(node)
        return _located(_call_helper("function", node), node)

    def visit_comprehension(self, node: ast.comprehension) -> ast.comprehension:
        self.generic_visit(node)
        node.iter = _located(_call_helper("iter", node.iter), node.iter)
        return node

    # --- statements --------------------------------------------------------------------------
    def visit_For(self, node: ast.For) -> ast.For:
        self.generic_visit(node)
        node.iter = _located(_call_helper("iter", node.iter), node.iter)
        return node

    def visit_While(self, node: ast.While) -> ast.While:
        self.generic_visit(node)
        node.test = _located(
            ast.BoolOp(op=ast.And(), values=[_call_helper("tick"), node.test]), node.test
        )
        return node

    def visit_With(self, node: ast.With) -> ast.With:
        self.generic_visit(node)
        for item in node.items:
            item.context_expr = _located(
                _call_helper("context", item.context_expr), item.context_expr
            )
        return node

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.FunctionDef:
        self.generic_visit(node)
        node.decorator_list = [_located(_helper("function"), node)]
        return node

    def visit_ClassDef(self, node: ast.ClassDef) -> ast.ClassDef:
        self.generic_visit(node)
        node.decorator_list = [_located(_helper("user_class"), node)]
        return node

    def visit_Import(self, node: ast.Import) -> list[ast.stmt]:
        out: list[ast.stmt] = []
        for alias in node.names:
            if alias.asname is None:  # ``import torch.nn`` binds ``torch``
                target, module = alias.name.split(".")[0], alias.name.split(".")[0]
            else:
                target, module = alias.asname, alias.name
            value = _call_helper("import_module", ast.Constant(module))
            out.append(_located(_assign(target, value), node))
        return out

    def visit_ImportFrom(self, node: ast.ImportFrom) -> list[ast.stmt]:
        out: list[ast.stmt] = []
        for alias in node.names:
            value = _call_helper("import_from", ast.Constant(node.module), ast.Constant(alias.name))
            out.append(_located(_assign(alias.asname or alias.name, value), node))
        return out

    def visit_Assign(self, node: ast.Assign) -> list[ast.stmt]:
        value = self.visit(node.value)
        names = [n for t in node.targets for n in _bound_names(t)]
        out: list[ast.stmt]
        if not any(_has_attribute_store(t) for t in node.targets):
            node.targets = [self.visit(t) for t in node.targets]
            node.value = value
            out = [node]
        else:
            temp = self._temp()
            out = [_assign(temp, value)]
            for target in node.targets:
                out.extend(self._store(target, ast.Name(id=temp, ctx=ast.Load())))
        out.extend(_bind(names))
        return [_located(stmt, node) for stmt in out]

    def visit_AnnAssign(self, node: ast.AnnAssign) -> list[ast.stmt]:
        target = node.target
        value = self.visit(node.value) if node.value is not None else ast.Constant(None)
        assert isinstance(target, ast.Name)
        return [_located(s, node) for s in [_assign(target.id, value), *_bind([target.id])]]

    def visit_AugAssign(self, node: ast.AugAssign) -> list[ast.stmt]:
        op = ast.Constant(_AUG_OPS[type(node.op)])
        value = self.visit(node.value)
        target = node.target
        out: list[ast.stmt]
        if isinstance(target, ast.Name):
            current = ast.Name(id=target.id, ctx=ast.Load())
            out = [
                _assign(target.id, _call_helper("inplace", op, current, value)),
                *_bind([target.id]),
            ]
        elif isinstance(target, ast.Attribute):
            obj = self._temp()
            read = _call_helper(
                "getattr", ast.Name(id=obj, ctx=ast.Load()), ast.Constant(target.attr)
            )
            updated = _call_helper("inplace", op, read, value)
            out = [
                _assign(obj, self.visit(target.value)),
                ast.Expr(
                    _call_helper(
                        "setattr",
                        ast.Name(id=obj, ctx=ast.Load()),
                        ast.Constant(target.attr),
                        updated,
                    )
                ),
            ]
        else:
            assert isinstance(target, ast.Subscript)
            obj, key = self._temp(), self._temp()
            item = ast.Subscript(
                value=ast.Name(id=obj, ctx=ast.Load()),
                slice=ast.Name(id=key, ctx=ast.Load()),
                ctx=ast.Load(),
            )
            store = ast.Subscript(
                value=ast.Name(id=obj, ctx=ast.Load()),
                slice=ast.Name(id=key, ctx=ast.Load()),
                ctx=ast.Store(),
            )
            out = [
                _assign(obj, self.visit(target.value)),
                _assign(key, self.visit(target.slice)),
                ast.Assign(targets=[store], value=_call_helper("inplace", op, item, value)),
            ]
        return [_located(stmt, node) for stmt in out]

    def _store(self, target: ast.expr, value: ast.expr) -> list[ast.stmt]:
        """Statements that assign ``value`` to ``target``, attribute stores going through the guard."""
        if isinstance(target, ast.Attribute):
            call = _call_helper(
                "setattr", self.visit(target.value), ast.Constant(target.attr), value
            )
            return [ast.Expr(call)]
        if isinstance(target, (ast.Tuple, ast.List)) and _has_attribute_store(target):
            temps = [self._temp() for _ in target.elts]
            elts: list[ast.expr] = []
            for temp, elt in zip(temps, target.elts, strict=True):
                if isinstance(elt, ast.Starred):
                    elts.append(
                        ast.Starred(value=ast.Name(id=temp, ctx=ast.Store()), ctx=ast.Store())
                    )
                else:
                    elts.append(ast.Name(id=temp, ctx=ast.Store()))
            out: list[ast.stmt] = [
                ast.Assign(targets=[ast.Tuple(elts=elts, ctx=ast.Store())], value=value)
            ]
            for temp, elt in zip(temps, target.elts, strict=True):
                inner = elt.value if isinstance(elt, ast.Starred) else elt
                out.extend(self._store(inner, ast.Name(id=temp, ctx=ast.Load())))
            return out
        return [ast.Assign(targets=[self.visit(target)], value=value)]


_VISITORS: dict[type[ast.AST], Callable[[_Rewriter, Any], Any]] = {}


def _bound_names(target: ast.expr) -> list[str]:
    """Plain variable names an assignment target binds (``a``, ``a, b``, ``*rest``)."""
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for e in target.elts for n in _bound_names(e)]
    if isinstance(target, ast.Starred):
        return _bound_names(target.value)
    return []


def _bind(names: list[str]) -> list[ast.stmt]:
    """``_ag_bind(("a", "b"), (a, b))``: tells the runtime which names now hold which values."""
    if not names:
        return []
    labels = ast.Tuple(elts=[ast.Constant(n) for n in names], ctx=ast.Load())
    values = ast.Tuple(elts=[ast.Name(id=n, ctx=ast.Load()) for n in names], ctx=ast.Load())
    return [ast.Expr(_call_helper("bind", labels, values))]


def _has_attribute_store(target: ast.expr) -> bool:
    if isinstance(target, ast.Attribute):
        return True
    if isinstance(target, (ast.Tuple, ast.List)):
        return any(_has_attribute_store(e) for e in target.elts)
    if isinstance(target, ast.Starred):
        return _has_attribute_store(target.value)
    return False


def _assign(name: str, value: ast.expr) -> ast.Assign:
    return ast.Assign(targets=[ast.Name(id=name, ctx=ast.Store())], value=value)
