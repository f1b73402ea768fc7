"""torch itself: tensors, their math and autograd, dtypes and devices.

Sizes: ``SIZES`` says how each call's result is sized before it runs (the rules are listed in
``app/language/records.py``; ``app/language/result_size.py`` applies them).
"""

from __future__ import annotations

import functools
from types import MethodType, ModuleType
from typing import Any

import torch
from torch.autograd.function import BackwardCFunction

from app.hints import sandbox
from app.language import jacobian_size, print_options
from app.language.cudnn_flags import SETTERS, CudnnFlags
from app.language.errors import SandboxViolation
from app.language.legacy_types import (
    LEGACY_STAND_INS,
    LEGACY_TENSORS,
    set_default_tensor_type,
    tensor_type_to,
)
from app.language.records import (
    Library,
    ModuleRule,
    RandomSource,
    SizeRule,
    TypeRule,
    bound,
    given,
    limited,
    made,
    names,
    never_the_same,
)
from app.language.stand_ins import TENSOR as TENSOR_STAND_IN

CREATION = names("""
    tensor as_tensor zeros ones full empty rand randn randint randperm arange linspace logspace eye
    zeros_like ones_like full_like empty_like rand_like randn_like randint_like manual_seed
    normal bernoulli multinomial poisson from_numpy tril_indices triu_indices
""")
MATH = names("""
    abs add sub subtract mul multiply div divide true_divide floor_divide remainder fmod neg negative
    pow sqrt rsqrt exp exp2 expm1 log log2 log10 log1p sin cos tan asin acos atan atan2 sinh cosh
    tanh sigmoid relu clamp clip clamp_min clamp_max floor ceil round trunc frac sign square
    reciprocal maximum minimum fmax fmin lerp where addcmul addcdiv erf erfinv logit hypot softmax
    log_softmax sum mean std var prod max min amax amin argmax argmin norm logsumexp cumsum
    cumprod cummax cummin all any median mode kthvalue sort argsort topk count_nonzero dist
    std_mean var_mean nansum nanmean logaddexp sinc deg2rad rad2deg nan_to_num diff
    eq ne lt le gt ge equal allclose isclose isnan isinf isfinite isin logical_and logical_or
    logical_not logical_xor bitwise_and bitwise_or bitwise_not bitwise_xor
    matmul mm bmm mv dot vdot outer einsum tensordot addmm cross kron inner baddbmm cdist
    reshape flatten ravel squeeze unsqueeze transpose swapaxes swapdims permute t movedim split
    tensor_split chunk gather scatter scatter_add index_select index_add index_fill masked_select
    masked_fill take take_along_dim narrow flip fliplr flipud rot90 roll broadcast_to
    broadcast_tensors broadcast_shapes repeat_interleave tile unbind numel nonzero stack hstack
    vstack dstack column_stack row_stack cat concat concatenate tril triu diag diagonal diag_embed
    trace clone detach cartesian_prod meshgrid unique bincount histc searchsorted bucketize
    atleast_1d atleast_2d block_diag det logdet inverse pinverse matrix_power cholesky
    is_tensor is_floating_point is_nonzero get_default_dtype set_default_dtype set_printoptions
    cosine_similarity pairwise_distance histogram set_default_device is_inference_mode_enabled
    set_default_tensor_type
""")
# Complex numbers (a course's signals or rotations): made, taken apart and conjugated.
COMPLEX = names("""
    complex polar view_as_real view_as_complex real imag angle conj conj_physical resolve_conj
    is_complex
""")
TYPES = names("""
    Tensor Size float32 float64 float16 bfloat16 int64 int32 int16 int8 uint8 bool long float double
    complex64 complex128 cfloat cdouble
    int half short no_grad enable_grad set_grad_enabled is_grad_enabled inference_mode
    Generator device dtype finfo iinfo FloatTensor DoubleTensor LongTensor IntTensor BoolTensor
    ByteTensor HalfTensor
""")
SUBMODULES = names("nn optim autograd linalg utils cuda backends accelerator distributions version")

