# title: A small MLP as an nn.Module
# title_zh: 用 nn.Module 写一个小型 MLP
# description: forward() chains two Linear layers with a ReLU; each parameter appears as a leaf such as model.fc1.weight.
# description_zh: forward() 用 ReLU 连接两个 Linear 层；每个参数都是一个叶子节点，例如 model.fc1.weight。

import torch
import torch.nn as nn
import torch.nn.functional as F


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(3, 4)
        self.fc2 = nn.Linear(4, 1)

    def forward(self, x):
        h = F.relu(self.fc1(x))
        return self.fc2(h)


torch.manual_seed(0)
model = MLP()
x = torch.randn(2, 3)
out = model(x)
loss = out.pow(2).mean()
loss.backward()
print(model.fc2.weight.grad)
