"""The check of constructs, names and imports (app/language/check.py): what it refuses, with
the kind, line and column of the refusal, and the name of what was refused."""

from __future__ import annotations

import ast
import unicodedata

import pytest

from app.language import check
from app.language.compile import compile_program
from app.language.errors import RefusedProgram
from app.limits import Limits


def _refusal(source: str, limits: Limits | None = None) -> RefusedProgram:
    with pytest.raises(RefusedProgram) as caught:
        compile_program(source, limits or Limits())
    return caught.value


# (source, kind, line, col): col is 1-based, as editors count.
REFUSED = [
    # imports
    ("import os", "RefusedImport", 1, 1),
    ("import torch\nimport subprocess", "RefusedImport", 2, 1),
    ("import torch, subprocess", "RefusedImport", 1, 1),
    ("import pandas as pd", "RefusedImport", 1, 1),
    ("import torch.utils.cpp_extension", "RefusedImport", 1, 1),
    ("import torch.utils.cpp_extension", "RefusedImport", 1, 1),
    ("from os import path", "RefusedImport", 1, 1),
    ("x = 1\n  \nfrom torch import load", "RefusedImport", 3, 1),
    ("from torch import _C", "RefusedImport", 1, 1),
    ("from torch.nn import modules", "RefusedImport", 1, 1),
    ("from torch import *", "RefusedConstruct", 1, 1),
    ("from . import evaluate", "RefusedImport", 1, 1),
    ("from .. import app", "RefusedImport", 1, 1),
    ("from .torch import nn", "RefusedImport", 1, 1),
    ("if True:\n    import builtins", "RefusedImport", 2, 5),
    ("import torch as __t", "RefusedConstruct", 1, 1),
    # statements outside the allowlist
    ("def f():\n    global x", "RefusedConstruct", 2, 5),
    ("def f():\n    x = 1\n    def g():\n        nonlocal x", "RefusedConstruct", 4, 9),
    ("def f():\n    yield from [1]", "RefusedConstruct", 2, 5),
    ("async def f():\n    pass", "RefusedConstruct", 1, 1),
    ("await x", "RefusedConstruct", 1, 1),
    ("match x:\n    case 1:\n        pass", "RefusedConstruct", 1, 1),
    # special methods that would run program code behind the interpreter's back
    ("class M:\n    def __getattr__(self, name):\n        return 1", "RefusedConstruct", 2, 5),
    ("class M:\n    def __del__(self):\n        pass", "RefusedConstruct", 2, 5),
    ("class M:\n    def __init_subclass__(cls):\n        pass", "RefusedConstruct", 2, 5),
    ("class M:\n    def __format__(self, spec):\n        return ''", "RefusedConstruct", 2, 5),
    ("class M:\n    def __index__(self):\n        return 10 ** 9", "RefusedConstruct", 2, 5),
    ("class M:\n    def __reduce__(self):\n        return ()", "RefusedConstruct", 2, 5),
    ("@dataclass\nclass M:\n    x: int = 1", "RefusedConstruct", 1, 2),
    ("try:\n    pass\nexcept* ValueError:\n    pass", "RefusedConstruct", 1, 1),
    ("def f():\n    yield from range(3)", "RefusedConstruct", 2, 5),
    ("x = ().__class__.__bases__", "RefusedConstruct", 1, 5),
    ("class M(nn.Module, metaclass=type):\n    pass", "RefusedConstruct", 1, 20),
    ("class M(nn.Module, x=1):\n    pass", "RefusedConstruct", 1, 20),
    ("class M(nn.Module):\n    for i in []:\n        pass", "RefusedConstruct", 2, 5),
    ("del obj.attr", "RefusedConstruct", 1, 5),
    ("del a, b.c", "RefusedConstruct", 1, 8),
    ("for a.b in []:\n    pass", "RefusedConstruct", 1, 5),
    ("x = [1 for a[0] in []]", "RefusedConstruct", 1, 12),
    ("with torch.no_grad() as a.b:\n    pass", "RefusedConstruct", 1, 25),
    ("d['a']: int = 2", "RefusedConstruct", 1, 1),
    # underscores: names, attributes, arguments, keywords, definitions
    ("g = print.__self__", "RefusedConstruct", 1, 5),
    ("f = lambda: 0\nc = f.__closure__", "RefusedConstruct", 2, 5),
    ("g = (1).__class__.__base__.__subclasses__()", "RefusedConstruct", 1, 5),
    ("m = nn.Linear(1, 1)\nd = m.__dict__", "RefusedConstruct", 2, 5),
    ("b = __builtins__", "RefusedConstruct", 1, 5),
    ("os = __import__('os')", "RefusedConstruct", 1, 6),
    ("g = _ag_getattr(torch, 'os')", "RefusedConstruct", 1, 5),
    ("_ag_getattr = print", "RefusedConstruct", 1, 1),
    ("x = __private", "RefusedConstruct", 1, 5),
    ("x = _ag_private", "RefusedConstruct", 1, 5),
    ("def f(__a):\n    pass", "RefusedConstruct", 1, 7),
    ("def f(*, __k=1):\n    pass", "RefusedConstruct", 1, 10),
    ("def f(**__kw):\n    pass", "RefusedConstruct", 1, 9),
    ("g = lambda __x: 0", "RefusedConstruct", 1, 12),
    ("y = torch.ones(1, __dtype=1)", "RefusedConstruct", 1, 19),
    ("def __f():\n    pass", "RefusedConstruct", 1, 1),
    ("class __M(nn.Module):\n    pass", "RefusedConstruct", 1, 1),
    ("class M(nn.Module):\n    __slots__ = ()", "RefusedConstruct", 2, 5),
    ("def f():\n    def __init__(self):\n        pass", "RefusedConstruct", 2, 5),
    ("def __init__(self):\n    pass", "RefusedConstruct", 1, 1),
    ("m = nn.Linear(1, 1)\nm.__init__(1, 1)", "RefusedConstruct", 2, 1),
    ("m = nn.Linear(1, 1)\nnn.Module.__init__(m)", "RefusedConstruct", 2, 1),
    ("x = torch.ones(1)\nx.__version = 3", "RefusedConstruct", 2, 1),
    # super, other than super().__init__()
    ("s = super", "RefusedConstruct", 1, 5),
    (
        "class M(nn.Module):\n    def forward(self, x):\n        return super().forward(x)",
        "RefusedConstruct",
        3,
        16,
    ),
    (
        "class M(nn.Module):\n    def __init__(self):\n        super(self=1).__init__()",
        "RefusedConstruct",
        3,
        9,
    ),
    ("super = print", "RefusedConstruct", 1, 1),
    # super(...).__init__ outside a method of the class it names, or on another object: it
    # would run the base's __init__ on any object
    ("class A:\n    pass\nb = A()\nsuper(A, b).__init__()", "RefusedConstruct", 4, 1),
    ("super().__init__()", "RefusedConstruct", 1, 1),
    ("class A:\n    pass\ndef f(a):\n    super(A, a).__init__()", "RefusedConstruct", 4, 5),
    (
        "class N(nn.Module):\n    def __init__(self, m):\n        super(N, m).__init__()",
        "RefusedConstruct",
        3,
        9,
    ),
    (
        "class N(nn.Module):\n    def __init__(self):\n        super(nn.Module, self).__init__()",
        "RefusedConstruct",
        3,
        9,
    ),
    (
        (
            "class N(nn.Module):\n    def __init__(self, m):\n        self = m\n"
            "        super(N, self).__init__()"
        ),
        "RefusedConstruct",
        4,
        9,
    ),
    (
        (
            "class N(nn.Module):\n    def __init__(self):\n        def f(self):\n"
            "            super(N, self).__init__()\n        f(self)"
        ),
        "RefusedConstruct",
        4,
        13,
    ),
    # f-strings and format specs
    ("w = 5\ns = f'{1:{w}}'", "RefusedConstruct", 2, 5),
    ("s = f'{1:1000}'", "RefusedConstruct", 1, 5),
    ("s = f'{1:.5000f}'", "RefusedConstruct", 1, 5),
    ("s = f'{1:0999999999}'", "RefusedConstruct", 1, 5),
]


