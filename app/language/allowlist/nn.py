"""torch.nn: layers, losses, the functional API and initialisers; what module instances expose.

A program's own ``nn.Module`` subclasses may read and set their own attributes besides these
(``app/language/attributes.py``); of nn.Module's methods they may redefine only
``OVERRIDABLE``: graph extraction calls PyTorch's own ``named_parameters()`` and ``repr()``
after the program has ended, outside its limits, and must not run the program's code there.
"""

from __future__ import annotations

from torch import nn

from app.language.allowlist.library import Library, ModuleRule, TypeRule, names
from app.language.allowlist.torch import _load

LAYERS = names("""
    Module Parameter Linear Bilinear Conv1d Conv2d MaxPool1d MaxPool2d AvgPool2d AdaptiveAvgPool2d
    Flatten Unflatten Dropout BatchNorm1d BatchNorm2d LayerNorm Embedding Identity
    ReLU LeakyReLU Sigmoid Tanh Softmax LogSoftmax GELU ELU Softplus
    Sequential ModuleList ModuleDict
""")
LOSSES = names("""
    MSELoss L1Loss SmoothL1Loss HuberLoss CrossEntropyLoss NLLLoss BCELoss BCEWithLogitsLoss
    KLDivLoss
""")
FUNCTIONAL = names("""
    relu leaky_relu sigmoid tanh softmax log_softmax gelu elu softplus linear conv1d conv2d
    max_pool2d avg_pool2d dropout mse_loss l1_loss smooth_l1_loss huber_loss cross_entropy nll_loss
    binary_cross_entropy binary_cross_entropy_with_logits kl_div one_hot pad normalize
    cosine_similarity
""")
INIT = names("""
    xavier_uniform_ xavier_normal_ kaiming_uniform_ kaiming_normal_ zeros_ ones_ constant_ normal_
    uniform_
""")

# nn.Module instances: the methods every module has, and the attributes of the layers above.
MODULE_READ = names("""
    parameters named_parameters children named_children modules named_modules buffers
    named_buffers forward train eval zero_grad requires_grad_ training state_dict load_state_dict
    apply float double append extend
    weight bias in_features out_features in_channels out_channels kernel_size stride padding
    dilation groups p inplace negative_slope dim reduction num_features running_mean running_var
    normalized_shape eps momentum num_embeddings embedding_dim start_dim end_dim ignore_index
    label_smoothing pos_weight beta alpha
""")
# What a program may assign on a layer it did not define.
MODULE_SET = names("weight bias")
# The methods of nn.Module a program's own subclass may define.
OVERRIDABLE = names("forward reset_parameters")

NN = Library(
    name="torch.nn",
    modules=(
        ModuleRule("torch.nn", LAYERS | LOSSES | names("functional init")),
        ModuleRule("torch.nn.functional", FUNCTIONAL),
        ModuleRule("torch.nn.init", INIT),
    ),
    types=(TypeRule((nn.Module,), MODULE_READ, MODULE_SET),),
    load=_load,
)
