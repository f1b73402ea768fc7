"""Each construct course programs use, alone, run here and in plain PyTorch and compared.

One short program per construct the course-programs issue names (NumPy, random numbers,
math and random, builtins, ``_``, device idioms, torch.utils.data, custom autograd
Functions, class features, decorators, generators, the single gaps). The comparison is the
corpus's own (``test_corpus.compare``): output, error and line, every final tensor.
"""

from __future__ import annotations

import pytest

from app.evaluate import evaluate
from tests.corpus.programs import CorpusProgram
from tests.corpus.test_corpus import SEED, compare

CONSTRUCTS: dict[str, str] = {
    # NumPy
    "numpy-arrays": (
        "import numpy as np\na = np.arange(6).reshape(2, 3)\nb = np.random.randn(2, 3)\n"
        "print(a, a.sum(axis=0), (a * 2 + 1).mean(), np.exp(a).round(2), a.T @ a)\n"
        "print(repr(np.linspace(0, 1, 5)), np.zeros((2, 2)), np.ones(3, dtype=np.float32))\n"
        "print(np.concatenate([a, a]).shape, np.stack([a, a]).shape, a[:, 1], a[a > 2])\n"
    ),
    "numpy-bridge": (
        "import numpy as np\nt = torch.ones(3)\nn = t.numpy()\nt.add_(1)\nprint(n)\n"
        "a = np.zeros(2)\ns = torch.from_numpy(a)\na[0] = 7\nprint(s, torch.tensor(a))\n"
        "w = torch.ones(2, requires_grad=True)\nprint(w.detach().numpy())\n"
    ),
    "numpy-random-seeded": (
        "import numpy as np\nnp.random.seed(3)\nprint(np.random.rand(2), np.random.randint(0, 9, 3))\n"
        "x = np.random.normal(0, 1, (2, 2))\nrng = np.random.default_rng(5)\nprint(rng.normal(size=2))\n"
    ),
    "numpy-polynomial-fit": (
        "import numpy as np\nimport math\nx = np.linspace(-math.pi, math.pi, 2000)\ny = np.sin(x)\n"
        "a, b, c, d = np.random.randn(), np.random.randn(), np.random.randn(), np.random.randn()\n"
        "for t in range(200):\n    y_pred = a + b * x + c * x ** 2 + d * x ** 3\n"
        "    loss = np.square(y_pred - y).sum()\n    grad_y_pred = 2.0 * (y_pred - y)\n"
        "    a -= 1e-6 * grad_y_pred.sum()\n    b -= 1e-6 * (grad_y_pred * x).sum()\n"
        "    c -= 1e-6 * (grad_y_pred * x ** 2).sum()\n    d -= 1e-6 * (grad_y_pred * x ** 3).sum()\n"
        "print(round(float(loss), 3))\n"
    ),
    # random numbers of torch
    "torch-random": (
        "g = torch.Generator().manual_seed(2147483647)\np = torch.rand(3, generator=g)\n"
        "p = p / p.sum()\nix = torch.multinomial(p, num_samples=5, replacement=True, generator=g)\n"
        "n = torch.normal(2.0, 3.0, size=(2, 2))\nm = torch.normal(torch.zeros(3), torch.ones(3))\n"
        "b = torch.bernoulli(torch.full((4,), 0.5))\nr = torch.randint(0, 10, (3,))\nq = torch.randperm(5)\n"
        "print(ix, n.shape, m.shape, b.shape, r.shape, q.sort().values)\n"
    ),
    # math and random
    "math-module": (
        "import math\nprint(math.pi, math.sqrt(2), math.exp(1), math.log(10), math.cos(0), math.isnan(1.0))\n"
        "x = torch.linspace(-math.pi, math.pi, 5)\nprint(x, math.factorial(6), math.comb(5, 2))\n"
    ),
    "random-module": (
        "import random\nrandom.seed(1)\nxs = list(range(10))\nrandom.shuffle(xs)\n"
        "print(xs, random.random(), random.randint(1, 6), random.choice(xs), random.sample(xs, 3))\n"
        "print(random.uniform(0, 1), random.gauss(0, 1))\n"
    ),
    # builtins
    "builtins": (
        "x = torch.ones(2)\ny = x\nprint(id(x) == id(y), type(x), type(x) is torch.Tensor)\n"
        "print(isinstance(x, torch.Tensor), hasattr(x, 'grad'), getattr(x, 'shape'), getattr(x, 'nope', 7))\n"
        "print(type(nn.Linear(1, 1)).__name__, nn.Linear(1, 1).__class__.__name__, callable(print))\n"
    ),
    "underscore-name": (
        "for _ in range(3):\n    pass\na, _ = 1, 2\n_private = [i for i in range(2)]\nprint(a, _, _private)\n"
    ),
    # devices on a CPU-only server
    "device-idioms": (
        "print(torch.cuda.is_available(), torch.backends.mps.is_available())\n"
        "device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')\n"
        "x = torch.ones(2).to(device)\nm = nn.Linear(2, 1).to(device)\ny = m(x).cpu()\n"
        "print(device, x.device, 'Using {} device'.format(device), torch.device('cpu'))\n"
        "print(torch.accelerator.is_available(), torch.accelerator.current_accelerator())\n"
    ),
    "cuda-fails-as-in-pytorch": "x = torch.ones(2)\ny = x.cuda()\n",
    "default-dtype": (
        "torch.set_default_dtype(torch.float64)\nx = torch.ones(2)\nprint(x.dtype, torch.tensor([1.5]).dtype)\n"
    ),
    # torch.utils.data
    "data-loader": (
        "from torch.utils.data import TensorDataset, DataLoader, random_split, ConcatDataset\n"
        "X = torch.arange(20.).reshape(10, 2)\ny = torch.arange(10.)\nds = TensorDataset(X, y)\n"
        "train, test = random_split(ds, [7, 3])\nprint(len(train), len(test), len(ConcatDataset([ds, ds])))\n"
        "loader = DataLoader(ds, batch_size=4, shuffle=True, drop_last=True)\n"
        "for xb, yb in loader:\n    print(xb.shape, yb)\nprint(len(loader), next(iter(DataLoader(ds, batch_size=3)))[1])\n"
    ),
    "dataset-subclass": (
        "from torch.utils.data import Dataset, DataLoader\nclass Squares(Dataset):\n"
        "    def __init__(self, n):\n        self.x = torch.arange(n, dtype=torch.float32)\n"
        "    def __len__(self):\n        return len(self.x)\n"
        "    def __getitem__(self, i):\n        return self.x[i], self.x[i] ** 2\n"
        "for a, b in DataLoader(Squares(5), batch_size=2):\n    print(a, b)\n"
    ),
    # custom autograd functions
    "autograd-function": (
        "class MyReLU(torch.autograd.Function):\n    @staticmethod\n    def forward(ctx, x):\n"
        "        ctx.save_for_backward(x)\n        ctx.scale = 1.0\n        return x.clamp(min=0)\n"
        "    @staticmethod\n    def backward(ctx, grad_output):\n        x, = ctx.saved_tensors\n"
        "        grad = grad_output.clone()\n        grad[x < 0] = 0\n        print(ctx.needs_input_grad)\n"
        "        return grad * ctx.scale\n"
        "x = torch.tensor([-1.0, 2.0, 3.0], requires_grad=True)\ny = MyReLU.apply(x)\nloss = y.sum()\n"
        "loss.backward()\nprint(y.grad_fn.name(), x.grad)\n"
    ),
    "variable": (
        "from torch.autograd import Variable\nx = Variable(torch.ones(2), requires_grad=True)\n"
        "y = (x * 3).sum()\ny.backward()\nprint(x.grad)\n"
    ),
    # class features
    "value-class": (
        "class Value:\n    def __init__(self, data, _children=(), _op=''):\n"
        "        self.data = data\n        self.grad = 0.0\n        self._prev = set(_children)\n"
        "        self._op = _op\n        self._backward = lambda: None\n"
        "    def __add__(self, other):\n        other = other if isinstance(other, Value) else Value(other)\n"
        "        out = Value(self.data + other.data, (self, other), '+')\n"
        "        def _backward():\n            self.grad += out.grad\n            other.grad += out.grad\n"
        "        out._backward = _backward\n        return out\n"
        "    def __mul__(self, other):\n        other = other if isinstance(other, Value) else Value(other)\n"
        "        out = Value(self.data * other.data, (self, other), '*')\n"
        "        def _backward():\n            self.grad += other.data * out.grad\n"
        "            other.grad += self.data * out.grad\n        out._backward = _backward\n        return out\n"
        "    def __radd__(self, other):\n        return self + other\n"
        "    def __rmul__(self, other):\n        return self * other\n"
        "    def __neg__(self):\n        return self * -1\n"
        "    def __sub__(self, other):\n        return self + (-other)\n"
        "    def __repr__(self):\n        return f'Value(data={self.data})'\n"
        "a = Value(2.0)\nb = Value(-3.0)\nc = a * b + 10 - a\nc.grad = 1.0\nc._backward()\n"
        "print(c, c._op, len(c._prev), 2 * a, 1 + a)\n"
    ),
    "special-methods": (
        "class Counter:\n    def __init__(self, n):\n        self.n = n\n        self.i = 0\n"
        "    def __iter__(self):\n        return self\n"
        "    def __next__(self):\n        if self.i >= self.n:\n            raise StopIteration\n"
        "        self.i += 1\n        return self.i\n"
        "    def __len__(self):\n        return self.n\n"
        "    def __getitem__(self, k):\n        return k * 10\n"
        "    def __call__(self, x):\n        return x + self.n\n"
        "    def __str__(self):\n        return 'Counter(%d)' % self.n\n"
        "c = Counter(3)\nprint(list(c), len(c), c[2], c(1), str(c), c)\n"
    ),
    "decorators": (
        "class Box:\n    def __init__(self, v):\n        self.v = v\n"
        "    @property\n    def double(self):\n        return self.v * 2\n"
        "    @staticmethod\n    def make(v):\n        return Box(v)\n"
        "    @classmethod\n    def zero(cls):\n        return cls(0)\n"
        "@torch.no_grad()\ndef update(w):\n    w -= 0.1 * w.grad\n    return w\n"
        "w = torch.ones(2, requires_grad=True)\n(w * 3).sum().backward()\nupdate(w)\n"
        "print(Box.make(3).double, Box.zero().v, w)\n"
    ),
    "generators": (
        "import random\ndef data_iter(batch_size, features, labels):\n"
        "    num = len(features)\n    indices = list(range(num))\n    random.shuffle(indices)\n"
        "    for i in range(0, num, batch_size):\n"
        "        batch = torch.tensor(indices[i: min(i + batch_size, num)])\n"
        "        yield features[batch], labels[batch]\n"
        "X = torch.randn(10, 2)\ny = torch.randn(10)\nfor xb, yb in data_iter(4, X, y):\n    print(xb.shape, yb.shape)\n"
    ),
    # single gaps
    "in-place-twins": (
        "x = torch.zeros(3, 4)\nx.scatter_(1, torch.tensor([[0], [1], [2]]), 1.0)\n"
        "y = torch.zeros(5)\ny.index_add_(0, torch.tensor([0, 0, 2]), torch.ones(3))\n"
        "z = torch.randn(4)\nz.clamp_(min=-0.5, max=0.5)\nprint(x, y, z.abs().max() <= 0.5)\n"
    ),
    "legacy-types": (
        "x = torch.FloatTensor([1, 2])\ni = torch.LongTensor([3, 4])\ny = x.type(torch.int32)\n"
        "print(x, i, y, x.type(), torch.__version__ != '')\n"
    ),
    "optimizers-and-schedulers": (
        "from torch.optim import lr_scheduler\nw = nn.Parameter(torch.ones(3))\n"
        "for make in (optim.SGD, optim.Adam, optim.AdamW, optim.RMSprop, optim.Adagrad, optim.Adadelta):\n"
        "    o = make([w], lr=0.1)\n    (w ** 2).sum().backward()\n    o.step()\n    o.zero_grad()\n"
        "o = optim.SGD([w], lr=1.0, momentum=0.9)\ns = lr_scheduler.StepLR(o, step_size=2, gamma=0.5)\n"
        "for epoch in range(4):\n    o.step()\n    s.step()\n    print(s.get_last_lr())\n"
        "e = lr_scheduler.ExponentialLR(o, gamma=0.9)\nc = lr_scheduler.CosineAnnealingLR(o, T_max=10)\n"
        "print(w)\n"
    ),
    "module-building": (
        "from collections import OrderedDict\nnet = nn.Sequential(OrderedDict([('hidden', nn.Linear(2, 3)), ('act', nn.ReLU())]))\n"
        "net.add_module('out', nn.Linear(3, 1))\nnn.init.normal_(net.hidden.weight, mean=0, std=0.01)\n"
        "nn.init.constant_(net.hidden.bias, 0)\nnn.init.xavier_uniform_(net.out.weight)\nprint(net)\n"
        "y = net(torch.ones(4, 2)).sum()\ny.backward()\n"
    ),
    "future-import": (
        "from __future__ import annotations\nclass V:\n    def __init__(self, d: float) -> None:\n"
        "        self.d = d\n    def add(self, o: V) -> V:\n        return V(self.d + o.d)\nprint(V(1).add(V(2)).d)\n"
    ),
    "string-format": (
        "loss = torch.tensor(0.12345)\nprint('Using {} device'.format('cpu'), '{:.4f}'.format(loss.item()),"
        " '{0} {0}'.format('a'), '{name}'.format(name='b'), 'epoch %d, loss %.4f' % (1, loss))\n"
    ),
    "try-except": (
        "x = torch.ones(2, requires_grad=True)\ny = (x * 2).sum()\ny.backward()\n"
        "try:\n    y.backward()\nexcept RuntimeError as e:\n    print('second backward:', type(e).__name__)\n"
    ),
    "plots-do-nothing": (
        "import matplotlib.pyplot as plt\nlosses = []\nw = torch.ones(1, requires_grad=True)\n"
        "for i in range(3):\n    loss = (w * 2).sum()\n    loss.backward()\n    losses.append(loss.item())\n"
        "fig, ax = plt.subplots(1, 2, figsize=(6, 3))\nax[0].plot(losses)\nplt.xlabel('step')\nplt.show()\n"
    ),
}