@pytest.mark.parametrize(("source", "kind", "line", "col"), REFUSED, ids=[r[0] for r in REFUSED])
def test_refused_with_kind_and_position(source: str, kind: str, line: int, col: int) -> None:
    refusal = _refusal(source)
    assert (refusal.kind, refusal.line, refusal.col) == (kind, line, col), refusal.message


def test_refusal_names_the_construct() -> None:
    assert "'try/except*'" in _refusal("try:\n    pass\nexcept* ValueError:\n    pass").message
    assert "'__dict__'" in _refusal("x = ().__dict__").message
    assert "import of 'os'" in _refusal("import os").message
    assert "'torch.load'" in _refusal("from torch import load").message
    assert "metaclass" in _refusal("class M(nn.Module, metaclass=type):\n    pass").message
    assert (
        "'__getattr__'" in _refusal("class M:\n    def __getattr__(self, n):\n        pass").message
    )


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isalpha() else c for c in text)


def _math(style: str, text: str) -> str:
    return "".join(
        unicodedata.lookup(f"MATHEMATICAL {style} SMALL {c.upper()}") if c.isalpha() else c
        for c in text
    )


UNICODE_DUNDERS = {
    "fullwidth-letters": _fullwidth("__dict__"),
    "fullwidth-low-line": "__dict\uff3f\uff3f",
    "math-bold": _math("BOLD", "__bases__"),
    "math-sans-serif": _math("SANS-SERIF", "__globals__"),
    "math-monospace": _math("MONOSPACE", "__builtins__"),
    "modifier-letter": "__b\u1d43ses__",
    "ligature": "__\ufb01le__",  # LATIN SMALL LIGATURE FI
}


