"""hint_for() against the exceptions plain PyTorch really raises for each faulty program."""

from __future__ import annotations

import importlib.util
import re
import sys
import warnings
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from app.hints import hint_for
from app.hints import pytorch as hints
from app.hints.model_hints import MODEL_RULES

HAS_NUMPY = importlib.util.find_spec("numpy") is not None
CJK = re.compile(r"[\u4e00-\u9fff]")

# (expected key, program). Programs run with warnings ignored, as they would be for a student;
# the few that start with `warnings.simplefilter("error")` turn a warning into the exception.
CASES: list[tuple[str, str]] = [
    ("nonscalar_backward", "x = torch.ones(3, requires_grad=True)\n(x * 2).backward()"),
    (
        "backward_twice",
        "x = torch.ones(3, requires_grad=True)\ny = (x * x).sum()\ny.backward()\ny.backward()",
    ),
    (
        "backward_twice",
        (
            "x = torch.ones(3, requires_grad=True)\ny = x.exp().sum()\n"
            "torch.autograd.grad(y, x)\ntorch.autograd.grad(y, x)"
        ),
    ),
    ("no_grad_backward", "torch.ones(3).sum().backward()"),
    (
        "no_grad_backward",
        (
            "x = torch.ones(3, requires_grad=True)\nwith torch.no_grad():\n    y = x * 2\n"
            "y.sum().backward()"
        ),
    ),
    (
        "no_grad_backward",
        "x = torch.ones(3, requires_grad=True)\n(x * 2).detach().sum().backward()",
    ),
    (
        "backward_gradient_shape",
        "x = torch.ones(3, requires_grad=True)\n(x * 2).backward(torch.ones(2))",
    ),
    (
        "grad_unused_input",
        (
            "x = torch.ones(3, requires_grad=True)\nz = torch.ones(3, requires_grad=True)\n"
            "torch.autograd.grad((x * 2).sum(), z)"
        ),
    ),
    (
        "inplace_modified",
        "x = torch.ones(3, requires_grad=True)\ny = x.sigmoid()\ny.mul_(2)\ny.sum().backward()",
    ),
    (
        "inplace_modified",
        "x = torch.ones(3, requires_grad=True)\na = x * 1\nb = a * a\na += 1\nb.sum().backward()",
    ),
    ("leaf_view_inplace", "x = torch.ones(3, requires_grad=True)\nx[0] = 5"),
    ("leaf_view_inplace", "x = torch.ones(3, requires_grad=True)\nx.view(3).add_(1)"),
    ("leaf_inplace", "x = torch.ones(3, requires_grad=True)\nx.add_(1)"),
    ("leaf_inplace", "x = torch.ones(3, requires_grad=True)\nx -= 0.1 * x"),
    ("leaf_inplace", "x = torch.ones(3, requires_grad=True)\nF.relu(x, inplace=True)"),
    ("int_requires_grad", "torch.tensor(1, requires_grad=True)"),
    ("int_requires_grad", "torch.arange(3, requires_grad=True)"),
    ("int_requires_grad", "torch.arange(3).requires_grad_()"),
    ("int_requires_grad", "t = torch.arange(3)\nt.requires_grad = True"),
    (
        "requires_grad_nonleaf",
        "x = torch.ones(3, requires_grad=True)\ny = x * 2\ny.requires_grad = False",
    ),
    ("optim_nonleaf", "torch.optim.SGD([torch.randn(3, requires_grad=True) * 0.01], lr=0.1)"),
    (
        "grad_is_none",
        "x = torch.ones(3, requires_grad=True)\ny = x * 2\ny.sum().backward()\nz = y.grad * 2",
    ),
    ("grad_is_none", "w = torch.ones(3, requires_grad=True)\nw = w - 0.1 * w.grad"),
    ("grad_is_none", "w = torch.ones(3, requires_grad=True)\nw.grad.zero_()"),
    ("grad_is_none", "w = torch.ones(3, requires_grad=True)\ntorch.mul(w.grad, 2)"),
    (
        "grad_is_none",
        'warnings.simplefilter("error")\nx = torch.ones(3, requires_grad=True)\n(x * 2).grad',
    ),
    ("shape_mismatch", "torch.mm(torch.ones(2, 3), torch.ones(2, 3))"),
    ("shape_mismatch", "torch.ones(2, 3) @ torch.ones(2, 3)"),
    ("shape_mismatch", "torch.ones(3) @ torch.ones(2)"),
    ("shape_mismatch", "torch.ones(3) @ torch.ones(2, 3)"),
    ("shape_mismatch", "torch.ones(2, 3) @ torch.ones(2)"),
    ("shape_mismatch", "torch.ones(4, 2, 3) @ torch.ones(4, 2, 3)"),
    ("shape_mismatch", "torch.dot(torch.ones(3), torch.ones(2))"),
    ("shape_mismatch", "nn.Linear(4, 2)(torch.ones(5, 3))"),
    ("shape_mismatch", "torch.ones(2, 3) + torch.ones(2, 2)"),
    ("reshape_invalid", "torch.ones(2, 3).view(4)"),
    ("view_noncontiguous", "torch.ones(2, 3).t().view(6)"),
    ("concat_shape_mismatch", "torch.cat([torch.ones(2, 3), torch.ones(2, 2)])"),
    ("concat_shape_mismatch", "torch.stack([torch.ones(2), torch.ones(3)])"),
    ("dtype_mismatch", "torch.ones(2, 3) @ torch.ones(3, 2, dtype=torch.long)"),
    ("dtype_mismatch", "torch.bmm(torch.ones(1, 2, 3), torch.ones(1, 3, 2, dtype=torch.long))"),
    ("dtype_mismatch", "torch.dot(torch.ones(3), torch.ones(3, dtype=torch.long))"),
    ("dtype_mismatch", "torch.mv(torch.ones(2, 3), torch.ones(3, dtype=torch.long))"),
    ("dtype_mismatch", "nn.Linear(3, 2)(torch.ones(5, 3, dtype=torch.long))"),
    ("dtype_mismatch", "nn.Conv2d(1, 1, 3)(torch.ones(1, 1, 5, 5, dtype=torch.long))"),
    ("dtype_mismatch", "nn.BCELoss()(torch.rand(4), torch.tensor([1, 0, 1, 0]))"),
    ("dtype_mismatch", "nn.BCEWithLogitsLoss()(torch.rand(4), torch.tensor([1, 0, 1, 0]))"),
    ("int_tensor_op", "torch.tensor([1, 2, 3]).mean()"),
    ("int_tensor_op", "torch.tensor([1, 2, 3]).softmax(0)"),
    ("int_tensor_op", "nn.CrossEntropyLoss()(torch.tensor([[1, 2, 3]]), torch.tensor([1]))"),
    ("ce_target_dtype", "nn.CrossEntropyLoss()(torch.randn(4, 3), torch.tensor([0., 1., 2., 1.]))"),
    ("ce_target_dtype", "nn.CrossEntropyLoss()(torch.randn(4, 3), torch.tensor([[1, 0, 0]] * 4))"),
    (
        "ce_target_shape",
        "nn.CrossEntropyLoss()(torch.randn(4, 3), torch.zeros(4, 1, dtype=torch.long))",
    ),
    ("ce_target_shape", "nn.CrossEntropyLoss()(torch.randn(4, 3), torch.zeros(5).long())"),
    ("class_index_out_of_range", "nn.CrossEntropyLoss()(torch.randn(2, 3), torch.tensor([0, 3]))"),
    ("bce_input_range", "nn.BCELoss()(torch.tensor([1.5, 0.2]), torch.tensor([1., 0.]))"),
    ("bce_target_range", "nn.BCELoss()(torch.tensor([0.5, 0.2]), torch.tensor([2., 0.]))"),
    ("loss_shape_mismatch", "nn.BCELoss()(torch.rand(4, 1), torch.rand(4))"),
    ("loss_shape_mismatch", "nn.BCEWithLogitsLoss()(torch.rand(4, 1), torch.rand(4))"),
    (
        "loss_shape_mismatch",
        'warnings.simplefilter("error")\nnn.MSELoss()(torch.ones(4, 1), torch.ones(4))',
    ),
    ("no_gpu", "torch.ones(2).cuda()"),
    ("no_gpu", "x = torch.zeros(3, device='cuda')"),
    ("no_gpu", "torch.ones(2).cuda(0)"),
    (
        "anomaly_nan",
        (
            "x = torch.tensor([-1.0], requires_grad=True)\n"
            "with torch.autograd.detect_anomaly():\n    (torch.sqrt(x) * 0).sum().backward()"
        ),
    ),
    ("no_gpu", "torch.ones(2).to('mps')"),
    ("item_multi_element", "torch.ones(2).item()"),
    ("item_multi_element", "float(torch.ones(2))"),
    ("item_multi_element", "xs = [torch.ones(2), torch.ones(2)]\nt = torch.tensor(xs)"),
    (
        "module_init_not_called",
        "class Net(nn.Module):\n    def __init__(self):\n        self.fc = nn.Linear(2, 1)\nNet()",
    ),
    (
        "module_init_not_called",
        (
            "class W(nn.Module):\n    def __init__(self):\n"
            "        self.w = nn.Parameter(torch.ones(2))\nW()"
        ),
    ),
    (
        "module_init_not_called",
        (
            "class T(nn.Module):\n    def __init__(self):\n        self.w = torch.ones(2)\n"
            "    def forward(self, x):\n        return x * self.w\nT()(torch.ones(2))"
        ),
    ),
    ("optimizer_params", "torch.optim.SGD(nn.Linear(2, 1).parameters, lr=0.1)"),
    ("optimizer_params", "torch.optim.Adam(torch.ones(2, requires_grad=True), lr=0.1)"),
    ("optimizer_params", "torch.optim.SGD([], lr=0.1)"),
    ("conv_channels", "nn.Conv2d(3, 6, 3)(torch.ones(1, 1, 8, 8))"),
    ("conv_input_dims", "nn.Conv2d(1, 6, 3)(torch.ones(8, 8))"),
    ("conv_input_dims", "nn.MaxPool2d(2)(torch.ones(8))"),
    ("pool_output_too_small", "nn.MaxPool2d(2)(torch.ones(1, 1, 1, 1))"),
    ("embedding_index", "nn.Embedding(5, 2)(torch.tensor([5]))"),
    ("embedding_index", "nn.Embedding(5, 2)(torch.tensor([1.0]))"),
    ("embedding_index", "torch.ones(3).index_select(0, torch.tensor([3]))"),
    ("index_out_of_bounds", "torch.ones(3)[3]"),
    ("index_out_of_bounds", "torch.ones(2, 3)[:, -4]"),
    ("cat_needs_sequence", "torch.cat(torch.ones(2), torch.ones(2))"),
    ("cat_needs_sequence", "torch.stack(torch.ones(2), torch.ones(2))"),
    (
        "tensor_not_callable",
        "loss = nn.MSELoss()\nfor i in range(2):\n    loss = loss(torch.ones(2), torch.zeros(2))",
    ),
    ("batchnorm_single_sample", "nn.BatchNorm1d(3)(torch.ones(1, 3))"),
    ("softmax_implicit_dim", 'warnings.simplefilter("error")\nF.softmax(torch.ones(2, 3))'),
    ("softmax_implicit_dim", 'warnings.simplefilter("error")\nnn.LogSoftmax()(torch.ones(2, 3))'),
    ("no_gpu", "torch.ones(2).type('torch.cuda.FloatTensor')"),
    ("not_a_tensor", "nn.CrossEntropyLoss()([0.1, 0.9], torch.tensor([1]))"),
    ("not_a_tensor", "nn.Linear(2, 1)((1.0, 2.0))"),
    ("parameters_generator", "nn.Linear(2, 1).parameters()[0]"),
    ("sequential_list", "nn.Sequential([nn.Linear(2, 2), nn.ReLU()])"),
    (
        "tuple_not_tensor",
        "x = torch.tensor(2.0, requires_grad=True)\ntorch.autograd.grad(x * x, x).item()",
    ),
    ("state_dict_mismatch", "nn.Linear(2, 1).load_state_dict({'weight': torch.ones(1, 2)})"),
    ("index_dtype", "torch.ones(3)[torch.tensor([1.0])]"),
    ("bool_ambiguous", "x = torch.ones(2)\nif x > 0:\n    pass"),
    ("integer_text_too_long", "n = int('9' * 5000)"),
    # Without NumPy, torch says "Numpy is not available" before it looks at requires_grad.
    (
        "numpy_requires_grad" if HAS_NUMPY else "numpy_unavailable",
        "torch.ones(3, requires_grad=True).numpy()",
    ),
]


