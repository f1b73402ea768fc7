"""torch.optim: optimizers and learning-rate schedulers, and what each exposes."""

from __future__ import annotations

import torch

from app.language.allowlist.torch import _load
from app.language.records import Library, ModuleRule, TypeRule, names

OPTIMIZERS = names("""
    SGD Adam AdamW RMSprop Adagrad Adadelta Adamax NAdam RAdam ASGD Rprop LBFGS Optimizer
""")
SCHEDULERS = names("""
    StepLR MultiStepLR ExponentialLR CosineAnnealingLR CosineAnnealingWarmRestarts
    ReduceLROnPlateau LambdaLR MultiplicativeLR OneCycleLR CyclicLR LinearLR ConstantLR
    PolynomialLR SequentialLR ChainedScheduler LRScheduler
""")

OPTIM = Library(
    name="torch.optim",
    modules=(
        ModuleRule("torch.optim", OPTIMIZERS | names("lr_scheduler")),
        ModuleRule("torch.optim.lr_scheduler", SCHEDULERS),
    ),
    types=(
        TypeRule(
            (torch.optim.Optimizer,),
            names("""step zero_grad param_groups defaults state state_dict load_state_dict
            add_param_group"""),
        ),
        TypeRule(
            (torch.optim.lr_scheduler.LRScheduler, torch.optim.lr_scheduler.ReduceLROnPlateau),
            names("""step get_last_lr get_lr last_epoch base_lrs optimizer state_dict load_state_dict
            T_max eta_min gamma step_size milestones patience factor mode num_bad_epochs best
            cooldown cooldown_counter threshold threshold_mode min_lrs lr_lambdas"""),
        ),
    ),
    load=_load,
)
