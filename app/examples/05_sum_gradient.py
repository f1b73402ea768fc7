# title: Gradient of a sum
# title_zh: 求和的梯度
# description: SumBackward0 copies the incoming gradient 1 to every element, so x.grad is a vector of ones.
# description_zh: SumBackward0 把传入的梯度 1 复制到每个元素上，因此 x.grad 是全 1 向量。

import torch

x = torch.arange(4.0, requires_grad=True)
y = x.sum()
y.backward()
print(x.grad)