# The out-of-place methods of tensors; the in-place twin of each (``add`` and ``add_``) is
# added below where PyTorch has one.
_TENSOR_METHODS = names("""
    abs add sub subtract mul multiply div divide true_divide floor_divide remainder fmod neg pow
    sqrt rsqrt exp exp2 expm1 log log2 log10 log1p sin cos tan asin acos atan atan2 sinh cosh tanh
    sigmoid relu softmax log_softmax clamp clip clamp_min clamp_max floor ceil round trunc frac
    sign square reciprocal maximum minimum fmax fmin where lerp addcmul addcdiv erf erfinv logit
    hypot sum mean std var prod max min amax amin argmax argmin norm logsumexp cumsum cumprod
    cummax cummin all any median mode kthvalue sort argsort topk count_nonzero nansum nanmean
    eq ne lt le gt ge equal allclose isclose isnan isinf isfinite logical_and logical_or
    logical_not logical_xor bitwise_and bitwise_or bitwise_not bitwise_xor
    matmul mm bmm mv dot outer addmm baddbmm cross kron inner
    view view_as reshape reshape_as flatten ravel unflatten squeeze unsqueeze transpose swapaxes
    swapdims permute movedim t contiguous expand expand_as repeat repeat_interleave tile chunk
    split tensor_split unbind flip fliplr flipud rot90 narrow gather scatter scatter_add
    index_select index_add index_copy index_fill index_put masked_fill masked_select
    masked_scatter take take_along_dim roll put tril triu diag diagonal diag_embed trace
    clone detach unique bincount histc nonzero float double long int half bool short byte char
    bfloat16 to type type_as cpu cuda numpy tolist item new_zeros new_ones new_full new_tensor
    new_empty fill zero copy normal uniform random bernoulli exponential geometric log_normal
    cauchy requires_grad backward retain_grad register_hook register_post_accumulate_grad_hook
    size dim ndimension numel nelement
    element_size stride is_contiguous is_floating_point is_complex det logdet inverse pinverse
    matrix_power cholesky unfold data_ptr storage_offset is_set_to is_inference angle conj
    conj_physical resolve_conj is_conj
""")
_NEVER_IN_PLACE = names("resize_ set_ share_memory_ storage_ apply_ map_ map2_")
# ``_version`` is read only: a one-underscore name a record lists may be read, never set
# (``attributes.py``).
TENSOR_READ = (
    names("""
    shape dtype device grad grad_fn is_leaf requires_grad data T mT H ndim retains_grad is_cuda
    layout nbytes itemsize _version real imag
    """)
    | _TENSOR_METHODS
    | frozenset(
        f"{name}_"
        for name in _TENSOR_METHODS
        if hasattr(torch.Tensor, f"{name}_") and f"{name}_" not in _NEVER_IN_PLACE
    )
)
TENSOR = TypeRule(
    types=(torch.Tensor,),
    read=TENSOR_READ,
    set=names("requires_grad grad data"),
    wrapped={"numpy": "tensor_numpy", "register_hook": "register_hook", "type": "tensor_type_to"}
    | {"backward": "tensor_backward"},
)
DISTRIBUTIONS = names("""
    Normal Categorical Bernoulli Multinomial Uniform Binomial Poisson Exponential Beta Gamma
    MultivariateNormal Laplace Distribution
""")

