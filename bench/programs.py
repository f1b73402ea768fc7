"""The programs the benchmarks send: the gallery, scaling families, and hostile ones."""

from __future__ import annotations

from dataclasses import dataclass

from app.examples import load_examples


@dataclass(frozen=True)
class Program:
    """A named program text."""

    name: str
    code: str


def gallery() -> list[Program]:
    """Every gallery example, in display order, named like its file."""
    return [Program(example.id, example.code) for example in load_examples()]


def with_run_comment(code: str, run: int) -> str:
    """``code`` plus ``# run N``: a new text, so the response cache cannot answer it.

    The graph, and so the DOT, stays the same: the server's in-memory SVG cache (keyed by the
    DOT text) can still answer. ``with_run_leaf`` defeats that one too.
    """
    return f"{code.rstrip()}\n# run {run}\n"


def with_run_leaf(code: str, run: int) -> str:
    """``code`` plus one extra leaf tensor named ``bench_run_N``: a new graph and a new DOT.

    No cache can answer: the response cache and the SVG cache both see a new key. The graph
    gets one isolated leaf node more than the program's own.
    """
    return f"{code.rstrip()}\nbench_run_{run} = torch.zeros(1, requires_grad=True)\n"


def chain(ops: int) -> str:
    """An elementwise chain of ``ops`` multiplications (about two graph nodes per op)."""
    return (
        "x = torch.tensor(1.0, requires_grad=True)\n"
        "y = x\n"
        f"for i in range({ops}):\n"
        "    y = y * 1.001\n"
        "y.backward()\n"
    )


def mlp(depth: int, width: int = 4) -> str:
    """``depth`` layers of nn.Linear + nn.Tanh (about five graph nodes per layer)."""
    return (
        "torch.manual_seed(0)\n"
        "layers = []\n"
        f"for i in range({depth}):\n"
        f"    layers.append(nn.Linear({width}, {width}))\n"
        "    layers.append(nn.Tanh())\n"
        "model = nn.Sequential(*layers)\n"
        f"x = torch.randn(2, {width})\n"
        "loss = model(x).sum()\n"
        "loss.backward()\n"
    )


def tensor_mlp(depth: int, width: int = 4) -> str:
    """``mlp`` written with tensors, no ``nn.Module`` (about six graph nodes per layer): the
    playground draws it whole, where it opens ``mlp``'s graph folded by module."""
    return (
        "torch.manual_seed(0)\n"
        f"h = torch.randn(2, {width})\n"
        f"for i in range({depth}):\n"
        f"    w = torch.randn({width}, {width}, requires_grad=True)\n"
        f"    b = torch.randn({width}, requires_grad=True)\n"
        "    h = torch.tanh(torch.addmm(b, h, w.t()))\n"
        "loss = h.sum()\n"
        "loss.backward()\n"
    )


def sin_chain(ops: int) -> str:
    """``chain`` with ``torch.sin`` for each step (each saves its input)."""
    return chain(ops).replace("y * 1.001", "torch.sin(y)")


def manual_backprop(steps: int) -> str:
    """A 2-layer MLP trained ``steps`` steps with its backward pass written by hand, kept in
    the graph (as an exercise in backprop does): its weights feed every later step, many
    edges span many layers (``steps=19``: 709 nodes, where Graphviz's ``dot`` spent over
    10 s)."""
    return (
        "torch.manual_seed(0)\n"
        "x = torch.randn(8, 4)\n"
        "t = torch.randn(8, 1)\n"
        "w1 = torch.randn(4, 16, requires_grad=True)\n"
        "b1 = torch.zeros(16, requires_grad=True)\n"
        "w2 = torch.randn(16, 1, requires_grad=True)\n"
        "b2 = torch.zeros(1, requires_grad=True)\n"
        "params = [w1, b1, w2, b2]\n"
        "lr = 0.1\n"
        f"for step in range({steps}):\n"
        "    a = torch.tanh(x @ w1 + b1)\n"
        "    diff = a @ w2 + b2 - t\n"
        "    loss = (diff * diff).mean()\n"
        "    dy = 2 * diff / diff.numel()\n"
        "    dh = (dy @ w2.t()) * (1 - a * a)\n"
        "    w1 = w1 - lr * (x.t() @ dh)\n"
        "    b1 = b1 - lr * dh.sum(0)\n"
        "    w2 = w2 - lr * (a.t() @ dy)\n"
        "    b2 = b2 - lr * dy.sum(0)\n"
        "loss.backward()\n"
    )


def polynomial_fit(iterations: int) -> str:
    """The official PyTorch tutorial's polynomial-fit loop: ``iterations`` passes of forward,
    ``backward()`` and a hand-written SGD step on four scalar parameters."""
    return (
        "torch.manual_seed(0)\n"
        "x = torch.linspace(-3.14159, 3.14159, 2000)\n"
        "y = torch.sin(x)\n"
        "a = torch.randn((), requires_grad=True)\n"
        "b = torch.randn((), requires_grad=True)\n"
        "c = torch.randn((), requires_grad=True)\n"
        "d = torch.randn((), requires_grad=True)\n"
        "lr = 1e-6\n"
        f"for t in range({iterations}):\n"
        "    y_pred = a + b * x + c * x ** 2 + d * x ** 3\n"
        "    loss = (y_pred - y).pow(2).sum()\n"
        "    loss.backward()\n"
        "    with torch.no_grad():\n"
        "        a -= lr * a.grad\n"
        "        b -= lr * b.grad\n"
        "        c -= lr * c.grad\n"
        "        d -= lr * d.grad\n"
        "        a.grad = None\n"
        "        b.grad = None\n"
        "        c.grad = None\n"
        "        d.grad = None\n"
    )


