"""What a program gets for each name the allowlist's records mark ``wrapped``.

A reader is called with the object the name was read on and the name, and returns what the
program sees instead of the library's own object: a function that checks sizes before it
runs (``math.factorial``, ``random.choices``), that notes a seed or a draw from fresh entropy
(``torch.manual_seed``, ``Generator.seed``), or a stand-in class (``torch.Tensor``,
``DataLoader``).
"""

from __future__ import annotations

import functools
import math
import random
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import numpy as np
import torch

from app.hints import sandbox
from app.language.allowlist import numpy as numpy_record
from app.language.allowlist import torch as torch_record
from app.language.allowlist.torch import LEGACY_TENSORS
from app.language.errors import LimitExceeded, SandboxViolation
from app.language.numpy_arrays import numpy_call
from app.language.stand_ins import DATA_LOADER, DEQUE, NDARRAY, TENSOR, stand_in
from app.language.values import ValueLimits, is_int

if TYPE_CHECKING:
    from app.language.runtime import Runtime

Reader = Callable[[Any, str], Any]
_LEGACY = {name: stand_in(torch.Tensor, f"legacy_{name}") for name in LEGACY_TENSORS}


def readers(runtime: Runtime) -> dict[str, Reader]:
    """The readers of one program's runtime, by the name the records use."""
    values, randomness = runtime.values, runtime.randomness

    def partial(method: Callable[..., Any]) -> Reader:
        return lambda obj, name: functools.partial(method, obj)

    def fixed(value: Any) -> Reader:
        return lambda obj, name: value

    def entropy(obj: Any, name: str) -> Callable[..., Any]:
        method = getattr(obj, name)

        def drawn(*args: Any, **kwargs: Any) -> Any:
            randomness.made_generator(seeded=False)  # a seed from fresh entropy
            return method(*args, **kwargs)

        return drawn

    def clock(obj: Any, name: str) -> Callable[..., Any]:
        method = getattr(obj, name)

        def read(*args: Any, **kwargs: Any) -> Any:
            randomness.made_generator(seeded=False)  # other times each run
            return method(*args, **kwargs)

        return read

    int_results = _IntResults(values.limits.max_int_bits)

    def numpy_from(rules: dict[str, str]) -> Reader:
        return lambda obj, name: numpy_call(getattr(obj, name), rules[name])

    def numpy_method(rules: dict[str, str]) -> Reader:
        return lambda obj, name: numpy_call(getattr(obj, name), rules[name], bound=obj)

    def default_rng(seed: Any = None, *args: Any, **kwargs: Any) -> Any:
        randomness.made_generator(seeded=seed is not None)
        return np.random.default_rng(seed, *args, **kwargs)

    return {
        # torch
        "seed_torch": fixed(functools.partial(randomness.seed, "torch")),
        "tensor_type": fixed(TENSOR),
        "legacy_tensor_type": lambda obj, name: _LEGACY[name],
        "tensor_numpy": partial(runtime.tensor_numpy),
        "register_hook": partial(runtime.register_hook),
        "module_hook": lambda module, name: functools.partial(
            runtime.register_module_hook, getattr(module, name)
        ),
        "generator_seed": entropy,
        "function_apply": lambda cls, name: functools.partial(runtime.function_apply, cls),
        "unrouted_torch": lambda obj, name: runtime.unrouted(getattr(obj, name)),
        "data_loader_type": fixed(DATA_LOADER),
        # Python's values
        "list_extend": partial(values.list_extend),
        "deque_extendleft": partial(values.deque_extendleft),
        "deque_type": fixed(DEQUE),
        "str_join": partial(values.str_join),
        "str_format": partial(values.str_format),
        "str_replace": partial(values.str_replace),
        # math, random, time
        "math_factorial": fixed(int_results.factorial),
        "math_comb": fixed(int_results.comb),
        "math_perm": fixed(int_results.perm),
        "math_prod": fixed(functools.partial(_prod, values)),
        "math_lcm": fixed(int_results.lcm),
        "seed_random": fixed(functools.partial(randomness.seed, "random")),
        "random_choices": fixed(functools.partial(_choices, values.limits.max_sequence_length)),
        "random_getrandbits": fixed(int_results.getrandbits),
        "clock": clock,
        "regex_sub": lambda obj, name: functools.partial(
            _regex_sub, getattr(obj, name), values.max_text_chars
        ),
        "set_default_device": fixed(_set_default_device),
        "torch_set_printoptions": fixed(torch_record.set_printoptions),
        # numpy
        "numpy_function": numpy_from(numpy_record.SIZES),
        "numpy_set_printoptions": fixed(numpy_record.set_printoptions),
        "numpy_random_function": numpy_from(numpy_record.RANDOM_SIZES),
        "numpy_linalg_function": numpy_from(numpy_record.LINALG_SIZES),
        "numpy_method": numpy_method(numpy_record.ARRAY_METHODS),
        "numpy_random_method": numpy_method(numpy_record.RANDOM_SIZES),
        "numpy_array_type": fixed(NDARRAY),
        "seed_numpy": fixed(functools.partial(randomness.seed, "numpy")),
        "numpy_default_rng": fixed(default_rng),
    }


