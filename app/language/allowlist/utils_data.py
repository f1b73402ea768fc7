"""torch.utils.data: datasets, samplers and the DataLoader, in this process only.

``DataLoader`` is a stand-in that builds the real one after checking its arguments: worker
processes are not started (``num_workers > 0`` loads in the program's process, with a note;
the options that only mean something with workers are refused with a hint); everything else (batching, shuffling through torch's generator,
``drop_last``, ``collate_fn``) runs as in PyTorch. A program's ``Dataset`` subclass defines
``__len__`` and ``__getitem__`` (``classes.py``).
"""

from __future__ import annotations

from typing import Any

import torch
from torch.utils import data

from app.hints import sandbox
from app.language.errors import SandboxViolation
from app.language.records import Library, ModuleRule, TypeRule, given, names
from app.language.stand_ins import DATA_LOADER


def _load(path: str) -> Any:
    return {"torch.utils": torch.utils, "torch.utils.data": data}.get(path)


def check_loader_arguments(
    kwargs: dict[str, Any], args: tuple[Any, ...]
) -> tuple[tuple[Any, ...], dict[str, Any], bool]:
    """The arguments for a DataLoader in this process: ``num_workers=4`` (d2l's
    ``get_dataloader_workers()``) becomes 0, which gives the same batches, and the answer says
    so (the ``bool``); what only means something with worker processes is refused."""
    for name in ("worker_init_fn", "multiprocessing_context", "persistent_workers"):
        if kwargs.get(name):
            raise SandboxViolation(
                f"DataLoader({name}=...): worker processes are not available here",
                sandbox.WORKERS,
            )
    if len(args) > 9:
        raise SandboxViolation(
            "DataLoader: pass the options after num_workers by name", sandbox.WORKERS
        )
    workers = args[4] if len(args) > 4 else kwargs.get("num_workers", 0)
    if workers in (0, None) or (type(workers) is int and workers < 0):
        return args, kwargs, False  # a negative count fails in the real DataLoader, as in PyTorch
    if type(workers) is not int:
        raise SandboxViolation(
            f"DataLoader(num_workers={workers!r}): worker processes are not available here",
            sandbox.WORKERS,
        )
    if len(args) > 4:
        args = (*args[:4], 0, *args[5:])
    else:
        kwargs = {**kwargs, "num_workers": 0}
    if kwargs.get("prefetch_factor") is not None:  # only allowed with worker processes
        kwargs = {**kwargs, "prefetch_factor": None}
    return args, kwargs, True


DATASET_READ = names("tensors dataset indices datasets cumulative_sizes")

UTILS_DATA = Library(
    name="torch.utils.data",
    modules=(
        ModuleRule("torch.utils", names("data")),
        ModuleRule(
            "torch.utils.data",
            names("""
            Dataset IterableDataset TensorDataset DataLoader random_split ConcatDataset Subset
            default_collate RandomSampler SequentialSampler BatchSampler SubsetRandomSampler
            WeightedRandomSampler
            """),
            wrapped={"DataLoader": "data_loader_type"},
        ),
    ),
    types=(
        TypeRule(
            (data.DataLoader,),
            names("dataset batch_size drop_last sampler batch_sampler num_workers generator"),
        ),
        TypeRule((data.Dataset,), DATASET_READ),
        TypeRule((data.Sampler,), names("num_samples replacement generator batch_size drop_last")),
    ),
    load=_load,
    readers={"data_loader_type": given(DATA_LOADER)},  # checks num_workers and the rest
)