# Context managers allowed in ``with``: the grad-mode switches.
GRAD_MODES: tuple[type, ...] = (
    torch.no_grad,
    torch.enable_grad,
    torch.set_grad_enabled,
    torch.inference_mode,
)
# Anomaly detection (debugging notes): its switch is put back after each program (``_reset``).
ANOMALY_MODES: tuple[type, ...] = (
    torch.autograd.detect_anomaly,
    torch.autograd.set_detect_anomaly,
)
# What ``with`` may manage: the grad modes, anomaly detection, and a hook's handle (``with
# x.register_hook(f):`` removes the hook when the block ends).
WITH_MANAGERS: tuple[type, ...] = (
    *GRAD_MODES,
    *ANOMALY_MODES,
    torch.utils.hooks.RemovableHandle,
)


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
        new_zeros new_ones new_empty new_full normal tril_indices triu_indices""",
    ),
    **_rules("data", "tensor as_tensor new_tensor"),
    **_rules("concat", "cat concat stack"),
    **_rules(
        "values",
        """repeat_interleave one_hot grad einsum multinomial histogram lstm gru rnn_tanh rnn_relu
        multi_head_attention_forward""",
    ),
    **_rules("matmul", "linear matmul __matmul__ mm addmm"),
    **_rules("index", "__getitem__ __setitem__ index_put index_put_"),
    **_rules("nonzero", "nonzero argwhere"),
    **_rules(
        "meta",
        """bmm mv dot outer ger kron inner tensordot cartesian_prod repeat tile conv1d conv2d
        pad cdist bilinear __rmatmul__ embedding diag expand expand_as broadcast_to index_select
        baddbmm vdot meshgrid block_diag diag_embed take_along_dim interpolate upsample unfold
        fold conv_transpose1d conv_transpose2d conv3d max_unpool2d histc bincount matrix_power
        adaptive_avg_pool1d adaptive_avg_pool2d adaptive_max_pool1d adaptive_max_pool2d
        linalg_multi_dot embedding_bag""",
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


# Factories whose memory PyTorch leaves as the allocator had it: in a long-lived worker, the
# values of an earlier program's freed tensors. The torch mode fills each result with zeros
# (``torch.Tensor(n)`` and the legacy typed constructors build through ``empty``).
UNINITIALISED = names("empty empty_like new_empty empty_strided new_empty_strided empty_permuted")

# Calls that hand back one Python object per row or piece of a tensor: a tuple of tensors, or
# nested lists (``tolist``). A tensor of shape (10**8, 0) has no elements but 10**8 rows, and
# ``tensor_split(10**8)`` makes that many pieces of any tensor: each piece counts as an
# element, before the call (``result_size.pieces``).
PIECES = names("unbind __iter__ split tensor_split chunk tolist")

# Calls that find the indices of a mask's nonzero elements first, into a hidden matrix of
# (count, ndim) integers: ``torch.where(mask)``, ``x.nonzero(as_tuple=True)``, ``x[mask]`` and
# ``x[mask] = v``. A mask of 62 dimensions makes it 62 times the mask: it is counted before the
# call, against the elements a program may hold (``result_size.index_matrix_numel``).
INDEX_MATRIX = names("where nonzero argwhere __getitem__ __setitem__ index_put index_put_")


def set_printoptions(
    precision: Any = None,
    threshold: Any = None,
    edgeitems: Any = None,
    linewidth: Any = None,
    profile: Any = None,
    sci_mode: Any = None,
) -> None:
    """``torch.set_printoptions`` within the bounds of ``print_options`` (a precision of
    100,000 would print each number 100,000 digits long)."""
    print_options.check(
        "torch.set_printoptions",
        {
            "precision": precision,
            "threshold": threshold,
            "edgeitems": edgeitems,
            "linewidth": linewidth,
            "profile": profile,
            "sci_mode": sci_mode,
        },
        {"profile": ("default", "short", "full"), "sci_mode": (True, False)},
    )
    torch.set_printoptions(  # type: ignore[no-untyped-call]
        precision=None if precision is None else int(precision),
        threshold=threshold,
        edgeitems=None if edgeitems is None else int(edgeitems),
        linewidth=None if linewidth is None else int(linewidth),
        profile=profile,
        sci_mode=sci_mode,
    )


def _reseed(seed: int | None) -> None:
    # The CPU generator only: torch.seed() also queues CUDA/XPU/MTIA seeding, formatting a
    # stack trace for each (0.3 ms), on a machine that has none of them.
    if seed is None:
        torch.default_generator.seed()
    else:
        torch.default_generator.manual_seed(seed)


RANDOM = RandomSource(
    name="torch",
    state=lambda: bytes(torch.default_generator.get_state().numpy()),
    reseed=_reseed,
    seed=lambda value: torch.default_generator.manual_seed(int(value)),
)


def set_default_device(device: Any) -> None:
    """``torch.set_default_device``: the CPU (or None) only; this server has no other device."""
    if device is not None and torch.device(device).type != "cpu":
        raise SandboxViolation(f"device '{device}' is not available here", sandbox.GPU)
    # The CPU is the default already: no DeviceContext mode under every later torch call.
    torch.set_default_device(None)


def _reset() -> None:
    torch.set_grad_enabled(True)
    if torch.is_anomaly_enabled() or not torch.is_anomaly_check_nan_enabled():
        torch.set_anomaly_enabled(False, True)  # PyTorch's defaults: off, checking for NaN
    # Each switch is put back only if a program moved it (setting print options costs 0.1 ms).
    if torch.get_default_dtype() != torch.float32:
        torch.set_default_dtype(torch.float32)
    # Always: a default device of 'cpu' is a mode on torch's stack too, and asking
    # torch.get_default_device() costs more (3 to 8 us) than dropping it (0.2 us).
    torch.set_default_device(None)
    if vars(torch._tensor_str.PRINT_OPTS) != _PRINT_OPTIONS:
        torch.set_printoptions(profile="default", sci_mode=None)  # type: ignore[no-untyped-call]


_PRINT_OPTIONS = dict(vars(torch._tensor_str.PRINT_OPTS))


TORCH = Library(
    name="torch",
    modules=(
        ModuleRule(
            "torch",
            CREATION | MATH | COMPLEX | TYPES | SUBMODULES,
            wrapped={
                "manual_seed": "seed_torch",
                "Tensor": "tensor_type",
                "set_default_device": "set_default_device",
                "set_default_tensor_type": "set_default_tensor_type",
                "from_numpy": "unrouted_torch",
                "set_printoptions": "torch_set_printoptions",
                **dict.fromkeys(LEGACY_TENSORS, "legacy_tensor_type"),
            },
        ),
        ModuleRule(
            "torch.autograd",
            names("""grad backward Function Variable functional gradcheck gradgradcheck
            detect_anomaly set_detect_anomaly"""),
        ),
        ModuleRule(
            "torch.autograd.functional",
            names("jacobian hessian vjp jvp hvp vhp"),
            wrapped={"jacobian": "sized_jacobian", "hessian": "sized_hessian"},
        ),
        ModuleRule(
            "torch.linalg",
            names("""norm vector_norm matrix_norm inv det slogdet solve lstsq qr svd svdvals eigh
            eigvalsh cholesky pinv matrix_rank matrix_power cross vecdot multi_dot"""),
        ),
        ModuleRule(
            "torch.cuda",
            names("""is_available device_count is_initialized manual_seed manual_seed_all
            empty_cache memory_allocated max_memory_allocated memory_reserved"""),
        ),
        ModuleRule("torch.version", names("cuda hip debug git_version")),  # environment checks
        # The program's own flags (a seed helper sets deterministic/benchmark): cudnn_flags.py.
        ModuleRule("torch.backends", names("mps cudnn"), wrapped={"cudnn": "cudnn_flags"}),
        ModuleRule("torch.backends.mps", names("is_available is_built")),
        ModuleRule("torch.backends.cudnn", names("is_available enabled")),
        ModuleRule("torch.accelerator", names("is_available current_accelerator device_count")),
        ModuleRule("torch.distributions", DISTRIBUTIONS | names("multinomial normal")),
        ModuleRule("torch.distributions.multinomial", names("Multinomial")),
        ModuleRule("torch.distributions.normal", names("Normal")),
    ),
    types=(
        TENSOR,
        TypeRule((torch.Size,), names("numel index count")),
        TypeRule((torch.dtype,), names("is_floating_point is_signed is_complex itemsize")),
        TypeRule((torch.device,), names("type index")),
        TypeRule((torch.finfo, torch.iinfo), names("eps max min tiny bits resolution dtype")),
        TypeRule(
            (torch.Generator,),
            names("manual_seed seed initial_seed get_state set_state device"),
            wrapped={"seed": "generator_seed", "initial_seed": "generator_seed"},
        ),
        # ``ctx`` of a program's own autograd Function is also its node in the graph: the
        # Function API, the node's, and the program's own fields ("*").
        TypeRule(
            (BackwardCFunction,),
            names("""save_for_backward saved_tensors needs_input_grad mark_dirty
            mark_non_differentiable set_materialize_grads next_functions name *"""),
            set=names("*"),
        ),
        TypeRule((torch.autograd.graph.Node,), names("next_functions name variable metadata")),
        TypeRule((torch.utils.hooks.RemovableHandle,), names("remove id")),
        TypeRule(
            (CudnnFlags,),
            names(f"{' '.join(SETTERS)} is_available version"),
            set=frozenset(SETTERS),
        ),
        TypeRule(
            (torch.autograd.Function,),
            frozenset(),
            class_read=names("apply"),
            class_wrapped={"apply": "function_apply"},
        ),
        TypeRule(_return_types(), names("values indices index count")),
        TypeRule(
            (torch.distributions.Distribution,),
            names("""sample rsample sample_n log_prob cdf icdf entropy probs logits mean mode
            variance stddev batch_shape event_shape support loc scale total_count"""),
        ),
    ),
    load=_load,
    sizes=SIZES,
    random=RANDOM,
    reset=_reset,
    readers={
        "seed_torch": made(lambda runtime: functools.partial(runtime.randomness.seed, "torch")),
        "tensor_type": given(TENSOR_STAND_IN),
        "legacy_tensor_type": lambda runtime: lambda obj, name: LEGACY_STAND_INS[name],
        "tensor_numpy": bound(lambda runtime: runtime.tensor_numpy),
        "tensor_type_to": bound(lambda runtime: tensor_type_to),
        "register_hook": bound(lambda runtime: runtime.register_hook),
        # A method of the tensor, as PyTorch's is (it prints as ``Tensor.backward`` does).
        "tensor_backward": lambda runtime: lambda obj, name: MethodType(runtime.backward, obj),
        "generator_seed": never_the_same,  # Generator.seed(): fresh entropy
        "function_apply": bound(lambda runtime: runtime.function_apply),
        "unrouted_torch": lambda runtime: lambda obj, name: runtime.unrouted(getattr(obj, name)),
        "set_default_device": given(set_default_device),
        "set_default_tensor_type": given(set_default_tensor_type),
        "sized_jacobian": limited(jacobian_size.jacobian),
        "sized_hessian": limited(jacobian_size.hessian),
        "torch_set_printoptions": given(set_printoptions),
        "cudnn_flags": made(lambda runtime: CudnnFlags()),
    },
    refused={
        **{f"torch.{name}": sandbox.FILES for name in ("load", "save", "from_file")},
        "torch.hub": sandbox.NETWORK,
        **{
            f"torch.cuda.{name}": sandbox.GPU
            for name in names("""get_device_name set_device current_device synchronize
            get_device_properties get_device_capability""")
        },
        "torch.utils.cpp_extension": sandbox.UNUSED_IMPORT,
    },
)
