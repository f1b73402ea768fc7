"""torch.nn: layers, losses, the functional API and initialisers; what module instances expose.

A program's own ``nn.Module`` subclasses may read and set their own attributes besides these
(``app/language/attributes.py``), and redefine only what ``classes.py`` lets them.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from torch import nn

from app.language.allowlist.torch import _load
from app.language.records import Library, ModuleRule, Reader, TypeRule, names

if TYPE_CHECKING:
    from app.language.runtime import Runtime

LAYERS = names("""
    Module Parameter Linear Bilinear Identity Flatten Unflatten
    Conv1d Conv2d Conv3d ConvTranspose1d ConvTranspose2d MaxPool1d MaxPool2d AvgPool1d AvgPool2d
    AdaptiveAvgPool1d AdaptiveAvgPool2d AdaptiveMaxPool1d AdaptiveMaxPool2d Upsample ZeroPad2d
    BatchNorm1d BatchNorm2d LayerNorm GroupNorm InstanceNorm1d InstanceNorm2d LocalResponseNorm
    Dropout Dropout1d Dropout2d AlphaDropout Embedding EmbeddingBag
    ReLU ReLU6 LeakyReLU PReLU RReLU ELU SELU CELU GELU SiLU Mish Sigmoid Tanh Softmax Softmin
    LogSoftmax Softplus Softsign Hardtanh Hardsigmoid Hardswish Hardshrink Softshrink Tanhshrink
    Threshold LogSigmoid GLU
    RNN LSTM GRU RNNCell LSTMCell GRUCell MultiheadAttention TransformerEncoderLayer
    Sequential ModuleList ModuleDict ParameterList ParameterDict
    LazyLinear LazyConv1d LazyConv2d LazyBatchNorm1d LazyBatchNorm2d
""")
LOSSES = names("""
    MSELoss L1Loss SmoothL1Loss HuberLoss CrossEntropyLoss NLLLoss BCELoss BCEWithLogitsLoss
    KLDivLoss MarginRankingLoss HingeEmbeddingLoss CosineEmbeddingLoss TripletMarginLoss
    PoissonNLLLoss GaussianNLLLoss SoftMarginLoss MultiLabelSoftMarginLoss MultiMarginLoss
    MultiLabelMarginLoss CosineSimilarity PairwiseDistance
""")
FUNCTIONAL = names("""
    relu relu6 leaky_relu prelu elu selu celu gelu silu mish sigmoid tanh softmax softmin
    log_softmax softplus softsign hardtanh hardsigmoid hardswish logsigmoid glu threshold
    gumbel_softmax linear bilinear conv1d conv2d conv3d conv_transpose1d conv_transpose2d
    max_pool1d max_pool2d avg_pool1d avg_pool2d adaptive_avg_pool1d adaptive_avg_pool2d
    adaptive_max_pool1d adaptive_max_pool2d interpolate pad unfold fold
    dropout dropout1d dropout2d embedding one_hot batch_norm layer_norm group_norm
    instance_norm normalize local_response_norm
    mse_loss l1_loss smooth_l1_loss huber_loss cross_entropy nll_loss binary_cross_entropy
    binary_cross_entropy_with_logits kl_div margin_ranking_loss hinge_embedding_loss
    cosine_embedding_loss triplet_margin_loss poisson_nll_loss gaussian_nll_loss
    soft_margin_loss multilabel_soft_margin_loss multi_margin_loss
    cosine_similarity pairwise_distance
""")
INIT = names("""
    xavier_uniform_ xavier_normal_ kaiming_uniform_ kaiming_normal_ zeros_ ones_ constant_ normal_
    uniform_ trunc_normal_ orthogonal_ eye_ dirac_ sparse_ calculate_gain
""")
UTILS = names("clip_grad_norm_ clip_grad_value_ parameters_to_vector vector_to_parameters")

# nn.Module instances: the methods every module has, and the attributes of the layers above.
MODULE_READ = names("""
    parameters named_parameters children named_children modules named_modules buffers
    named_buffers forward train eval zero_grad requires_grad_ training state_dict load_state_dict
    apply float double half to cpu cuda type add_module register_buffer register_parameter
    get_submodule get_parameter append extend insert keys values items pop update
    weight bias in_features out_features in1_features in2_features in_channels out_channels
    kernel_size stride padding dilation groups padding_mode output_padding output_size
    p inplace negative_slope dim reduction num_features running_mean running_var
    num_batches_tracked affine track_running_stats normalized_shape elementwise_affine eps
    momentum num_embeddings embedding_dim padding_idx max_norm start_dim end_dim unflattened_size
    ignore_index label_smoothing pos_weight beta alpha margin lambd min_val max_val threshold
    value scale_factor mode align_corners num_groups num_channels num_parameters init
    input_size hidden_size num_layers nonlinearity batch_first bidirectional dropout proj_size
    weight_ih weight_hh bias_ih bias_hh
    weight_ih_l0 weight_hh_l0 bias_ih_l0 bias_hh_l0 weight_ih_l1 weight_hh_l1 bias_ih_l1
    bias_hh_l1 weight_ih_l2 weight_hh_l2 bias_ih_l2 bias_hh_l2
    weight_ih_l0_reverse weight_hh_l0_reverse bias_ih_l0_reverse bias_hh_l0_reverse
    embed_dim num_heads in_proj_weight in_proj_bias out_proj
    self_attn linear1 linear2 norm1 norm2 dropout1 dropout2 norm_first
    register_forward_hook register_forward_pre_hook register_full_backward_hook
""")
# Hooks run inside the module's call or inside backward(): the program's function given to
# each is wrapped like any program function, so it runs under the limits.
_HOOKS = dict.fromkeys(
    ("register_forward_hook", "register_forward_pre_hook", "register_full_backward_hook"),
    "module_hook",
)


def _module_hook(runtime: Runtime) -> Reader:
    return lambda module, name: functools.partial(
        runtime.register_module_hook, getattr(module, name)
    )


# What a program may assign on a layer it did not define.
MODULE_SET = names("weight bias")

NN = Library(
    name="torch.nn",
    modules=(
        ModuleRule("torch.nn", LAYERS | LOSSES | names("functional init utils parameter")),
        ModuleRule("torch.nn.functional", FUNCTIONAL),
        ModuleRule("torch.nn.init", INIT),
        ModuleRule("torch.nn.utils", UTILS),
        ModuleRule("torch.nn.parameter", names("Parameter UninitializedParameter Buffer")),
    ),
    types=(TypeRule((nn.Module,), MODULE_READ, MODULE_SET, wrapped=_HOOKS),),
    load=_load,
    readers={"module_hook": _module_hook},
)
