"""Check a parsed program against the allowlist of constructs, names and imports.

Refusals name the construct, its line and column (``RefusedProgram``). What a program may
reach at run time (attributes of each kind of object) is checked again by the runtime; this
is the first wall: constructs outside ``_ALLOWED_NODES``, names that start with an
underscore, imports of modules that are not on the allowlist.
"""

from __future__ import annotations

import ast

from app.hints import sandbox
from app.hints.hint import Hint
from app.language.allowlist import ALLOWLIST
from app.language.allowlist.builtins import READABLE_DUNDERS, SPECIAL_METHODS
from app.language.errors import RefusedProgram
from app.language.parse import HELPER_PREFIX, Walked, position
from app.record import RefusalKind

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
    ast.Try,
    ast.ExceptHandler,
    ast.Raise,
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
    ast.Yield,
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
        ast.ExceptHandler,
    }
)


# Friendly names for constructs people try that are outside the allowlist.
_CONSTRUCT_NAMES: dict[type[ast.AST], str] = {
    ast.Global: "global",
    ast.Nonlocal: "nonlocal",
    ast.YieldFrom: "yield from",
    ast.Await: "await",
    ast.AsyncFunctionDef: "async def",
    ast.AsyncFor: "async for",
    ast.AsyncWith: "async with",
    ast.Match: "match",
    ast.TryStar: "try/except*",
}

_MAX_FORMAT_WIDTH_DIGITS = 3
# Dunder attributes a program may read (the runtime decides on which objects): a class's
# name and module, an object's class, a module's version, and the special methods of the
# program's own classes (``self.__getitem__(token)``), but never ``__init__`` by hand.
_READABLE_ATTRIBUTES = READABLE_DUNDERS | (SPECIAL_METHODS - {"__init__"})


def check(nodes: Walked) -> None:
    """Raise RefusedProgram at the first disallowed construct of ``nodes`` (in source order)."""
    _Validator().check(nodes)


def _refuse(
    node: ast.AST,
    message: str,
    kind: RefusalKind = "RefusedConstruct",
    hint: Hint | None = None,
) -> RefusedProgram:
    line, col = position(node)
    return RefusedProgram(kind, message, line, col, hint)


def is_super_init(node: ast.Attribute) -> bool:
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


def _super_inits_of(cls: ast.ClassDef, method: ast.FunctionDef) -> list[ast.Call]:
    """The ``super().__init__`` calls of ``method`` that may run: ``super()`` or ``super(Cls,
    self)`` with the class's own name and the method's first argument, in the method itself
    (not in a function or class inside it), neither name bound anew there. So the call can
    only start the base classes of an object of the program's own class: written elsewhere,
    ``super(A, b).__init__()`` would run the base's ``__init__`` on any object."""
    params = method.args.posonlyargs + method.args.args
    allowed = (cls.name, params[0].arg) if params else None
    found: list[ast.Call] = []
    rebound: set[str] = set()
    pending: list[ast.AST] = [*method.body, *method.decorator_list, method.args]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            rebound.add(node.id)
        if isinstance(node, ast.Attribute) and is_super_init(node):
            assert isinstance(node.value, ast.Call)
            found.append(node.value)
        if not isinstance(node, (ast.FunctionDef, ast.Lambda, ast.ClassDef)):
            pending.extend(ast.iter_child_nodes(node))
    return [
        call
        for call in found
        if not call.args
        or (
            allowed is not None
            and tuple(arg.id for arg in call.args if isinstance(arg, ast.Name)) == allowed
            and not rebound & set(allowed)
        )
    ]


