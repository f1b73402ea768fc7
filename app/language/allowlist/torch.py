"""torch itself: tensors, their math and autograd, dtypes and devices.

Sizes: ``SIZES`` says how each call's result is sized before it runs (the rules are listed in
``library.py``; ``app/language/result_size.py`` applies them).
"""

from __future__ import annotations

from types import ModuleType

import torch

from app.language.allowlist.library import (
    Library,
    ModuleRule,
    RandomSource,
    SizeRule,
    TypeRule,
    names,
)

CREATION = names("""
    tensor as_tensor zeros ones full empty rand randn randint randperm arange linspace logspace eye
    zeros_like ones_like full_like empty_like rand_like randn_like randint_like manual_seed
""")
MATH = names("""
    abs add sub subtract mul multiply div divide true_divide floor_divide remainder fmod neg negative
    pow sqrt rsqrt exp exp2 expm1 log log2 log10 log1p sin cos tan asin acos atan atan2 sinh cosh
    tanh sigmoid relu clamp clip clamp_min clamp_max floor ceil round trunc frac sign square
    reciprocal maximum minimum lerp where addcmul addcdiv erf logit hypot softmax log_softmax
    sum mean std var prod max min amax amin argmax argmin norm logsumexp cumsum cumprod all any
    median sort topk count_nonzero dist
    eq ne lt le gt ge equal allclose isclose isnan isinf isfinite
    matmul mm bmm mv dot outer einsum tensordot addmm cross kron inner
    reshape flatten squeeze unsqueeze transpose permute t movedim split chunk gather scatter
    index_select masked_select narrow flip roll broadcast_to broadcast_tensors repeat_interleave tile
    unbind numel nonzero stack cat concat tril triu diag trace clone detach cartesian_prod
    is_tensor is_floating_point get_default_dtype
""")
TYPES = names("""
    Tensor Size float32 float64 float16 bfloat16 int64 int32 int16 int8 uint8 bool long float double
    int half no_grad enable_grad set_grad_enabled is_grad_enabled
""")
SUBMODULES = names("nn optim autograd linalg")

# Attributes of tensors (and so of nn.Parameter). Deliberately absent: storage access,
# data_ptr, pickling.
TENSOR_READ = names("""
    shape dtype device grad grad_fn is_leaf requires_grad data T mT ndim retains_grad
    backward retain_grad requires_grad_ detach detach_ clone item tolist numpy register_hook
    size dim numel nelement element_size view view_as reshape reshape_as flatten squeeze unsqueeze
    transpose permute t contiguous expand expand_as repeat repeat_interleave tile chunk split unbind
    flip narrow gather scatter index_select masked_fill masked_select roll
    zero_ fill_ add_ sub_ mul_ div_ pow_ clamp_ copy_ normal_ uniform_ exp_ neg_ abs_ sqrt_ relu_
    sigmoid_ tanh_ masked_fill_ squeeze_ unsqueeze_ t_ transpose_
    abs add sub mul div pow sqrt rsqrt exp log log2 log10 log1p sin cos tan tanh sigmoid relu
    softmax log_softmax clamp clip floor ceil round sign square reciprocal neg maximum minimum where
    lerp sum mean std var prod max min amax amin argmax argmin norm logsumexp cumsum cumprod all any
    sort topk eq ne lt le gt ge equal allclose isclose isnan isinf matmul mm bmm mv dot outer
    float double long int half bool to type_as is_floating_point nonzero
    new_zeros new_ones new_full new_tensor new_empty tril triu diag trace cpu
""")
TENSOR = TypeRule(
    types=(torch.Tensor,),
    read=TENSOR_READ,
    set=names("requires_grad grad data"),
    wrapped={"numpy": "tensor_numpy", "register_hook": "register_hook"},
)

# Context managers allowed in ``with``: the grad-mode switches.
GRAD_MODES: tuple[type, ...] = (torch.no_grad, torch.enable_grad, torch.set_grad_enabled)


def _return_types() -> tuple[type, ...]:
    """The named tuples torch returns (``max(dim=...)`` gives ``values`` and ``indices``)."""
    return tuple(
        kind
        for kind in vars(torch.return_types).values()
        if isinstance(kind, type) and issubclass(kind, tuple)
    )


def _load(path: str) -> ModuleType | None:
    module: object = torch
    for part in path.split(".")[1:]:
        module = getattr(module, part, None)
    return module if isinstance(module, ModuleType) else None


def _rules(rule: SizeRule, text: str) -> dict[str, SizeRule]:
    return dict.fromkeys(text.split(), rule)


# How each call's result is sized before it runs (see library.SizeRule). A name that is not
# here is bounded by the broadcast of its tensor arguments.
SIZES: dict[str, SizeRule] = {
    **_rules(
        "factory",
        """zeros ones empty full rand randn randint randperm arange linspace logspace eye
        new_zeros new_ones new_empty new_full""",
    ),
    **_rules("data", "tensor as_tensor new_tensor"),
    **_rules("concat", "cat concat stack"),
    **_rules("values", "repeat_interleave one_hot grad einsum"),
    **_rules("matmul", "linear matmul __matmul__ mm addmm"),
    **_rules("index", "__getitem__ __setitem__"),
    **_rules(
        "meta",
        """bmm mv dot outer ger kron inner tensordot cartesian_prod repeat tile conv1d conv2d
        pad cdist bilinear __rmatmul__ embedding diag expand expand_as broadcast_to index_select
        adaptive_avg_pool1d adaptive_avg_pool2d adaptive_max_pool1d adaptive_max_pool2d""",
    ),
    # Nothing to size, count or record: reading or writing a tensor attribute (.grad, .data,
    # .requires_grad, .T), switching grad mode, the profiler marks around each optimizer step.
    # Over half of a training loop's torch calls are these.
    **_rules(
        "pass",
        """__get__ __set__ _set_grad_enabled _record_function_enter_new
        _record_function_exit._RecordFunction""",
    ),
    **_rules("uncounted", "__repr__ __format__ __str__ size dim numel tolist"),
}


def _reseed(seed: int | None) -> None:
    # The CPU generator only: torch.seed() also queues CUDA/XPU/MTIA seeding, formatting a
    # stack trace for each (0.3 ms), on a machine that has none of them.
    if seed is None:
        torch.default_generator.seed()
    else:
        torch.default_generator.manual_seed(seed)


RANDOM = RandomSource(
    name="torch",
    state=torch.default_generator.get_state,
    reseed=_reseed,
    seed=lambda value: torch.default_generator.manual_seed(int(value)),
)


def _reset() -> None:
    torch.set_grad_enabled(True)


TORCH = Library(
    name="torch",
    modules=(
        ModuleRule(
            "torch",
            CREATION | MATH | TYPES | SUBMODULES,
            wrapped={
                "manual_seed": "seed_torch",
                "Tensor": "tensor_type",
            },
        ),
        ModuleRule("torch.autograd", names("grad backward")),
        ModuleRule("torch.linalg", names("norm vector_norm matrix_norm inv det")),
    ),
    types=(
        TENSOR,
        TypeRule((torch.Size,), names("numel index count")),
        TypeRule((torch.dtype,), names("is_floating_point is_signed itemsize")),
        TypeRule((torch.device,), names("type")),
        TypeRule((torch.autograd.graph.Node,), names("next_functions name variable")),
        TypeRule(_return_types(), names("values indices index count")),
    ),
    load=_load,
    sizes=SIZES,
    random=RANDOM,
    reset=_reset,
)
