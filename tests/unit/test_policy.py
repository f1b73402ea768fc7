"""The policy: what it accepts (the gallery, teaching constructs) and what it refuses, and where."""

from __future__ import annotations

import ast
import unicodedata

import pytest

from app.examples import load_examples
from app.language import check, rewrite
from app.language.compile import compile_program
from app.language.errors import RefusedProgram
from app.limits import Limits

EXAMPLES = {example.id: example.code for example in load_examples()}

# Complete programs (each also runs without error: see tests/unit/test_runtime.py).
TEACHING = {
    "import-torch": "import torch\nx = torch.ones(2)",
    "import-nn-as": "import torch.nn as nn\nm = nn.Linear(2, 1)",
    "import-functional-as": "import torch.nn.functional as F\ny = F.relu(torch.ones(2))",
    "import-submodule": "import torch.nn\nm = torch.nn.ReLU()",
    "from-torch-import": "from torch import nn, optim\nm = nn.Linear(1, 1)\no = optim.SGD(m.parameters(), lr=0.1)",
    "from-nn-import": "from torch.nn import MSELoss\nloss = MSELoss()",
    "from-functional-import": "from torch.nn.functional import relu as r\ny = r(torch.ones(1))",
    "from-autograd-import": "from torch.autograd import grad\nx = torch.ones(1, requires_grad=True)\ng = grad(x * 2, x)",
    "tuple-unpacking": "a, b = torch.ones(2), torch.zeros(2)\n(c, d), e = (1, 2), 3\nf, *rest = [1, 2, 3]",
    "augmented-name": "x = torch.ones(2)\nx += 1\nx *= 2\nx -= 1\nx /= 2\nn = 3\nn **= 2\nn //= 2\nn %= 3",
    "augmented-attribute": (
        "x = torch.ones(2, requires_grad=True)\nx.sum().backward()\nx.grad *= 0\nx.data += 1"
    ),
    "augmented-subscript": "x = torch.zeros(3)\nx[0] += 1\nd = {'a': 1}\nd['a'] += 1\nl = [1]\nl[0] *= 5",
    "sequential-star": (
        "layers = [nn.Linear(2, 4), nn.ReLU()]\nlayers.append(nn.Linear(4, 1))\n"
        "model = nn.Sequential(*layers)\ny = model(torch.ones(1, 2))"
    ),
    "boolean-mask": "x = torch.randn(5)\nmask = x > 0\ny = x[mask]\nx[x < 0] = 0.0",
    "for-range": "s = 0\nfor i in range(10):\n    s += i",
    "for-enumerate-zip": (
        "xs = [1.0, 2.0]\nys = [3.0, 4.0]\nfor i, (a, b) in enumerate(zip(xs, ys)):\n    print(i, a * b)"
    ),
    "for-list-tuple": "for t in [torch.ones(1), torch.zeros(1)]:\n    print(t)\nfor k in (1, 2):\n    pass",
    "while-bounded": "i = 0\nwhile i < 10:\n    i += 1\n    if i == 5:\n        continue\nelse:\n    pass",
    "if-elif-else": "x = 3\nif x < 0:\n    y = -1\nelif x == 0:\n    y = 0\nelse:\n    y = 1",
    "no-grad": "x = torch.ones(2, requires_grad=True)\nwith torch.no_grad():\n    y = x * 2\n",
    "enable-grad": (
        "x = torch.ones(1, requires_grad=True)\nwith torch.no_grad():\n"
        "    with torch.enable_grad():\n        y = x * 2\n"
    ),
    "set-grad-enabled": "with torch.set_grad_enabled(False) as mode:\n    y = torch.ones(1) * 2",
    "literals": "l = [1, 2]\nl.extend([3])\nl.append(4)\nd = {'a': 1, 'b': [1, 2]}\nt = (1,)\ns = {1, 2}",
    "fstrings": "x = torch.tensor(3.14159)\nprint(f'{x.item():.3f} {x!r} {\"a\":>5} {x=}')",
    "percent-format": "print('%d items, %.2f%%' % (3, 12.5))",
    "module-class": (
        "class MLP(nn.Module):\n"
        "    '''A tiny MLP.'''\n"
        "    hidden = 4\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.fc1 = nn.Linear(2, self.hidden)\n"
        "        self.fc2 = nn.Linear(self.hidden, 1)\n"
        "    def forward(self, x):\n"
        "        return self.fc2(torch.relu(self.fc1(x)))\n"
        "model = MLP()\ny = model(torch.ones(3, 2))\ny.sum().backward()\n"
    ),
    "module-class-super-args": (
        "class M(nn.Module):\n    def __init__(self):\n        super(M, self).__init__()\n"
        "        self.w = nn.Parameter(torch.ones(2))\n"
        "    def forward(self, x):\n        return (self.w * x).sum()\n"
        "    def predict(self, x):\n        return self.forward(x) > 0\n"
        "m = M()\np = m.predict(torch.ones(2))"
    ),
    "def-helper": "def square(t, power=2, *args, **kwargs):\n    return t ** power\ny = square(torch.ones(2))",
    "lambda": "f = lambda t: t * 2\ny = f(torch.ones(2))\nys = sorted([3, 1, 2], key=lambda v: -v)",
    "comprehensions": (
        "sq = [i * i for i in range(5) if i % 2 == 0]\nd = {i: i + 1 for i in range(3)}\n"
        "s = {i for i in range(3)}\ng = sum(i for i in range(4))\nn = [[j for j in range(i)] for i in range(3)]"
    ),
    "chinese-names": "损失函数 = nn.MSELoss()\n预测 = torch.ones(3)\n目标 = torch.zeros(3)\n损失 = 损失函数(预测, 目标)",
    "annotations": "def f(x: torch.Tensor, ys: list[int]) -> float:\n    return x.sum().item()\nv: float = f(torch.ones(2), [1])",
    "walrus-and-ternary": "if (n := 3) > 2:\n    y = 'big' if n > 2 else 'small'",
    "assert-and-delete": "x = [1, 2, 3]\nassert len(x) == 3, 'three'\ndel x[0]\ndel x",
    "isinstance": "ok = isinstance(torch.ones(1), torch.Tensor) and isinstance([1], list) and isinstance('a', str)",
    "grad-fn-walk": (
        "x = torch.ones(2, requires_grad=True)\ny = (x * 2).sum()\n"
        "fn = y.grad_fn\nwhile fn is not None and fn.next_functions:\n"
        "    print(fn.name())\n    fn = fn.next_functions[0][0]\n"
    ),
    "training-loop": (
        "torch.manual_seed(0)\nmodel = nn.Linear(2, 1)\nopt = optim.Adam(model.parameters(), lr=0.01)\n"
        "loss_fn = nn.MSELoss()\nx, y = torch.randn(8, 2), torch.randn(8, 1)\n"
        "for epoch in range(3):\n    opt.zero_grad()\n    loss = loss_fn(model(x), y)\n"
        "    loss.backward()\n    opt.step()\n    print(f'epoch {epoch}: {loss.item():.4f}')\n"
    ),
    "second-derivative": (
        "x = torch.tensor(2.0, requires_grad=True)\ny = x ** 3\n"
        "(g,) = torch.autograd.grad(y, x, create_graph=True)\ng.backward()"
    ),
    "legacy-constructor": "w = nn.Parameter(torch.Tensor(3, 2))\nb = torch.Tensor([1, 2])",
    "try-except": (
        "x = torch.ones(2, requires_grad=True)\ny = (x * 2).sum()\ny.backward()\n"
        "try:\n    y.backward()\nexcept RuntimeError as e:\n    print('again:', 'second time' in str(e))\n"
        "else:\n    print('no error')\nfinally:\n    print('done')\n"
        "try:\n    raise ValueError('bad')\nexcept (TypeError, ValueError) as e:\n    print(type(e).__name__)\n"
        "try:\n    [][1]\nexcept:\n    print('bare except')"
    ),
    "generator": (
        "def data_iter(n, batch):\n    for i in range(0, n, batch):\n        yield list(range(i, min(i + batch, n)))\n"
        "for chunk in data_iter(7, 3):\n    print(chunk)"
    ),
    "decorators": (
        "@torch.no_grad()\ndef step(w):\n    return w * 2\n"
        "class Box:\n    count = 0\n    def __init__(self, v):\n        self.v = v\n"
        "    @property\n    def double(self):\n        return self.v * 2\n"
        "    @staticmethod\n    def make(v):\n        return Box(v)\n"
        "    @classmethod\n    def zero(cls):\n        return cls(0)\n"
        "print(step(torch.ones(1, requires_grad=True)).requires_grad, Box.make(3).double, Box.zero().v)"
    ),
    "plain-class-special-methods": (
        "class Value:\n    def __init__(self, data):\n        self.data = data\n"
        "    def __add__(self, other):\n        other = other if isinstance(other, Value) else Value(other)\n"
        "        return Value(self.data + other.data)\n    def __radd__(self, other):\n        return self + other\n"
        "    def __mul__(self, other):\n        return Value(self.data * other)\n"
        "    def __repr__(self):\n        return f'Value(data={self.data})'\n"
        "    def __len__(self):\n        return 1\n"
        "print(1 + Value(2) * 3, len(Value(0)))"
    ),
    "dunder-names": (
        "_ = 1\nfor _ in range(2):\n    pass\na, _ = 1, 2\n"
        "if __name__ == '__main__':\n    m = nn.Linear(1, 1)\n"
        "    print(m.__class__.__name__, type(m).__name__, torch.__version__ != '')"
    ),
    "str-format": "print('{} {:.2f} {name}'.format(1, 2.0, name='n'), '{0}-{0}'.format('a'))",
}


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
    ("x = (yield)", "SyntaxError", 1, 6),
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
    # f-strings and format specs
    ("w = 5\ns = f'{1:{w}}'", "RefusedConstruct", 2, 5),
    ("s = f'{1:1000}'", "RefusedConstruct", 1, 5),
    ("s = f'{1:.5000f}'", "RefusedConstruct", 1, 5),
    ("s = f'{1:0999999999}'", "RefusedConstruct", 1, 5),
    # syntax the parser or the compiler rejects
    ("x = (", "SyntaxError", 1, 5),
    ("return 1", "SyntaxError", 1, 1),
    ("x = 1\nbreak", "SyntaxError", 2, 1),
    ("def f(a, a):\n    pass", "SyntaxError", 1, 10),
    ("x = [i async for i in y]", "SyntaxError", 1, 5),
]


