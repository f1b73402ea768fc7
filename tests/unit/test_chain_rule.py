"""The chain-rule table (app/walk/chain_rule.py) against plain PyTorch.

Each row's node is made in plain PyTorch, its saved values read just before it runs (a pre
hook) and the gradients it received and sent recorded (a post hook). For a ``product`` term,
incoming × local must give what PyTorch sent (summed over broadcast dimensions, or copied to
every element a reduction took); a ``matrix`` term's written formula, computed from the same
values, must give it too; and the whole walk's terms (extract) read as the issue's example.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import torch
import torch.nn.functional as F

from app.evaluate import evaluate
from app.walk.chain_rule import CHAIN_RULES
from app.walk.saved_values import saved_attributes

Make = Callable[[], tuple[torch.Tensor, list[torch.Tensor]]]


def _leaf(*shape: int, low: float = 0.5, high: float = 2.0) -> torch.Tensor:
    return (torch.rand(shape, dtype=torch.float64) * (high - low) + low).requires_grad_()


def _signed(*shape: int) -> torch.Tensor:
    return torch.randn(shape, dtype=torch.float64).requires_grad_()


def _cases() -> dict[str, Make]:
    a, b, s = _signed(3), _signed(3), _leaf()
    p, m, w, v = _leaf(2, 3), _signed(2, 3), _signed(3, 4), _signed(3)
    target = torch.tensor([0, 2])
    return {
        "AddBackward0": lambda: (torch.add(a, s, alpha=2), [a, s]),
        "SubBackward0": lambda: (torch.sub(a, b, alpha=3), [a, b]),
        "RsubBackward0": lambda: (torch.rsub(a, b), [a, b]),
        "RsubBackward1": lambda: (3 - a, [a]),
        "MulBackward0": lambda: (a * s, [a, s]),
        "DivBackward0": lambda: (a / p[0], [a, p]),
        "NegBackward0": lambda: (-a, [a]),
        "PowBackward0": lambda: (p**3, [p]),
        "PowBackward1": lambda: (p ** v.abs(), [p, v]),
        "PowBackward2": lambda: (2**a, [a]),
        "ExpBackward0": lambda: (a.exp(), [a]),
        "LogBackward0": lambda: (p.log(), [p]),
        "Log1PBackward0": lambda: (p.log1p(), [p]),
        "SqrtBackward0": lambda: (p.sqrt(), [p]),
        "RsqrtBackward0": lambda: (p.rsqrt(), [p]),
        "ReciprocalBackward0": lambda: (p.reciprocal(), [p]),
        "SigmoidBackward0": lambda: (a.sigmoid(), [a]),
        "TanhBackward0": lambda: (a.tanh(), [a]),
        "ReluBackward0": lambda: (m.relu(), [m]),
        "LeakyReluBackward0": lambda: (F.leaky_relu(m, 0.1), [m]),
        "SiluBackward0": lambda: (F.silu(m), [m]),
        "GeluBackward0": lambda: (F.gelu(m), [m]),
        "SinBackward0": lambda: (a.sin(), [a]),
        "CosBackward0": lambda: (a.cos(), [a]),
        "AbsBackward0": lambda: (m.abs(), [m]),
        "ClampBackward1": lambda: (m.clamp(-0.5, 0.5), [m]),
        "ClampMinBackward0": lambda: (torch.clamp_min(m, 0.1), [m]),
        "ClampMaxBackward0": lambda: (torch.clamp_max(m, 0.1), [m]),
        "CloneBackward0": lambda: (a.clone(), [a]),
        "SumBackward0": lambda: (m.sum(), [m]),
        "MeanBackward0": lambda: (m.mean(), [m]),
        "MeanBackward1": lambda: (m.mean(1), [m]),
        "MaxBackward1": lambda: (m.max(), [m]),
        "MinBackward1": lambda: (m.min(), [m]),
        "LinalgVectorNormBackward0": lambda: (m.norm(), [m]),
        "DotBackward0": lambda: (a.dot(b), [a, b]),
        "MseLossBackward0": lambda: (F.mse_loss(a, b), [a, b]),
        "NllLossBackward0": lambda: (F.nll_loss(m, target), [m]),
        "BinaryCrossEntropyBackward0": lambda: (
            F.binary_cross_entropy(m.sigmoid(), torch.rand(2, 3, dtype=torch.float64)),
            [m],
        ),
        "BinaryCrossEntropyWithLogitsBackward0": lambda: (
            F.binary_cross_entropy_with_logits(m, torch.rand(2, 3, dtype=torch.float64)),
            [m],
        ),
        "MmBackward0": lambda: (m @ w, [m, w]),
        "BmmBackward0": lambda: (torch.bmm(m.unsqueeze(0), w.unsqueeze(0)), [m, w]),
        "MvBackward0": lambda: (m @ v, [m, v]),
        "AddmmBackward0": lambda: (torch.addmm(v[:1].expand(4), p.T @ p, w), [v, p, w]),
        "LogSoftmaxBackward0": lambda: (F.log_softmax(m, 1), [m]),
        "SoftmaxBackward0": lambda: (F.softmax(m, 1), [m]),
    }


def _run(make: Make, op: str) -> tuple[dict[str, Any], list[Any], list[Any]]:
    """Run ``make``'s node in backward: its saved values, what it received and what it sent."""
    out, _ = make()
    node = out.grad_fn
    assert type(node).__name__ == op, type(node).__name__
    saved: dict[str, Any] = {}
    seen: dict[str, list[Any]] = {}

    def pre(grad_outputs: tuple[Any, ...]) -> None:
        for attr in saved_attributes(type(node)):
            value = getattr(node, attr)
            saved[attr.removeprefix("_saved_")] = (
                value.detach().clone() if isinstance(value, torch.Tensor) else value
            )

    def post(grad_inputs: tuple[Any, ...], grad_outputs: tuple[Any, ...]) -> None:
        seen["in"], seen["out"] = list(grad_outputs), list(grad_inputs)

    node.register_prehook(pre)
    node.register_hook(post)
    # A gradient of varied numbers, so that a wrong rule cannot pass by symmetry.
    seed = torch.linspace(0.5, 1.5, max(out.numel(), 1), dtype=out.dtype).reshape(out.shape)
    out.backward(seed)
    return saved, seen["in"], seen["out"]


