"""What a program may name: modules, their attributes, and attributes per kind of object.

This is an allowlist: anything not listed here is refused. Every step of an attribute path
needs its own entry (``torch.nn.functional.relu`` needs ``nn`` on torch, ``functional`` on
torch.nn and ``relu`` on torch.nn.functional), because torch re-exports modules such as
``torch.os`` and ``torch.sys`` under names that carry no underscore.
"""

from __future__ import annotations


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Modules a program may import, and the only names reachable on each of them.
TORCH_CREATION = _names("""
    tensor as_tensor zeros ones full empty rand randn randint randperm arange linspace logspace eye
    zeros_like ones_like full_like empty_like rand_like randn_like randint_like manual_seed
""")
TORCH_MATH = _names("""
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
TORCH_TYPES = _names("""
    Tensor Size float32 float64 float16 bfloat16 int64 int32 int16 int8 uint8 bool long float double
    int half no_grad enable_grad set_grad_enabled is_grad_enabled
""")
TORCH_SUBMODULES = _names("nn optim autograd linalg")

NN_LAYERS = _names("""
    Module Parameter Linear Bilinear Conv1d Conv2d MaxPool1d MaxPool2d AvgPool2d AdaptiveAvgPool2d
    Flatten Unflatten Dropout BatchNorm1d BatchNorm2d LayerNorm Embedding Identity
    ReLU LeakyReLU Sigmoid Tanh Softmax LogSoftmax GELU ELU Softplus
    Sequential ModuleList ModuleDict
""")
NN_LOSSES = _names("""
    MSELoss L1Loss SmoothL1Loss HuberLoss CrossEntropyLoss NLLLoss BCELoss BCEWithLogitsLoss
    KLDivLoss
""")
NN_FUNCTIONAL = _names("""
    relu leaky_relu sigmoid tanh softmax log_softmax gelu elu softplus linear conv1d conv2d
    max_pool2d avg_pool2d dropout mse_loss l1_loss smooth_l1_loss huber_loss cross_entropy nll_loss
    binary_cross_entropy binary_cross_entropy_with_logits kl_div one_hot pad normalize
    cosine_similarity
""")
NN_INIT = _names("""
    xavier_uniform_ xavier_normal_ kaiming_uniform_ kaiming_normal_ zeros_ ones_ constant_ normal_
    uniform_
""")
OPTIMIZERS = _names("SGD Adam AdamW RMSprop Adagrad")

MODULE_ATTRS: dict[str, frozenset[str]] = {
    "torch": TORCH_CREATION | TORCH_MATH | TORCH_TYPES | TORCH_SUBMODULES,
    "torch.nn": NN_LAYERS | NN_LOSSES | _names("functional init"),
    "torch.nn.functional": NN_FUNCTIONAL,
    "torch.nn.init": NN_INIT,
    "torch.optim": OPTIMIZERS,
    "torch.autograd": _names("grad backward"),
    "torch.linalg": _names("norm vector_norm matrix_norm inv det"),
}

IMPORTABLE_MODULES = frozenset(MODULE_ATTRS)

# Attributes of tensors (and so of nn.Parameter). Deliberately absent: storage access,
# data_ptr, numpy interop (``numpy`` is replaced by a refusal), device transfer, pickling.
TENSOR_ATTRS = _names("""
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

# nn.Module instances: the methods every module has, and the attributes of the layers above.
MODULE_INSTANCE_ATTRS = _names("""
    parameters named_parameters children named_children modules named_modules buffers
    named_buffers forward train eval zero_grad requires_grad_ training state_dict load_state_dict
    apply float double append extend
    weight bias in_features out_features in_channels out_channels kernel_size stride padding
    dilation groups p inplace negative_slope dim reduction num_features running_mean running_var
    normalized_shape eps momentum num_embeddings embedding_dim start_dim end_dim ignore_index
    label_smoothing pos_weight beta alpha
""")
OPTIMIZER_ATTRS = _names("step zero_grad param_groups defaults")
GRAD_FN_ATTRS = _names("next_functions name variable")
DICT_ATTRS = _names("keys values items get pop update copy setdefault clear")
LIST_ATTRS = _names("append extend pop insert index count reverse sort copy remove clear")
TUPLE_ATTRS = _names("index count")
STR_ATTRS = _names("upper lower strip lstrip rstrip split join startswith endswith title isdigit")
SIZE_ATTRS = _names("numel index count")
DTYPE_ATTRS = _names("is_floating_point is_signed itemsize")
DEVICE_ATTRS = _names("type")
NUMBER_ATTRS = _names("is_integer bit_length real imag")
RETURN_TYPE_ATTRS = _names("values indices")

# Attributes a program may assign to.
TENSOR_SETTABLE = _names("requires_grad grad data")
OPTIMIZER_SETTABLE: frozenset[str] = frozenset()

# Context managers allowed in ``with``: the grad-mode switches.
CONTEXT_MANAGER_NAMES = ("no_grad", "enable_grad", "set_grad_enabled")

# Builtins a program sees (print is replaced by a capturing one; range by a bounded one).
SAFE_BUILTIN_NAMES = _names("""
    abs all any bool dict enumerate float int isinstance len list max min reversed round sorted
    str sum tuple zip map filter set frozenset divmod hash iter next repr chr ord bin hex
""")