def run_faulty(code: str) -> BaseException:
    """Exec `code` with plain PyTorch and return what it raised."""
    namespace = {"torch": torch, "nn": nn, "F": F, "warnings": warnings}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exec(code, namespace)  # noqa: S102 - trusted test programs, run as students would
    except Exception as exc:  # noqa: BLE001 - any exception is the object under test
        return exc
    pytest.fail(f"program did not raise:\n{code}")


@pytest.mark.parametrize(("key", "code"), CASES, ids=[f"{k}-{i}" for i, (k, _) in enumerate(CASES)])
def test_hint_for_real_pytorch_error(key: str, code: str) -> None:
    exc = run_faulty(code)
    hint = hint_for(exc)
    assert hint is not None, f"no hint for {type(exc).__name__}: {exc}"
    assert hint.key == key, f"{type(exc).__name__}: {exc}"
    assert hint.en.strip() and "`" in hint.en
    assert CJK.search(hint.zh) and "`" in hint.zh


def test_every_rule_is_exercised() -> None:
    tested = {key for key, _ in CASES}
    # Only one of the two NumPy rules can fire live, depending on whether NumPy is installed;
    # the other is checked against the installed torch's own wording below.
    untested = {rule.hint.key for rule in hints._RULES} - tested
    assert {rule.hint.key for rule in MODEL_RULES} <= tested
    assert untested <= {"numpy_requires_grad", "numpy_unavailable"}


