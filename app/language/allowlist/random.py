"""random: Python's random numbers (``seed``, ``shuffle``, ``random``, ``randint``, ``choice``...).

Every program starts the module's generator over (fresh entropy, or the seed a test gives);
``random.seed`` before the first draw keeps a program reproducible. ``choices(k=...)`` and
``getrandbits`` are sized before they run.
"""

from __future__ import annotations

import importlib
import random
from types import ModuleType

from app.language.records import Library, ModuleRule, RandomSource, names


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
    random=RandomSource(
        name="random",
        state=random.getstate,
        reseed=random.seed,
        seed=random.seed,
    ),
)
