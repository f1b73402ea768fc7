"""The autograd APIs courses use (PyTorch tutorials, d2l, Karpathy), each run in the sandbox
and compared with plain PyTorch on the same program: tensor and module hooks and their
handles, ``torch.autograd.functional``, inference mode, gradient clipping and a tensor's
``_version``. And what stays out: what a handle hides, the size of a Jacobian."""

from __future__ import annotations

import pytest

from app.evaluate import evaluate
from tests.reference import run_reference

_SEEDED = "torch.manual_seed(0)\n"

PROGRAMS = {
    "tensor-hook-removed": (
        "x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)\n"
        "h = x.register_hook(lambda g: g * 2)\n"
        "(x * 3).sum().backward()\nprint(x.grad)\n"
        "h.remove()\nx.grad = None\n(x * 3).sum().backward()\nprint(x.grad)\n"
    ),
    "tensor-hook-handle-in-with": (
        "x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)\n"
        "with x.register_hook(lambda g: g * 2):\n    (x * 3).sum().backward()\n"
        "print(x.grad)\n(x * 3).sum().backward()\nprint(x.grad)\n"
    ),
    "forward-hook": (
        _SEEDED + "m = nn.Linear(2, 3)\nseen = []\n"
        "def keep(module, inputs, output):\n    seen.append(output.detach().clone())\n"
        "h = m.register_forward_hook(keep)\n"
        "y = m(torch.ones(1, 2))\nh.remove()\ny = m(torch.ones(1, 2) * 2)\n"
        "print(len(seen), seen[0])\n"
    ),
    "forward-hook-replaces-output": (
        _SEEDED + "m = nn.Linear(2, 2)\n"
        "h = m.register_forward_hook(lambda mod, i, out: out * 10)\n"
        "y = m(torch.ones(1, 2))\ny.sum().backward()\nprint(y, m.weight.grad)\n"
    ),
    "forward-hook-keywords": (
        _SEEDED + "m = nn.Linear(2, 2)\norder = []\n"
        "def first(mod, args, kwargs, out):\n    order.append('first')\n    return out + 1\n"
        "def second(mod, args, out):\n    order.append('second')\n"
        "a = m.register_forward_hook(second)\n"
        "b = m.register_forward_hook(first, with_kwargs=True, prepend=True)\n"
        "y = m(torch.ones(1, 2))\nprint(order, y, a.id < b.id)\n"
    ),
    "forward-pre-hook": (
        _SEEDED + "m = nn.Linear(2, 2)\n"
        "h = m.register_forward_pre_hook(lambda mod, inputs: (inputs[0] * 2,))\n"
        "a = m(torch.ones(1, 2))\nh.remove()\nb = m(torch.ones(1, 2))\nprint(a, b)\n"
    ),
    "full-backward-hook": (
        _SEEDED + "m = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))\n"
        "grads = []\n"
        "def watch(module, grad_input, grad_output):\n"
        "    grads.append(grad_output[0].detach().clone())\n"
        "h = m[0].register_full_backward_hook(watch)\n"
        "m(torch.ones(4, 2)).sum().backward()\nh.remove()\n"
        "m(torch.ones(4, 2)).sum().backward()\nprint(len(grads), grads[0], m[0].weight.grad)\n"
    ),
    "jacobian-hessian": (
        "from torch.autograd.functional import jacobian, hessian\n"
        "x = torch.tensor([0.5, -1.0, 2.0])\n"
        "print(jacobian(lambda t: t.exp() * t.sum(), x))\n"
        "print(hessian(lambda t: (t ** 3).sum() + t.prod(), x))\n"
        "print(jacobian(lambda a, b: a * b, (x, x + 1)))\n"
        "print(torch.autograd.functional.jacobian(torch.sin, x, vectorize=True))\n"
        "print(hessian(lambda t: (t ** 3).sum(), x, vectorize=True))\n"
        "print(jacobian(lambda t: t.cos() * 2, x, vectorize=True, strategy='forward-mode'))\n"
        "print(hessian(lambda t: t.pow(2).sum(), x, create_graph=True))\n"
    ),
    "vjp-jvp-hvp-vhp": (
        "from torch.autograd.functional import vjp, jvp, hvp, vhp\n"
        "x = torch.tensor([0.5, -1.0, 2.0])\nv = torch.tensor([1.0, 2.0, 3.0])\n"
        "f = lambda t: (t ** 3).sum()\ng = lambda t: t.sin() * t\n"
        "print(vjp(g, x, v))\nprint(jvp(g, x, v))\nprint(hvp(f, x, v))\nprint(vhp(f, x, v))\n"
    ),
    "inference-mode": (
        "x = torch.ones(2, requires_grad=True)\n"
        "print(torch.is_inference_mode_enabled())\n"
        "with torch.inference_mode():\n"
        "    y = x * 2\n    print(torch.is_inference_mode_enabled())\n"
        "print(y, y.is_inference(), y.requires_grad, x.is_inference())\n"
        "@torch.inference_mode()\ndef predict(t):\n    return t * 3\n"
        "z = predict(x)\nprint(z, z.is_inference(), torch.is_inference_mode_enabled())\n"
        "with torch.inference_mode(False):\n    w = x * 2\nprint(w.is_inference(), w.requires_grad)\n"
    ),
    "clip-grad": (
        _SEEDED + "m = nn.Linear(3, 2)\nm(torch.ones(4, 3)).pow(2).sum().backward()\n"
        "print(torch.nn.utils.clip_grad_norm_(m.parameters(), 0.5), m.weight.grad)\n"
        "print(nn.utils.clip_grad_value_(m.parameters(), 0.01), m.bias.grad)\n"
        "print(nn.utils.clip_grad_norm_(m.parameters(), max_norm=1.0, norm_type=1.0))\n"
    ),
    "version": (
        "x = torch.ones(2)\nprint(x._version)\nx.add_(1)\nx[0] = 5\nprint(x._version)\n"
        "w = torch.ones(2, requires_grad=True)\ny = w * 2\nv = y._version\n"
        "with torch.no_grad():\n    w.mul_(3)\nprint(v, y._version, w._version)\n"
    ),
    "complex": (
        "z = torch.tensor([1 + 2j, 3 - 1j], requires_grad=True)\n"
        "w = torch.complex(torch.tensor([1., 0.]), torch.tensor([0., 1.]))\n"
        "y = (z * w).abs().sum()\ny.backward()\nprint(z.grad, y)\n"
        "print(torch.view_as_real(z.detach()), z.real, z.imag, z.angle(), z.conj())\n"
        "e = torch.polar(torch.ones(2), torch.tensor([0., 1.5]))\n"
        "print(e, e.dtype, torch.ones(2, dtype=torch.cfloat), z.is_complex())\n"
        "c = torch.randn(3, dtype=torch.complex128, generator=torch.Generator().manual_seed(0))\n"
        "print(c, (c * c.conj()).real)\n"
    ),
}


