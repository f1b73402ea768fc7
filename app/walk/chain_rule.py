"""The chain rule of PyTorch's common backward nodes, as a table: one row per node class.

A row gives, for each input slot of the node (its ``next_functions`` order), the argument it
is (``self``, ``other``, ``mat2``...), how the gradient going out to it is made from the one
coming in, and the formula a learner reads:

- ``product``: going out = coming in × the local derivative (elementwise; then summed over the
  dimensions broadcasting added, or copied to every element a reduction took). ``local``
  computes the derivative from what the node saved (its ``_saved_*`` values, by name).
- ``matrix``: a matrix product, told in words and shapes (``grad @ W.T``).
- ``shape``: the gradient rearranged (viewed, transposed, expanded back): no number changes.
- ``rule``: another rule (softmax), told by its formula.

Formulas name arguments in braces: ``{self}`` becomes the name of the tensor the node saved
or read there (``y``), or its number; ``{exponent-1}`` is one less than the saved exponent.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import torch

TermKind = Literal["product", "matrix", "shape", "rule"]
Saved = Mapping[str, Any]  # a node's saved values by name: tensors, numbers, sizes, None
Local = Callable[[Saved], "torch.Tensor | float | None"]


@dataclass(frozen=True)
class Term:
    """One input's share of a node's chain rule."""

    arg: str  # the argument this slot is: its name in the formulas
    formula: str
    kind: TermKind = "product"
    local: Local | None = None
    # For ``matrix``: the two factors' shapes, from the incoming gradient's shape ``grad`` and
    # the saved values (``grad @ mat2.T``: [2,4] @ [4,3] -> [2,3]).
    factors: tuple[str, str] | None = None


def _t(saved: Saved, name: str) -> torch.Tensor:
    value = saved[name]
    if not isinstance(value, torch.Tensor):
        raise TypeError(f"{name} is not a saved tensor")
    return value


def _n(saved: Saved, name: str) -> float:
    value = saved[name]
    if isinstance(value, torch.Tensor):
        return float(value.item())
    return float(value)


def _pow_local(saved: Saved) -> torch.Tensor:
    exponent = saved["exponent"]
    base = _t(saved, "self")
    if isinstance(exponent, torch.Tensor):  # PowBackward1: a tensor exponent
        local = exponent * base.pow(exponent - 1)
        return torch.where(exponent == 0, torch.zeros_like(local), local)
    if float(exponent) == 0:
        return torch.zeros_like(base)
    return float(exponent) * base.pow(float(exponent) - 1)


def _pow_exponent_local(saved: Saved) -> torch.Tensor:
    """d(a^b)/db = a^b · ln a (PyTorch takes it as 0 where a = 0 and b >= 0)."""
    result = _t(saved, "result")
    base = saved["self"]
    if isinstance(base, torch.Tensor):
        local = result * base.log()
        return local.masked_fill((base == 0) & (_t(saved, "exponent") >= 0), 0)
    return result * math.log(float(base)) if float(base) != 0 else torch.zeros_like(result)


def _mean(saved: Saved) -> float:
    return 1.0 / _n(saved, "self_sym_numel")


def _mean_dim(saved: Saved) -> float:
    sizes = list(saved["self_sym_sizes"])
    dims = saved["dim"] or range(len(sizes))
    count = math.prod(sizes[d % max(len(sizes), 1)] for d in dims) if sizes else 1
    return 1.0 / count


def _loss_scale(saved: Saved, like: torch.Tensor) -> float:
    """1/n for reduction="mean" (PyTorch's 1), else 1."""
    return 1.0 / max(like.numel(), 1) if int(saved["reduction"]) == 1 else 1.0


def _mse_local(saved: Saved) -> torch.Tensor:
    diff = _t(saved, "self") - _t(saved, "target")
    return 2 * diff * _loss_scale(saved, diff)


def _nll_local(saved: Saved) -> torch.Tensor | None:
    """-1 at each row's target class, over the count of rows (reduction "mean")."""
    scores, target = _t(saved, "self"), _t(saved, "target")
    if saved.get("weight") is not None or scores.dim() > 2:
        return None
    picked = torch.zeros_like(scores)
    keep = target != int(saved["ignore_index"])
    rows = target.clamp(min=0).unsqueeze(-1) if scores.dim() == 2 else target.clamp(min=0)
    picked.scatter_(-1, rows.reshape(*scores.shape[:-1], 1), -1.0)
    picked = picked * keep.unsqueeze(-1).to(scores.dtype) if scores.dim() == 2 else picked * keep
    if int(saved["reduction"]) == 1:
        return picked / _n(saved, "total_weight")
    return picked


def _bce_local(saved: Saved) -> torch.Tensor | None:
    if saved.get("weight") is not None:
        return None
    p, y = _t(saved, "self"), _t(saved, "target")
    local = (p - y) / (p * (1 - p)).clamp(min=1e-12)
    return local * _loss_scale(saved, p)


def _bce_logits_local(saved: Saved) -> torch.Tensor | None:
    if saved.get("weight") is not None or saved.get("pos_weight") is not None:
        return None
    x, y = _t(saved, "self"), _t(saved, "target")
    return (x.sigmoid() - y) * _loss_scale(saved, x)


def _max_local(saved: Saved) -> torch.Tensor:
    """1 where the maximum is, shared evenly among ties (PyTorch's evenly_distribute)."""
    hit = (_t(saved, "self") == _t(saved, "result")).to(_t(saved, "self").dtype)
    return hit / hit.sum()


def _norm_local(saved: Saved) -> torch.Tensor | None:
    if float(saved["ord"]) != 2 or saved.get("dim") not in (None, (), []):
        return None
    result = _t(saved, "result")
    return _t(saved, "self") / result if float(result) != 0 else None


def _gelu_local(saved: Saved) -> torch.Tensor | None:
    if saved.get("approximate") not in (None, "none"):
        return None
    x = _t(saved, "self")
    cdf = 0.5 * (1 + torch.erf(x / math.sqrt(2)))
    pdf = torch.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)
    return cdf + x * pdf


