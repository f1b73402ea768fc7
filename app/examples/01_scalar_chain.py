# title: Scalar chain rule
# title_zh: 标量链式法则
# description: Follow the gradient from z back through y to the leaf x: dz/dx = 2y * 2x = 2 * 7 * 2 * 2 = 56.
# description_zh: 沿着梯度从 z 经过 y 回到叶子节点 x：dz/dx = 2y * 2x = 2 * 7 * 2 * 2 = 56。

import torch

x = torch.tensor(2.0, requires_grad=True)
y = x ** 2 + 3
z = y ** 2
z.backward()
print(x.grad)