@pytest.mark.parametrize("name", sorted(CONSTRUCTS))
def test_construct_runs_as_in_plain_pytorch(name: str) -> None:
    compare(CorpusProgram(name, "constructs", name, "match", "", CONSTRUCTS[name]))


def test_num_workers_load_in_the_programs_process_with_a_note() -> None:
    code = (
        "from torch.utils.data import TensorDataset, DataLoader\n"
        "def get_dataloader_workers():\n    return 4\n"
        "ds = TensorDataset(torch.arange(10.0), torch.arange(10))\n"
        "loader = DataLoader(ds, 3, shuffle=True, num_workers=get_dataloader_workers())\n"
        "for epoch in range(2):\n    for X, y in loader:\n        print(X, y)\n"
        "print(list(DataLoader(ds, 4, False, None, 2, prefetch_factor=2)))\n"
    )
    compare(CorpusProgram("workers", "constructs", "workers", "match", "", code))
    record = evaluate(code, seed=SEED)
    assert [note["key"] for note in record.notes] == ["sandbox_workers_in_process"]


def test_worker_options_are_refused_with_a_hint() -> None:
    record = evaluate(
        "from torch.utils.data import TensorDataset, DataLoader\n"
        "loader = DataLoader(TensorDataset(torch.ones(4)), num_workers=2, worker_init_fn=print)\n"
    )
    assert record.error is not None and record.error.type == "SandboxViolation"
    assert record.error.line == 2 and record.error.hint is not None
    assert record.error.hint["key"] == "sandbox_workers"