@pytest.mark.skipif(HAS_NUMPY, reason="the live case above covers it")
@pytest.mark.skipif(sys.platform != "linux", reason="reads torch's Linux shared library")
def test_numpy_requires_grad_wording_from_installed_torch() -> None:
    # NumPy is absent, so no program can make torch raise this; read the message out of the
    # library that would raise it instead of copying it from a tutorial.
    data = (Path(torch.__file__).parent / "lib" / "libtorch_python.so").read_bytes()
    at = data.find(b"Can't call numpy() on Tensor that requires grad")
    assert at != -1
    message = data[data.rfind(b"\0", 0, at) + 1 : data.find(b"\0", at)].decode()
    hint = hint_for(RuntimeError(message))
    assert hint is not None and hint.key == "numpy_requires_grad"


@pytest.mark.parametrize(
    "exc",
    [
        ZeroDivisionError("division by zero"),
        RuntimeError("CUDA error: out of memory"),
        TypeError("unsupported operand type(s) for +: 'int' and 'str'"),
        # Right words, wrong type: the BCE range check is a RuntimeError in PyTorch.
        ValueError("all elements of input should be between 0 and 1"),
    ],
)
def test_unrelated_exception_has_no_hint(exc: BaseException) -> None:
    assert hint_for(exc) is None