@pytest.mark.parametrize(
    "source", [EXAMPLES[k] for k in sorted(EXAMPLES)] + [TEACHING[k] for k in sorted(TEACHING)]
)
def test_rewrite_equals_the_standard_library_walk(source: str) -> None:
    """The rewriter's own fast walk (it skips names, constants, operators and contexts) makes
    exactly the tree ``ast.NodeTransformer``'s stock walk makes, positions included."""

    class Stock(rewrite._Rewriter):
        visit = ast.NodeTransformer.visit
        generic_visit = ast.NodeTransformer.generic_visit

    fast = rewrite._Rewriter().visit(ast.parse(source))
    stock = Stock().visit(ast.parse(source))
    assert ast.dump(fast, include_attributes=True) == ast.dump(stock, include_attributes=True)


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


def test_code_over_the_length_limit() -> None:
    refusal = _refusal("x = 1\n" * 5_000)
    assert refusal.kind == "CodeTooLong"
    assert "30000" in refusal.message and "20000" in refusal.message


def test_too_many_syntax_nodes() -> None:
    refusal = _refusal("x = 1\n" * 10_000, Limits(max_code_chars=1_000_000))
    assert refusal.kind == "ProgramTooLarge"
    assert "20000" in refusal.message


def test_nested_blocks_refused_by_the_compiler() -> None:
    source = "".join(" " * i + "for i in []:\n" for i in range(25)) + " " * 25 + "pass\n"
    assert _refusal(source).kind == "SyntaxError"


def test_huge_integer_literal() -> None:
    assert _refusal("x = " + "9" * 19_000).kind == "SyntaxError"


def test_a_repeated_program_reuses_its_checked_code_but_runs_afresh() -> None:
    from app.evaluate import _compiled, evaluate

    code = "x = torch.randn(3, requires_grad=True)\nprint(x.tolist())\ncount = [1]\ncount.append(2)\nprint(count)\n"
    first, second = evaluate(code), evaluate(code)
    assert _compiled.cache_info().hits >= 1
    assert first.ok and second.ok
    assert first.stdout != second.stdout  # new random numbers each run
    assert first.stdout.splitlines()[1] == second.stdout.splitlines()[1] == "[1, 2]"  # fresh state
    # the cache is keyed by the limits too, and refusals are never cached
    refused = evaluate(code, Limits(max_code_chars=10))
    assert refused.refused is not None and refused.refused.type == "CodeTooLong"
    assert evaluate("import os").refused is not None
    assert evaluate("import os").refused is not None


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
