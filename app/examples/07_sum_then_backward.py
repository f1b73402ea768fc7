# title: Sum first, then backward
# title_zh: 先求和再反向传播
# description: Summing y to a scalar before backward is the same as passing a gradient of ones: x.grad is again 2x.
# description_zh: 在反向传播前先把 y 求和成标量，等价于传入全 1 梯度：x.grad 仍然是 2x。

import torch

x = torch.arange(4.0, requires_grad=True)
y = x * x
y.sum().backward()
print(x.grad)