@pytest.mark.parametrize("name", list(PROGRAMS))
def test_runs_as_in_plain_pytorch(name: str) -> None:
    """The sandbox prints what plain PyTorch prints for the same program (values, grads,
    which hook ran how often)."""
    code = PROGRAMS[name]
    record = evaluate(code)
    assert record.refused is None and record.error is None, record.refused or record.error
    assert record.stdout == run_reference(code).stdout
    assert record.stdout  # every program prints what it checks


def test_version_is_read_only() -> None:
    record = evaluate("x = torch.ones(2)\nx._version = 5\n")
    assert record.error is not None and record.error.type == "SandboxViolation"


def test_a_hook_handle_exposes_only_remove_and_id() -> None:
    for attribute in ("hooks_dict_ref", "extra_dict_ref", "next_id"):
        for make in (
            "h = torch.ones(1, requires_grad=True).register_hook(lambda g: g)\n",
            "h = nn.Linear(1, 1).register_forward_hook(lambda m, i, o: o)\n",
        ):
            record = evaluate(make + f"v = h.{attribute}\n")
            assert record.error is not None and record.error.type == "SandboxViolation"
            assert attribute in record.error.message


def test_a_jacobian_over_the_limit_is_refused_before_its_rows() -> None:
    """Its size (output elements x input elements) is known once the function has run once:
    it is refused then, not after a backward pass per output element (the function runs once,
    as the first step of PyTorch's own jacobian)."""
    code = (
        "calls = []\n"
        "def f(x):\n    calls.append(1)\n    print('ran')\n    return x * 2\n"
        "J = torch.autograd.functional.jacobian(f, torch.ones(2000))\n"
    )
    record = evaluate(code)
    assert record.error is not None and record.error.type == "LimitExceeded"
    assert record.error.message == (
        "jacobian would make a tensor of 4,000,000 elements; the limit is 1,000,000"
    )
    assert record.stdout == "ran\n"


def test_a_hessian_over_the_limit_is_refused_before_it_runs() -> None:
    code = (
        "def f(x):\n    print('ran')\n    return (x ** 3).sum()\n"
        "H = torch.autograd.functional.hessian(f, torch.ones(1001))\n"
    )
    record = evaluate(code)
    assert record.error is not None and record.error.type == "LimitExceeded"
    assert record.error.message == (
        "hessian would make a tensor of 1,002,001 elements; the limit is 1,000,000"
    )
    assert record.stdout == ""


def test_a_jacobian_at_the_limit_runs() -> None:
    code = "J = torch.autograd.functional.jacobian(lambda x: x * 2, torch.ones(1000))\n"
    record = evaluate(code)
    assert record.error is None
    assert record.graph is not None
