# title: Detaching a tensor
# title_zh: 分离计算图
# description: u is cut off from the graph, so z = u * x treats u as a constant and x.grad equals u instead of 3x^2.
# description_zh: u 被从计算图中分离，z = u * x 把 u 当作常数，所以 x.grad 等于 u，而不是 3x^2。

import torch

x = torch.arange(4.0, requires_grad=True)
y = x * x
u = y.detach()
z = u * x
z.sum().backward()
print(x.grad)
print(x.grad == u)
