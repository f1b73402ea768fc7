# title: A 20-layer MLP, folded by module
# title_zh: 20 层 MLP：按模块折叠
# description: model.layers holds 20 identical Linear + ReLU blocks in an nn.ModuleList. The graph opens folded: one node per module showing its type, shapes, parameter count and gradient norm, and the 20 identical blocks as one block marked ×20. Click or press Enter on a module to unfold it; type layers.7 in the search box to find that layer.
# description_zh: model.layers 是一个 nn.ModuleList，装着 20 个相同的 Linear + ReLU 块。图一打开就是折叠的：每个模块一个节点，显示类型、形状、参数个数和梯度范数；20 个相同的块合成一个标着 ×20 的块。点击模块或按 Enter 展开；在搜索框输入 layers.7 即可找到这一层。

import torch
import torch.nn as nn


class MLP(nn.Module):
    def __init__(self, width, depth):
        super().__init__()
        self.layers = nn.ModuleList(
            [nn.Sequential(nn.Linear(width, width), nn.ReLU()) for _ in range(depth)]
        )
        self.head = nn.Linear(width, 1)

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return self.head(x)


torch.manual_seed(0)
model = MLP(width=8, depth=20)
batch = torch.randn(4, 8)
loss = model(batch).pow(2).mean()
loss.backward()
print("loss:", loss.item())
print("gradient norm of layers.7's weight:", model.layers[7][0].weight.grad.norm().item())