class _IntResults:
    """``math`` and ``random`` functions whose integer result is sized before it is made."""

    def __init__(self, max_bits: int) -> None:
        self.max_bits = max_bits

    def _check(self, bits: float) -> None:
        if bits > self.max_bits:
            raise LimitExceeded(
                "int_size",
                f"an integer of about {int(bits)} bits is over the limit of {self.max_bits}",
            )

    def factorial(self, n: int) -> int:
        if is_int(n) and n > 2:
            self._check(n * math.log2(n))
        return math.factorial(n)

    def comb(self, n: int, k: int) -> int:
        if is_int(n) and n > 0:
            self._check(n)
        return math.comb(n, k)

    def perm(self, n: int, k: int | None = None) -> int:
        if is_int(n) and n > 2:
            self._check((n if k is None else min(max(k, 0), n)) * math.log2(n))
        return math.perm(n, k)

    def lcm(self, *integers: int) -> int:
        self._check(sum(abs(i).bit_length() for i in integers if is_int(i)))
        return math.lcm(*integers)

    def getrandbits(self, k: int) -> int:
        self._check(k)
        return random.getrandbits(k)


def _prod(values: ValueLimits, iterable: Iterable[Any], *, start: Any = 1) -> Any:
    """``math.prod``: each step a ``*`` of the program's, bounded as ``*`` is (the integer's
    size, start's included; a list repeated)."""
    product = start
    for item in values.iter(iterable):
        product = values.mul(product, item)
    return product


def _regex_sub(sub: Callable[..., Any], limit: int, *args: Any, **kwargs: Any) -> Any:
    """``re.sub`` / ``Pattern.sub`` with a text replacement, whose result is sized first."""
    bound = getattr(sub, "__self__", None)
    repl, string = (args[1], args[2]) if not isinstance(bound, re.Pattern) else (args[0], args[1])
    if not isinstance(repl, str) or not isinstance(string, str):
        raise SandboxViolation("re.sub with a replacement that is not text is not available here")
    longest = len(string) + (len(string) + 1) * len(repl)
    if longest > limit:
        raise LimitExceeded(
            "sequence_length",
            f"re.sub could make text of {longest} characters; the limit is {limit}",
        )
    return sub(*args, **kwargs)


def _set_default_device(device: Any) -> None:
    """``torch.set_default_device``: the CPU (or None) only; this server has no other device."""
    if device is not None and torch.device(device).type != "cpu":
        raise SandboxViolation(f"device '{device}' is not available here", sandbox.GPU)
    # The CPU is the default already: no DeviceContext mode under every later torch call.
    torch.set_default_device(None)


def _choices(
    limit: int, population: Any, weights: Any = None, *, cum_weights: Any = None, k: int = 1
) -> list[Any]:
    if is_int(k) and k > limit:
        raise LimitExceeded("sequence_length", f"a list of {k} items is over the limit of {limit}")
    return random.choices(population, weights, cum_weights=cum_weights, k=k)