def cnn_training() -> str:
    """A course's CNN training loop: a LeNet-style model, 3 epochs of 4 batches from a
    ``DataLoader``, SGD; a conv weight of 2,400 numbers and activations of thousands, which
    every recorded pass shows."""
    return (
        "from torch import nn\n"
        "import torch.nn.functional as F\n"
        "torch.manual_seed(0)\n"
        "class LeNet(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)\n"
        "        self.conv2 = nn.Conv2d(6, 16, 5)\n"
        "        self.fc1 = nn.Linear(16 * 5 * 5, 120)\n"
        "        self.fc2 = nn.Linear(120, 84)\n"
        "        self.fc3 = nn.Linear(84, 10)\n"
        "    def forward(self, x):\n"
        "        x = F.max_pool2d(F.relu(self.conv1(x)), 2)\n"
        "        x = F.max_pool2d(F.relu(self.conv2(x)), 2)\n"
        "        x = F.relu(self.fc1(x.flatten(1)))\n"
        "        return self.fc3(F.relu(self.fc2(x)))\n"
        "net = LeNet()\n"
        "X, y = torch.randn(64, 1, 28, 28), torch.randint(0, 10, (64,))\n"
        "data = torch.utils.data.TensorDataset(X, y)\n"
        "loader = torch.utils.data.DataLoader(data, batch_size=16, shuffle=True)\n"
        "opt = torch.optim.SGD(net.parameters(), lr=0.1)\n"
        "loss_fn = nn.CrossEntropyLoss()\n"
        "for epoch in range(3):\n"
        "    for xb, yb in loader:\n"
        "        opt.zero_grad()\n"
        "        loss = loss_fn(net(xb), yb)\n"
        "        loss.backward()\n"
        "        opt.step()\n"
        "    print(f'epoch {epoch + 1}, loss {loss.item():.4f}')\n"
    )


# Each must end in a refusal or an error record in bounded time, never a 5xx.
HOSTILE: tuple[Program, ...] = (
    Program("infinite_loop", "while True:\n    pass\n"),
    Program(
        "cpu_bomb",
        "a = torch.ones(700, 700)\nwhile True:\n    a = (a @ a).tanh()\n",
    ),
    Program("memory_bomb", "x = torch.ones(10**5, 10**5)\n"),
    Program("memory_growth", "xs = []\nwhile True:\n    xs.append(torch.ones(1000, 1000))\n"),
    Program("deep_recursion", "def f(n):\n    return f(n + 1)\n\nf(0)\n"),
    Program("import_os", "import os\nos.system('true')\n"),
    Program("class_escape", "t = ().__class__.__bases__\n"),
    Program("output_flood", "while True:\n    print('x' * 1000)\n"),
    Program("big_int", "n = 10 ** 10 ** 8\n"),
    Program("graph_bomb", chain(50_000)),
)


def wide_cat(ways: int, copies: int = 1) -> str:
    """``copies`` lines each joining one leaf ``ways`` times: few nodes, ``ways`` edges each."""
    lines = ["x = torch.ones(1, requires_grad=True)"]
    lines += [f"a{index} = torch.cat([x] * {ways})" for index in range(copies)]
    return "\n".join(lines) + "\n"


# What issue 13's review sent at the server side: graphs that are cheap to make and costly to
# draw or hold, memory left behind for the next program, text that JSON or DOT cannot encode.
SERVER_HOSTILE: tuple[Program, ...] = (
    Program("parallel_edges", wide_cat(99_999, copies=3)),
    Program(
        "chain_and_wide_cat",
        chain(1_000).replace("y.backward()\n", "")
        + "z = torch.cat([y.reshape(1)] * 70000).sum()\nz.backward()\n",
    ),
    Program("big_graph", chain(2_500)),
    Program("secret_writer", "secret = torch.full((100000,), 31337.0)\ns = secret.sum()\n"),
    Program(
        "uninitialised_reader",
        "a = torch.empty(100000)\nprint('leaked', int((a == 31337.0).sum()))\n",
    ),
    Program(
        "surrogate_module",
        "m = nn.ModuleDict({chr(0xD800): nn.Linear(1, 1)})\n"
        "y = m[chr(0xD800)](torch.ones(1)).sum()\ny.backward()\n",
    ),
    Program("nested_tuple_hash", "t = ()\nfor i in range(99999):\n    t = (t,)\nh = hash(t)\n"),
    Program("many_dims", "a = torch.ones([1] * 1100, requires_grad=True)\n"),
    Program("zero_size_sum", "a = torch.zeros(300000000, 0).sum(1)\n"),
)
