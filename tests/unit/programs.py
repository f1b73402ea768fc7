"""Programs the sandbox must accept: the gallery and the teaching constructs (shared by the
tests of parse, check, rewrite, compile, the statement cache, the runtime and the protocol)."""

from __future__ import annotations

from app.examples import load_examples

EXAMPLES = {example.id: example.code for example in load_examples()}

# Complete programs: each passes the policy (test_compile.py) and runs without error
# (test_runtime.py).
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