def test_plots_are_noted_in_both_languages() -> None:
    record = evaluate(CONSTRUCTS["plots-do-nothing"])
    assert record.error is None
    assert [note["key"] for note in record.notes] == ["sandbox_plots"]


def test_global_switches_do_not_reach_the_next_program() -> None:
    evaluate(CONSTRUCTS["default-dtype"] + "torch.set_printoptions(precision=1)\n")
    record = evaluate("print(torch.ones(1).dtype, torch.tensor([1.23456]))")
    assert record.stdout == "torch.float32 tensor([1.2346])\n"


def test_unseeded_random_numbers_are_not_reproducible() -> None:
    for code in (
        "x = torch.randn(2)",
        "import numpy as np\nx = np.random.rand(2)",
        "import random\nx = random.random()",
        "import numpy as np\nx = np.random.default_rng().normal()",
        "import time\nt = time.time()",
    ):
        assert not evaluate(code).deterministic, code
    for code in (
        "torch.manual_seed(0)\nx = torch.randn(2)",
        "import numpy as np\nnp.random.seed(0)\nx = np.random.rand(2)",
        "import random\nrandom.seed(0)\nx = random.random()",
        "import numpy as np\nx = np.random.default_rng(0).normal()",
        "g = torch.Generator().manual_seed(1)\nx = torch.randn(2, generator=g)",
    ):
        assert evaluate(code).deterministic, code


