"""torch.optim: optimizers, and what an optimizer exposes."""

from __future__ import annotations

import torch

from app.language.allowlist.library import Library, ModuleRule, TypeRule, names
from app.language.allowlist.torch import _load

OPTIMIZERS = names("SGD Adam AdamW RMSprop Adagrad")

OPTIM = Library(
    name="torch.optim",
    modules=(ModuleRule("torch.optim", OPTIMIZERS),),
    types=(TypeRule((torch.optim.Optimizer,), names("step zero_grad param_groups defaults")),),
    load=_load,
)