def _clamp_local(saved: Saved) -> torch.Tensor:
    x = _t(saved, "self")
    inside = torch.ones_like(x, dtype=torch.bool)
    low, high = saved.get("min"), saved.get("max")
    if low is not None:
        inside &= x >= low
    if high is not None:
        inside &= x <= high
    return inside.to(x.dtype)


def _silu_local(saved: Saved) -> torch.Tensor:
    x = _t(saved, "self")
    s = x.sigmoid()
    return s * (1 + x * (1 - s))


def _one(_: Saved) -> float:
    return 1.0


def _minus_one(_: Saved) -> float:
    return -1.0


_ONE = Term("self", "1", local=_one)
_MM = (
    Term("self", "grad @ {mat2}.T", "matrix", factors=("grad", "mat2.T")),
    Term("mat2", "{self}.T @ grad", "matrix", factors=("self.T", "grad")),
)

# The rows. Elementwise ops (and the reductions courses use) first, then matrix products,
# then what only moves the numbers around, then the losses and softmaxes.
CHAIN_RULES: dict[str, tuple[Term, ...]] = {
    "AddBackward0": (_ONE, Term("other", "{alpha}", local=lambda s: _n(s, "alpha"))),
    "SubBackward0": (_ONE, Term("other", "−{alpha}", local=lambda s: -_n(s, "alpha"))),
    "RsubBackward0": (
        Term("self", "−{alpha}", local=lambda s: -_n(s, "alpha")),
        Term("other", "1", local=_one),
    ),
    "RsubBackward1": (Term("self", "−{alpha}", local=lambda s: -_n(s, "alpha")),),
    "MulBackward0": (
        Term("self", "{other}", local=lambda s: s["other"]),
        Term("other", "{self}", local=lambda s: s["self"]),
    ),
    "DivBackward0": (
        Term("self", "1/{other}", local=lambda s: 1 / _t(s, "other")),
        Term("other", "−{self}/{other}²", local=lambda s: -_t(s, "self") / _t(s, "other") ** 2),
    ),
    "NegBackward0": (Term("self", "−1", local=_minus_one),),
    "PowBackward0": (Term("self", "{exponent}·{self}^{exponent-1}", local=_pow_local),),
    "PowBackward1": (
        Term("self", "{exponent}·{self}^({exponent}−1)", local=_pow_local),
        Term("exponent", "{self}^{exponent}·ln({self})", local=_pow_exponent_local),
    ),
    "PowBackward2": (Term("exponent", "{self}^{exponent}·ln({self})", local=_pow_exponent_local),),
    "ExpBackward0": (Term("self", "exp({self})", local=lambda s: s["result"]),),
    "LogBackward0": (Term("self", "1/{self}", local=lambda s: 1 / _t(s, "self")),),
    "Log1PBackward0": (Term("self", "1/(1+{self})", local=lambda s: 1 / (1 + _t(s, "self"))),),
    "SqrtBackward0": (Term("self", "1/(2·√{self})", local=lambda s: 0.5 / _t(s, "result")),),
    "RsqrtBackward0": (
        Term("self", "−½·{self}^(−3/2)", local=lambda s: -0.5 * _t(s, "result") ** 3),
    ),
    "ReciprocalBackward0": (Term("self", "−1/{self}²", local=lambda s: -(_t(s, "result") ** 2)),),
    "SigmoidBackward0": (
        Term(
            "self",
            "σ({self})·(1−σ({self}))",
            local=lambda s: _t(s, "result") * (1 - _t(s, "result")),
        ),
    ),
    "TanhBackward0": (Term("self", "1−tanh²({self})", local=lambda s: 1 - _t(s, "result") ** 2),),
    "ReluBackward0": (
        Term(
            "self", "({self} > 0)", local=lambda s: (_t(s, "result") > 0).to(_t(s, "result").dtype)
        ),
    ),
    "LeakyReluBackward0": (
        Term(
            "self",
            "1 if {self} > 0 else {negative_slope}",
            local=lambda s: torch.where(
                _t(s, "self") > 0,
                torch.ones_like(_t(s, "self")),
                torch.full_like(_t(s, "self"), _n(s, "negative_slope")),
            ),
        ),
    ),
    "SiluBackward0": (Term("self", "σ({self})·(1+{self}·(1−σ({self})))", local=_silu_local),),
    "GeluBackward0": (Term("self", "Φ({self}) + {self}·φ({self})", local=_gelu_local),),
    "SinBackward0": (Term("self", "cos({self})", local=lambda s: _t(s, "self").cos()),),
    "CosBackward0": (Term("self", "−sin({self})", local=lambda s: -_t(s, "self").sin()),),
    "AbsBackward0": (Term("self", "sign({self})", local=lambda s: _t(s, "self").sign()),),
    "ClampBackward1": (Term("self", "({min} ≤ {self} ≤ {max})", local=_clamp_local),),
    "ClampMinBackward0": (Term("self", "({self} ≥ {min})", local=_clamp_local),),
    "ClampMaxBackward0": (Term("self", "({self} ≤ {max})", local=_clamp_local),),
    "CloneBackward0": (_ONE,),
    "SumBackward0": (_ONE,),
    "MeanBackward0": (Term("self", "1/{self_sym_numel}", local=_mean),),
    "SumBackward1": (Term("self", "grad.expand({self_sym_sizes})", "shape"),),
    "MeanBackward1": (
        Term("self", "grad.expand({self_sym_sizes}) / n", "product", local=_mean_dim),
    ),
    "MaxBackward1": (Term("self", "({self} == max({self}))", local=_max_local),),
    "MinBackward1": (Term("self", "({self} == min({self}))", local=_max_local),),
    "LinalgVectorNormBackward0": (Term("self", "{self}/‖{self}‖", local=_norm_local),),
    "DotBackward0": (
        Term("self", "{tensor}", local=lambda s: s["tensor"]),
        Term("tensor", "{self}", local=lambda s: s["self"]),
    ),
    "MmBackward0": _MM,
    "BmmBackward0": (
        Term("self", "grad @ {mat2}.mT", "matrix", factors=("grad", "mat2.T")),
        Term("mat2", "{self}.mT @ grad", "matrix", factors=("self.T", "grad")),
    ),
    "MvBackward0": (
        Term("self", "outer(grad, {vec})", "matrix", factors=("grad", "vec")),
        Term("vec", "{self}.T @ grad", "matrix", factors=("self.T", "grad")),
    ),
    "AddmmBackward0": (
        Term("self", "{beta}", local=lambda s: _n(s, "beta")),
        Term("mat1", "grad @ {mat2}.T", "matrix", factors=("grad", "mat2.T")),
        Term("mat2", "{mat1}.T @ grad", "matrix", factors=("mat1.T", "grad")),
    ),
    "TBackward0": (Term("self", "grad.T", "shape"),),
    "TransposeBackward0": (Term("self", "grad.transpose({dim0}, {dim1})", "shape"),),
    "PermuteBackward0": (Term("self", "grad.permute(inverse of {dims})", "shape"),),
    "ViewBackward0": (Term("self", "grad.view({self_sym_sizes})", "shape"),),
    "ReshapeAliasBackward0": (Term("self", "grad.reshape({self_sym_sizes})", "shape"),),
    "UnsafeViewBackward0": (Term("self", "grad.view({self_sym_sizes})", "shape"),),
    "ExpandBackward0": (Term("self", "grad.sum_to_size({self_sym_sizes})", "shape"),),
    "SqueezeBackward0": (Term("self", "grad.view({self_sym_sizes})", "shape"),),
    "SqueezeBackward1": (Term("self", "grad.unsqueeze({dim})", "shape"),),
    "UnsqueezeBackward0": (Term("self", "grad.squeeze({dim})", "shape"),),
    "MseLossBackward0": (
        Term("self", "2·({self}−{target})/n", local=_mse_local),
        Term("target", "−2·({self}−{target})/n", local=lambda s: -_mse_local(s)),
    ),
    "NllLossBackward0": (Term("self", "−onehot({target})/n", local=_nll_local),),
    "BinaryCrossEntropyBackward0": (
        Term("self", "({self}−{target}) / ({self}·(1−{self})) / n", local=_bce_local),
    ),
    "BinaryCrossEntropyWithLogitsBackward0": (
        Term("self", "(σ({self})−{target}) / n", local=_bce_logits_local),
    ),
    "LogSoftmaxBackward0": (
        Term("self", "grad − softmax({self})·grad.sum({dim}, keepdim=True)", "rule"),
    ),
    "SoftmaxBackward0": (
        Term("self", "{result}·(grad − (grad·{result}).sum({dim}, keepdim=True))", "rule"),
    ),
}