@pytest.mark.parametrize("name", sorted(UNICODE_DUNDERS))
def test_unicode_attribute_that_normalises_to_a_dunder(name: str) -> None:
    spelled = UNICODE_DUNDERS[name]
    normal = unicodedata.normalize("NFKC", spelled)
    assert spelled != normal and normal.startswith("__") and normal.endswith("__")
    refusal = _refusal(f"x = torch.ones(1)\ny = x.{spelled}")
    assert (refusal.kind, refusal.line, refusal.col) == ("RefusedConstruct", 2, 5)
    assert f"'{normal}'" in refusal.message


@pytest.mark.parametrize("name", sorted(UNICODE_DUNDERS))
def test_unicode_name_that_normalises_to_a_dunder(name: str) -> None:
    refusal = _refusal(f"{UNICODE_DUNDERS[name]} = 1")
    assert (refusal.kind, refusal.line, refusal.col) == ("RefusedConstruct", 1, 1)


def test_unicode_keyword_and_argument_that_normalise_to_dunders() -> None:
    assert _refusal(f"y = torch.ones(1, {_fullwidth('__class__')}=1)").kind == "RefusedConstruct"
    assert _refusal(f"def f({_math('BOLD', '__x')}):\n    pass").kind == "RefusedConstruct"


def test_every_node_type_the_checks_look_into_passes_the_fast_path() -> None:
    """``_check_node`` returns at once for types outside ``_CHECKED_TYPES``: each type its
    branches test must be listed there, or its check would silently never run."""
    import inspect
    import textwrap

    source = textwrap.dedent(inspect.getsource(check._Validator._check_node))
    tested: set[type[ast.AST]] = set()
    for call in ast.walk(ast.parse(source)):
        if (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Name)
            and call.func.id == "isinstance"
            and isinstance(call.args[0], ast.Name)
            and call.args[0].id == "node"
        ):
            kinds = call.args[1].elts if isinstance(call.args[1], ast.Tuple) else [call.args[1]]
            tested.update(
                getattr(ast, kind.attr) for kind in kinds if isinstance(kind, ast.Attribute)
            )
    assert tested and tested <= check._CHECKED_TYPES


@pytest.mark.parametrize(
    "source",
    [
        "class Net(nn.Module):\n    def __init__(self):\n        super(Net, self).__init__()",
        "class Net(nn.Module):\n    def __init__(self):\n        super().__init__()",
        "class Net(nn.Module):\n    def __init__(me, n):\n        super(Net, me).__init__()",
        "class Net(nn.Module):\n    def reset(self):\n        super(Net, self).__init__()",
    ],
)
def test_super_init_in_a_method_of_its_class_is_allowed(source: str) -> None:
    """What courses write (``super(Net, self).__init__()`` in ``__init__``) stays."""
    compile_program(source, Limits())
