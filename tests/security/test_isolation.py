"""Nothing one program does is visible to the next, whichever worker serves it.

The first program is sent once per worker (the pool hands out idle workers in turn), so the
probe that follows runs on a worker that has just served it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest
import torch
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from tests.security.test_hostile_programs import post_when_free

_unique = itertools.count(1)


def _run(client: TestClient, code: str) -> dict[str, Any]:
    response = post_when_free(client, code)
    assert response.status_code == 200, response.text[:500]
    body: dict[str, Any] = response.json()
    return body


def _on_every_worker(client: TestClient, code: str) -> None:
    for _ in range(client.app.state.settings.workers):  # type: ignore[attr-defined]
        _run(client, _fresh(code))


def _fresh(code: str) -> str:
    """``code`` with a unique comment, so no answer comes from the cache."""
    return f"{code}\n# probe {next(_unique)}\n"


def _functions(body: dict[str, Any]) -> list[str]:
    return [n["op"] for n in body["nodes"] if n["kind"] == "function"]


def test_variables_and_classes_not_visible(client: TestClient) -> None:
    _on_every_worker(
        client,
        "secret_value = torch.ones(1) * 42\nclass Secret(nn.Module):\n    pass\nsecret_list = [1, 2]\n",
    )
    for name in ("secret_value", "Secret", "secret_list"):
        body = _run(client, _fresh(f"print({name})"))
        assert body["error"]["type"] == "NameError"
        assert body["stdout"] == ""


def test_grad_mode_not_carried(client: TestClient) -> None:
    _on_every_worker(client, "torch.set_grad_enabled(False)")
    body = _run(client, _fresh("x = torch.ones(2, requires_grad=True)\ny = x * 2\n"))
    assert body["error"] is None
    assert _functions(body) == ["MulBackward0"]


def test_grad_mode_not_carried_after_a_failing_program(client: TestClient) -> None:
    _on_every_worker(client, "torch.set_grad_enabled(False)\nz = 1 / 0\n")
    _on_every_worker(client, "with torch.no_grad():\n    y = torch.ones(10**9)\n")
    body = _run(client, _fresh("x = torch.ones(2, requires_grad=True)\ny = x * 2\n"))
    assert body["error"] is None
    assert _functions(body) == ["MulBackward0"]


def test_seed_not_carried(client: TestClient) -> None:
    seeded = torch.rand(4, generator=torch.Generator().manual_seed(0)).tolist()
    _on_every_worker(client, "torch.manual_seed(0)")
    draws = [_run(client, _fresh("print(torch.rand(4).tolist())"))["stdout"] for _ in range(3)]
    assert all(draw.strip() != str(seeded) for draw in draws)
    assert len(set(draws)) == len(draws)


def test_builtins_rebinding_not_carried(client: TestClient) -> None:
    _on_every_worker(client, "print = None\nlen = None\nlist = 5\nrange = 0\ntorch = None")
    body = _run(client, _fresh("print(len(list(range(3))), torch.ones(1).tolist())"))
    assert body["error"] is None
    assert body["stdout"] == "3 [1.0]\n"


def test_monkeypatching_refused_and_not_carried(client: TestClient) -> None:
    attempts = [
        "torch.add = print",
        "nn.Linear.forward = print",
        "F.relu = print",
        "m = nn.Linear(1, 1)\nm.forward = print",
        "torch.Tensor.add = print",
        "optim.SGD.step = print",
        "import numpy as np\nnp.add = print",
        "import math\nmath.pi = 3",
    ]
    for attempt in attempts:
        body = _run(client, _fresh(attempt))
        assert body["error"]["type"] == "SandboxViolation", attempt
    body = _run(
        client,
        _fresh(
            "a = torch.add(torch.ones(1), 1).tolist()\n"
            "b = F.relu(torch.tensor([-1.0])).tolist()\n"
            "c = nn.Linear(1, 1)(torch.ones(1)).shape\n"
            "print(a, b, list(c), torch.ones(1).dtype)\n"
        ),
    )
    assert body["error"] is None
    assert body["stdout"] == "[2.0] [0.0] [1] torch.float32\n"


def test_global_settings_a_program_may_change_are_put_back(client: TestClient) -> None:
    """Course programs switch global settings (default dtype, print precision, plot sizes):
    allowed, and put back before the next program, on every worker."""
    _on_every_worker(
        client,
        "import numpy as np\nimport matplotlib.pyplot as plt\n"
        "torch.set_default_dtype(torch.float64)\ntorch.set_printoptions(precision=1)\n"
        "np.set_printoptions(precision=1)\nplt.rcParams['secret'] = 'SECRET'\n"
        "torch.set_grad_enabled(False)\n",
    )
    body = _run(
        client,
        _fresh(
            "import numpy as np\nimport matplotlib.pyplot as plt\n"
            "print(torch.ones(1).dtype, torch.tensor([1.23456]), np.array([1.23456]),"
            " dict(plt.rcParams), torch.is_grad_enabled())\n"
        ),
    )
    assert body["error"] is None
    assert body["stdout"] == "torch.float32 tensor([1.2346]) [1.23456] {} True\n"


def test_output_not_carried(client: TestClient) -> None:
    _on_every_worker(client, "print('SECRET-OUTPUT')\nx = 1 / 0")
    body = _run(client, _fresh("print('hello')"))
    assert body["stdout"] == "hello\n"
    assert "SECRET" not in str(body)


def test_tensors_of_other_programs_not_in_graph(client: TestClient) -> None:
    _on_every_worker(client, "leaked = torch.ones(3, requires_grad=True)\nz = (leaked * 3).sum()")
    body = _run(client, _fresh("x = torch.ones(1, requires_grad=True)\ny = x + 1\n"))
    names = {name for n in body["nodes"] if n["kind"] == "tensor" for name in n["names"]}
    assert names == {"x", "y"}
    assert _functions(body) == ["AddBackward0"]


# --- memory a worker hands out again ------------------------------------------------------------

SECRET = 31337.0
# Programs that leave the secret in memory the worker frees after answering (or during).
_WRITERS = {
    "held": f"secret = torch.full((100000,), {SECRET})\n",
    "freed": f"secret = torch.full((100000,), {SECRET})\ny = secret * 1\ndel secret, y\n",
    "many": f"secrets = [torch.full((30000,), {SECRET}) for i in range(20)]\n",
    "double": f"secret = torch.full((100000,), {SECRET}, dtype=torch.float64)\n",
    "numpy": f"import numpy as np\nsecret = np.full(100000, {SECRET})\n",
}
# Every call a program may make that PyTorch or NumPy answers with memory it does not fill.
_CREATORS = {
    "empty": "torch.empty(n)",
    "empty_sizes": "torch.empty(n // 100, 100)",
    "empty_double": "torch.empty(n, dtype=torch.float64).float()",
    "empty_like": "torch.empty_like(torch.zeros(n))",
    "new_empty": "torch.zeros(1).new_empty(n)",
    "new_empty_grad": "torch.zeros(1).new_empty((n,), requires_grad=True).detach()",
    "empty_out": "torch.empty(n, out=torch.zeros(1))",
    "legacy_tensor": "torch.Tensor(n)",
    "legacy_size": "torch.Tensor(torch.Size([n]))",
    "legacy_float": "torch.FloatTensor(n)",
    "legacy_double": "torch.DoubleTensor(n).float()",
    "tensor_class": "torch.zeros(1).__class__(n)",
    "type_of_tensor": "type(torch.zeros(1))(n)",
    "numpy_empty": "torch.from_numpy(np.empty(n))",
    "numpy_empty_like": "torch.from_numpy(np.empty_like(np.zeros(n)))",
}
_READER = (
    "import numpy as np\n"
    "found = {}\n"
    "for n in (100000, 30000):\n"
    + "".join(
        f"    made = [{make} for i in range(8)]\n"
        f"    found['{name}'] = found.get('{name}', 0) + sum(int((m == {SECRET}).sum()) for m in made)\n"
        for name, make in _CREATORS.items()
    )
    + "print(sum(found.values()), found)\n"
)


@pytest.fixture(scope="module")
def one_worker() -> Iterator[TestClient]:
    """A client of the real app with a single worker: every request runs in that one process."""
    settings = Settings(workers=1, eval_timeout_s=10.0, rate_limit_per_s=0)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.mark.parametrize("writer", sorted(_WRITERS))
def test_a_later_request_on_the_same_worker_sees_no_earlier_values(
    one_worker: TestClient, writer: str
) -> None:
    """One user's tensor, then another user's program on the same worker: every way to get
    memory that is not filled (``torch.empty`` and its kin, the legacy constructors, NumPy's
    ``empty``) gives zeros, never the first program's values."""
    assert _run(one_worker, _fresh(_WRITERS[writer]))["error"] is None
    body = _run(one_worker, _fresh(_READER))
    assert body["error"] is None, body["error"]
    assert body["stdout"].startswith("0 "), body["stdout"]


def test_an_ops_workspace_is_shown_by_its_size_never_its_bytes(one_worker: TestClient) -> None:
    """An LSTM's saved workspace (MkldnnRnnLayerBackward0's ``result3``) is memory the op
    allocates without filling all of it: after another request printed text on the same
    worker, its last bytes were that text (``46, 48, 48``: ".00"). The graph shows its size."""
    writer = "xs = [torch.full((64,), float(i)) for i in range(3000)]\nprint(xs[-1])\n"
    assert _run(one_worker, _fresh(writer))["error"] is None
    body = _run(
        one_worker,
        _fresh("lstm = nn.LSTM(1, 1)\ny, _ = lstm(torch.randn(2, 1, 1))\ny.sum().backward()\n"),
    )
    assert body["error"] is None, body["error"]
    (workspace,) = [
        saved
        for node in body["nodes"]
        if node["kind"] == "function" and node["op"] == "MkldnnRnnLayerBackward0"
        for saved in node["saved"]
        if saved["name"] == "result3"
    ]
    assert workspace["value"] is None and workspace["tensor"] is None
    assert workspace["text"].startswith("(28672 uint8: the op's workspace")
