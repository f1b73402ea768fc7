"""random: Python's random numbers (``seed``, ``shuffle``, ``random``, ``randint``, ``choice``...).

Every program starts the module's generator over (fresh entropy, or the seed a test gives);
``random.seed`` before the first draw keeps a program reproducible. ``choices(k=...)`` and
``getrandbits`` are sized before they run.
"""

from __future__ import annotations

import functools
import importlib
import random
from types import ModuleType
from typing import Any

from app.language.errors import LimitExceeded
from app.language.records import Library, ModuleRule, RandomSource, limited, made, names
from app.language.values import ValueLimits, as_count


def choices(
    values: ValueLimits,
    population: Any,
    weights: Any = None,
    *,
    cum_weights: Any = None,
    k: int = 1,
) -> list[Any]:
    limit = values.limits.max_sequence_length
    count = as_count(k)
    if count is not None and count > limit:
        raise LimitExceeded("sequence_length", f"a list of {k} items is over the limit of {limit}")
    return random.choices(population, weights, cum_weights=cum_weights, k=k)


def getrandbits(values: ValueLimits, k: int) -> int:
    values.check_int_bits(k)
    return random.getrandbits(k)


def _load(path: str) -> ModuleType | None:
    return importlib.import_module("random") if path == "random" else None


RANDOM = Library(
    name="random",
    modules=(
        ModuleRule(
            "random",
            names("""
            seed random uniform randint randrange choice choices sample shuffle gauss
            normalvariate lognormvariate expovariate betavariate gammavariate triangular
            vonmisesvariate paretovariate weibullvariate getrandbits
            """),
            wrapped={
                "seed": "seed_random",
                "choices": "random_choices",
                "getrandbits": "random_getrandbits",
            },
        ),
    ),
    load=_load,
    readers={
        "seed_random": made(lambda runtime: functools.partial(runtime.randomness.seed, "random")),
        "random_choices": limited(choices),
        "random_getrandbits": limited(getrandbits),
    },
    random=RandomSource(
        name="random",
        state=random.getstate,
        reseed=random.seed,
        seed=random.seed,
    ),
)
