# title: Dot product of a vector with itself
# title_zh: 向量与自身的点积
# description: x feeds both inputs of DotBackward0, so the two contributions add up and the gradient of 2 * x·x is 4x.
# description_zh: x 同时是 DotBackward0 的两个输入，两份贡献相加，所以 2 * x·x 的梯度是 4x。

import torch

x = torch.arange(4.0, requires_grad=True)
y = 2 * torch.dot(x, x)
y.backward()
print(x.grad)
print(x.grad == 4 * x)
