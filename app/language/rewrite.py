"""Rewrite a checked statement so that everything that can grow or escape goes through a guard.

Every attribute read becomes ``_ag_getattr(obj, "name")``, every attribute write
``_ag_setattr``, every loop iterable ``_ag_iter`` (a ``for`` statement's ``_ag_loop``), every
f-string value ``_ag_format`` (and the pieces of an f-string are joined by ``_ag_fstring``),
and so on; ``runtime.py`` supplies the helpers. A helper's name starts with an underscore,
which the checks forbid in programs, so a program cannot reach or replace them.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import Any, TypeVar

from app.language.check import is_super_init
from app.language.parse import HELPER_PREFIX, OPERATORS_AND_CONTEXTS

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

# An f-string's pieces are joined this many at a time (a group's text is checked and joined
# before the next group is formatted).
_FSTRING_GROUP = 8


def rewritten(statement: ast.stmt) -> list[ast.stmt]:
    """One top-level statement through the rewriter: none, one or several statements."""
    result = _Rewriter().visit(statement)
    if result is None:
        return []
    return result if isinstance(result, list) else [result]


_NodeT = TypeVar("_NodeT", bound=ast.AST)


def _located(new: _NodeT, old: ast.AST) -> _NodeT:
    """``new``, and every node in it that has no position yet, placed at ``old``'s position
    (nodes of the program keep their own: the walk stops there)."""
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
_REWRITE_LEAVES = (*OPERATORS_AND_CONTEXTS, ast.Name, ast.Constant)


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
        if is_super_init(node):
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

    def visit_JoinedStr(self, node: ast.JoinedStr) -> ast.expr:
        """An f-string of several pieces: each field formatted alone (an f-string of one
        field), in order, then ``_ag_fstring(...)`` joins them once their total length is
        known. Long ones join in groups, so that few pieces wait at once."""
        self.generic_visit(node)
        if len(node.values) < 2 or not any(isinstance(v, ast.FormattedValue) for v in node.values):
            return node  # a format spec, plain text, or a single field (bounded by its check)
        parts: list[ast.expr] = [
            v if isinstance(v, ast.Constant) else ast.JoinedStr(values=[v]) for v in node.values
        ]
        while len(parts) > _FSTRING_GROUP:
            parts = [
                _call_helper("fstring", *parts[i : i + _FSTRING_GROUP])
                for i in range(0, len(parts), _FSTRING_GROUP)
            ]
        return _located(_call_helper("fstring", *parts), node)

    def visit_Assert(self, node: ast.Assert) -> ast.Assert:
        self.generic_visit(node)
        if node.msg is not None:  # the message goes into the response, as text
            node.msg = _located(_call_helper("message", node.msg), node.msg)
        return node

    def visit_Subscript(self, node: ast.Subscript) -> ast.Subscript:
        self.generic_visit(node)
        node.slice = _keyed(node.slice)
        return node

    def visit_Compare(self, node: ast.Compare) -> ast.Compare:
        self.generic_visit(node)
        operands = [node.left, *node.comparators]
        for i, op in enumerate(node.ops):
            if isinstance(op, (ast.In, ast.NotIn)):
                operands[i] = _keyed(operands[i])
        node.left, node.comparators = operands[0], operands[1:]
        return node

    def _visit_keyed(self, node: ast.expr) -> ast.expr:
        """``{k: v}``, ``{k}`` and their comprehensions: the keys (``_KEYS``) checked."""
        self.generic_visit(node)
        field = _KEYS[type(node)]
        keys = getattr(node, field)
        setattr(
            node, field, [k and _keyed(k) for k in keys] if type(keys) is list else _keyed(keys)
        )
        return node

    visit_Dict = visit_Set = visit_DictComp = visit_SetComp = _visit_keyed

    def visit_GeneratorExp(self, node: ast.GeneratorExp) -> ast.expr:
        self.generic_visit(node)
        return _located(_call_helper("lazy", node), node)

    def visit_Lambda(self, node: ast.Lambda) -> ast.expr:
        self.generic_visit(node)
        return _located(_call_helper("function", node), node)

    def visit_Starred(self, node: ast.Starred) -> ast.Starred:
        """``*xs`` in a list, tuple, set or call is read item by item, each item counted as
        a loop step is (``[*y, *y]`` doubling a list, ``(*counter.elements(),)``)."""
        self.generic_visit(node)
        if isinstance(node.ctx, ast.Load):
            node.value = _located(_call_helper("iter", node.value), node.value)
        return node

    def visit_comprehension(self, node: ast.comprehension) -> ast.comprehension:
        self.generic_visit(node)
        node.iter = _located(_call_helper("iter", node.iter), node.iter)
        return node

    # --- statements --------------------------------------------------------------------------
    def visit_For(self, node: ast.For) -> ast.For:  # counted, and followed (``loops.py``)
        self.generic_visit(node)
        place = ast.Constant(node.lineno << 16 | min(node.col_offset, 0xFFFF))  # its place
        node.iter = _located(_call_helper("loop", node.iter, place), node.iter)
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
        # Annotations are never evaluated (as under ``from __future__ import annotations``):
        # ``def add(self, other: Value) -> Value`` inside ``class Value`` runs as written.
        arguments = node.args
        for arg in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs):
            arg.annotation = None
        for extra in (arguments.vararg, arguments.kwarg):
            if extra is not None:
                extra.annotation = None
        node.returns = None
        self.generic_visit(node)
        # The guard wraps the function first; the program's decorators, each checked when
        # it runs, wrap the result (decorators apply from the bottom up).
        node.decorator_list = [
            *(_located(_call_helper("decorator", d), d) for d in node.decorator_list),
            _located(_helper("function"), node),
        ]
        return node

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> ast.ExceptHandler:
        self.generic_visit(node)
        if node.type is None:  # a bare ``except:`` catches what ``except Exception:`` catches
            node.type = _located(ast.Name(id="Exception", ctx=ast.Load()), node)
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
        if node.module == "__future__":  # checked, and each a no-op here
            return []
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
                _assign(key, _keyed(self.visit(target.slice))),
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


_KEYS = {ast.Dict: "keys", ast.Set: "elts", ast.DictComp: "key", ast.SetComp: "elt"}


def _keyed(node: ast.expr) -> ast.expr:
    """``_ag_key(node)``, for what a dict or set hashes (``nesting.py``); constants as they are."""
    if isinstance(node, (ast.Constant, ast.Slice, ast.Starred)) or (
        isinstance(node, ast.Tuple)
        and any(isinstance(e, (ast.Slice, ast.Starred)) for e in node.elts)
    ):
        return node
    return _located(_call_helper("key", node), node)


def _assign(name: str, value: ast.expr) -> ast.Assign:
    return ast.Assign(targets=[ast.Name(id=name, ctx=ast.Store())], value=value)