def _fit(product: torch.Tensor, shape: torch.Size, saved: dict[str, Any]) -> torch.Tensor:
    """incoming × local in the input's shape: summed over broadcast dimensions, or spread."""
    if product.shape == shape:
        return product
    if product.numel() > shape.numel():
        return product.sum_to_size(shape)
    dims = saved.get("dim")
    if dims is not None and not saved.get("keepdim", False):
        for dim in sorted(d % len(shape) for d in dims):
            product = product.unsqueeze(dim)
    return product.expand(shape)


def _factor(name: str, saved: dict[str, Any], grad: torch.Tensor) -> torch.Tensor:
    base, _, transposed = name.partition(".")
    value = grad if base == "grad" else saved[base]
    return value.mT if transposed else value


@pytest.mark.parametrize("op", sorted(_cases()))
def test_each_rule_gives_what_pytorch_sends(op: str) -> None:
    torch.manual_seed(0)
    saved, incoming, outgoing = _run(_cases()[op], op)
    grad = incoming[0]
    checked = 0
    for slot, term in enumerate(CHAIN_RULES[op]):
        sent = outgoing[slot] if slot < len(outgoing) else None
        if sent is None:
            continue
        if term.kind == "product":
            assert term.local is not None
            local = term.local(saved)
            assert local is not None, (op, slot)
            made = _fit(grad * local, sent.shape, saved)
        elif term.kind == "matrix":
            assert term.factors is not None
            first, second = (_factor(f, saved, grad) for f in term.factors)
            joined = torch.outer if term.formula.startswith("outer") else torch.matmul
            made = joined(first, second)
            if op == "AddmmBackward0":
                made = made * float(saved["alpha"])
        elif op == "LogSoftmaxBackward0":  # grad − softmax(x)·grad.sum(dim)
            dim = int(saved["dim"])
            made = grad - saved["result"].exp() * grad.sum(dim, keepdim=True)
        elif op == "SoftmaxBackward0":  # result·(grad − (grad·result).sum(dim))
            dim, result = int(saved["dim"]), saved["result"]
            made = result * (grad - (grad * result).sum(dim, keepdim=True))
        else:
            continue
        torch.testing.assert_close(made, sent, msg=f"{op} slot {slot}")
        checked += 1
    assert checked, f"{op}: no input got a gradient"


def test_every_row_has_a_plain_pytorch_case() -> None:
    shape_only = {op for op, terms in CHAIN_RULES.items() if all(t.kind == "shape" for t in terms)}
    assert set(CHAIN_RULES) - shape_only <= set(_cases())