class _Validator:
    """Walks the AST (iteratively) and raises RefusedProgram at the first disallowed construct."""

    def check(self, nodes: Walked) -> None:
        classes = [node for node, _ in nodes if isinstance(node, ast.ClassDef)]
        super_inits = {
            id(call.func)
            for cls in classes
            for method in cls.body
            if isinstance(method, ast.FunctionDef)
            for call in _super_inits_of(cls, method)
        }
        class_methods = {
            id(item) for cls in classes for item in cls.body if isinstance(item, ast.FunctionDef)
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
                raise _refuse(
                    node,
                    "'super' may only be used as super().__init__() (or super(ClassName,"
                    " self).__init__()) in a method of the class",
                    hint=sandbox.CLASS,
                )
            if not (node.id == "__name__" and isinstance(node.ctx, ast.Load)):
                _check_identifier(node, node.id, "name")
        elif isinstance(node, ast.Attribute):
            readable = node.attr in _READABLE_ATTRIBUTES and isinstance(node.ctx, ast.Load)
            if not is_super_init(node) and not readable:
                _check_identifier(node, node.attr, "attribute")
            if isinstance(node.ctx, ast.Del):
                raise _refuse(node, "deleting attributes is not available")
        elif isinstance(node, ast.ExceptHandler):
            if node.name is not None:
                _check_identifier(node, node.name, "exception name")
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
        # Decorators are expressions like any other; which ones may decorate is checked
        # when they run (``definitions.py``).
        if is_method and node.name in SPECIAL_METHODS:
            return
        if is_method and node.name.startswith("__") and node.name.endswith("__"):
            allowed = ", ".join(sorted(SPECIAL_METHODS))
            raise _refuse(
                node,
                f"special method '{node.name}' is not available; a class may define {allowed}",
                hint=sandbox.CLASS,
            )
        _check_identifier(node, node.name, "function name")

    def _check_class(self, node: ast.ClassDef) -> None:
        _check_identifier(node, node.name, "class name")
        if node.decorator_list:
            raise _refuse(
                node.decorator_list[0],
                "class decorators are not available",
                hint=sandbox.DECORATOR,
            )
        if node.keywords:
            raise _refuse(
                node.keywords[0],
                "class keywords (such as metaclass=) are not available",
                hint=sandbox.CLASS,
            )
        for item in node.body:
            docstring = isinstance(item, ast.Expr) and isinstance(item.value, ast.Constant)
            simple = isinstance(item, (ast.FunctionDef, ast.Pass, ast.Assign, ast.AnnAssign))
            if not simple and not docstring:
                raise _refuse(
                    item,
                    "a class body may only define methods and simple attributes",
                    hint=sandbox.CLASS,
                )


def _check_identifier(node: ast.AST, name: str, what: str) -> None:
    """Refuse the runtime's helper names (``_ag_...``) and names that start with two
    underscores (dunders and mangled names: Python's own machinery). A name with one leading
    underscore is a program's own private name (micrograd's ``_prev``, ``_backward``); which
    objects let a program read or set such an attribute is the runtime's to check."""
    if name.startswith((HELPER_PREFIX, "__")):
        raise _refuse(
            node,
            f"{what} '{name}' is not available: names that start with two underscores, or"
            f" with '{HELPER_PREFIX}', belong to Python and to this sandbox",
            hint=sandbox.UNDERSCORE,
        )


# ``from __future__ import ...`` features a program may name (each a no-op here: annotations
# are never evaluated, and the rest are Python 3's behaviour already).
_FUTURE_FEATURES = frozenset(
    {
        "annotations",
        "division",
        "print_function",
        "absolute_import",
        "unicode_literals",
        "generator_stop",
        "nested_scopes",
        "generators",
        "with_statement",
    }
)


def _check_import(node: ast.Import | ast.ImportFrom) -> None:
    if isinstance(node, ast.ImportFrom) and node.module == "__future__" and not node.level:
        unknown = [a.name for a in node.names if a.name not in _FUTURE_FEATURES]
        if unknown:
            raise _refuse(node, f"'from __future__ import {unknown[0]}' is not available here")
        return
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.name not in ALLOWLIST.modules:
                raise _refuse(
                    node,
                    _import_refusal(alias.name),
                    "RefusedImport",
                    ALLOWLIST.refusal(alias.name),
                )
            if alias.asname is not None:
                _check_identifier(node, alias.asname, "import alias")
        return
    module = node.module or ""
    if node.level or module not in ALLOWLIST.modules:
        raise _refuse(
            node,
            _import_refusal("." * node.level + module),
            "RefusedImport",
            ALLOWLIST.refusal(module) if not node.level else None,
        )
    for alias in node.names:
        if alias.name == "*":
            raise _refuse(
                node, f"'from {module} import *' is not available; import names explicitly"
            )
        if alias.name not in ALLOWLIST.names_of(module):
            raise _refuse(
                node,
                f"'{module}.{alias.name}' is not available in this sandbox",
                "RefusedImport",
                ALLOWLIST.refusal(f"{module}.{alias.name}") or sandbox.ATTRIBUTE,
            )
        if alias.asname is not None:
            _check_identifier(node, alias.asname, "import alias")


def _import_refusal(module: str) -> str:
    return (
        f"import of '{module}' is not available here (what may be imported is listed on the"
        f" {sandbox.WHAT_RUNS_HERE} page)"
    )


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