POLYNOMIAL_FIT = """
import math
dtype = torch.float
x = torch.linspace(-math.pi, math.pi, 2000, dtype=dtype)
y = torch.sin(x)
a = torch.randn((), dtype=dtype, requires_grad=True)
b = torch.randn((), dtype=dtype, requires_grad=True)
c = torch.randn((), dtype=dtype, requires_grad=True)
d = torch.randn((), dtype=dtype, requires_grad=True)
learning_rate = 1e-6
for t in range(2000):
    y_pred = a + b * x + c * x ** 2 + d * x ** 3
    loss = (y_pred - y).pow(2).sum()
    if t % 100 == 99:
        print(t, round(loss.item(), 2))
    loss.backward()
    with torch.no_grad():
        a -= learning_rate * a.grad
        b -= learning_rate * b.grad
        c -= learning_rate * c.grad
        d -= learning_rate * d.grad
        a.grad = None
        b.grad = None
        c.grad = None
        d.grad = None
"""


def test_two_thousand_iterations_end_with_their_final_state() -> None:
    """The official tutorials' polynomial fit runs to its end; the answer holds what plain
    PyTorch holds then (the last y_pred and loss, the fitted coefficients) and the latest
    backward passes, the oldest iterations being what is cut."""
    compare(CorpusProgram("poly", "constructs", "poly", "match", "", POLYNOMIAL_FIT))
    record = evaluate(POLYNOMIAL_FIT, seed=SEED)
    graph = record.graph
    assert record.error is None and graph is not None
    assert {"x", "y", "a", "b", "c", "d", "y_pred", "loss"} <= set(graph["variables"])
    passes = graph["backward"]
    assert len(passes) == 20 and all(p["line"] == 16 for p in passes)
    nodes = {node["id"]: node for node in graph["nodes"]}
    loss = nodes[graph["variables"]["loss"]]
    assert passes[-1]["roots"] == [loss["id"]]  # the last pass is the final loss's