def _steps(code: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    record = evaluate(code)
    assert record.graph_model is not None
    graph = record.graph_model.to_dict()
    return {n["id"]: n for n in graph["nodes"]}, graph["backward"][0]["steps"]


def test_scalar_chain_reads_incoming_local_outgoing() -> None:
    """The issue's example: x's PowBackward0 takes in 14, its local derivative is 2·x = 4, and
    it sends 56 (plain PyTorch: dz/dy = 2y = 14 at y = 7, x.grad = 56)."""
    x = torch.tensor(2.0, requires_grad=True)
    y = x**2 + 3
    y.retain_grad()
    (y**2).backward()
    assert y.grad is not None and x.grad is not None
    nodes, steps = _steps(
        "x = torch.tensor(2.0, requires_grad=True)\ny = x ** 2 + 3\nz = y ** 2\nz.backward()"
    )
    ran = [s for s in steps if nodes[s["node"]].get("op") == "PowBackward0"]
    first, last = ran
    assert first["incoming"][0]["value"]["data"] == 1.0
    assert first["chain"][0]["formula"] == "2·y"
    assert first["chain"][0]["local"]["data"] == pytest.approx(2 * y.item())
    assert last["incoming"][0]["value"]["data"] == pytest.approx(y.grad.item())
    term = last["chain"][0]
    assert term["formula"] == "2·x" and term["local"]["data"] == pytest.approx(4.0)
    leaf = steps[-1]
    assert nodes[leaf["node"]]["label"] == "x"
    assert leaf["incoming"][0]["value"]["data"] == pytest.approx(x.grad.item())
    assert leaf["incoming"][0]["edges"] == [term["edge"]]


def test_matrix_terms_are_told_in_shapes() -> None:
    x, w = torch.randn(2, 3, requires_grad=True), torch.randn(3, 4, requires_grad=True)
    (x @ w).sum().backward()
    assert x.grad is not None and w.grad is not None
    nodes, steps = _steps(
        "x = torch.randn(2, 3, requires_grad=True)\nW = torch.randn(3, 4, requires_grad=True)\n"
        "y = x @ W\ny.sum().backward()"
    )
    mm = next(s for s in steps if nodes[s["node"]].get("op") == "MmBackward0")
    assert [(t["kind"], t["formula"], t["shapes"]) for t in mm["chain"]] == [
        ("matrix", "grad @ W.T", f"[2, 4] @ [4, 3] -> {list(x.grad.shape)}"),
        ("matrix", "x.T @ grad", f"[3, 2] @ [2, 4] -> {list(w.grad.shape)}"),
    ]


def test_an_op_outside_the_table_still_has_its_terms() -> None:
    nodes, steps = _steps("x = torch.ones(3, requires_grad=True)\nx.cumsum(0).sum().backward()")
    cumsum = next(s for s in steps if nodes[s["node"]].get("op") == "CumsumBackward0")
    assert [(t["kind"], t["formula"], t["local"]) for t in cumsum["chain"]] == [
        ("other", None, None)
    ]


def test_a_node_read_twice_receives_the_sum_of_what_its_consumers_send() -> None:
    """x * 2 used by two stacked copies: its MulBackward0 receives 2 + 2 (PyTorch sums them)."""
    received: list[torch.Tensor] = []
    x = torch.tensor(3.0, requires_grad=True)
    twice = x * 2
    assert twice.grad_fn is not None
    twice.grad_fn.register_hook(lambda inputs, outputs: received.append(outputs[0]))
    (torch.stack([twice] * 2) ** 2).sum().backward()
    nodes, steps = _steps(
        "x = torch.tensor(3.0, requires_grad=True)\n"
        "(torch.stack([x * 2] * 2) ** 2).sum().backward()"
    )
    mul = next(s for s in steps if nodes[s["node"]].get("op") == "MulBackward0")
    assert mul["incoming"][0]["value"]["data"] == pytest.approx(received[0].item())
    assert len(mul["incoming"][0]["edges"]) == 2


def test_no_local_value_where_the_product_is_not_pytorchs_rule() -> None:
    """Complex inputs: PyTorch multiplies by the conjugate (x * y sends grad * conj(y) to x),
    so no plain product is claimed; huge exponents are written short."""
    x = torch.tensor([1 + 2j, 3j], requires_grad=True)
    y = torch.tensor([2 - 1j, 1 + 1j])
    seen: list[Any] = []
    product = x * y
    assert product.grad_fn is not None
    product.grad_fn.register_hook(lambda inputs, outputs: seen.append((inputs[0], outputs[0])))
    product.abs().sum().backward()
    sent, received = seen[0]
    torch.testing.assert_close(sent, received * y.conj())
    assert not torch.allclose(sent, received * y)
    nodes, steps = _steps(
        "x = torch.tensor([1+2j, 3j], requires_grad=True)\ny = torch.tensor([2-1j, 1+1j])\n"
        "(x * y).abs().sum().backward()"
    )
    mul = next(s for s in steps if nodes[s["node"]].get("op") == "MulBackward0")
    assert [term["local"] for term in mul["chain"]] == [None]
    nodes, steps = _steps(
        "x = torch.ones(3, dtype=torch.float64, requires_grad=True)\n(x ** 1e300).sum().backward()"
    )
    power = next(s for s in steps if nodes[s["node"]].get("op") == "PowBackward0")
    assert power["chain"][0]["formula"] == "1e+300·x^1e+300"
