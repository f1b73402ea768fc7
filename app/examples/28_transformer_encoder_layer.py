# title: nn.TransformerEncoderLayer
# title_zh: Transformer 编码层
# description: One encoder layer: multi-head self-attention (layer.self_attn), then a feed-forward network of two Linear layers (layer.linear1, layer.linear2), each added back to its input and followed by a LayerNorm (NativeLayerNormBackward0). Every function node names the part of the layer that made it.
# description_zh: 一个编码层：先是多头自注意力（layer.self_attn），再是由两个 Linear 层组成的前馈网络（layer.linear1、layer.linear2），每一部分的输出都加回到它的输入上，再经过 LayerNorm（NativeLayerNormBackward0）。每个函数节点都标明了创建它的是这一层的哪个部分。

import torch
import torch.nn as nn

torch.manual_seed(0)
layer = nn.TransformerEncoderLayer(
    d_model=4, nhead=2, dim_feedforward=8, dropout=0.0, batch_first=True
)
x = torch.randn(1, 3, 4)  # a batch of one sequence: 3 tokens of 4 features
y = layer(x)
loss = y.pow(2).mean()
loss.backward()
print("output shape:", y.shape)
print("mean square of the output (LayerNorm makes it about 1):", round(loss.item(), 4))
print("attention in_proj_weight grad shape:", layer.self_attn.in_proj_weight.grad.shape)
