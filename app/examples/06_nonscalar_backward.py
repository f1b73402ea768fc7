# title: Backward from a vector
# title_zh: 从向量开始反向传播
# description: y is a vector, so backward needs an explicit upstream gradient; with ones it gives dy_i/dx_i = 2x.
# description_zh: y 是向量，backward 需要显式给出上游梯度；传入全 1 时得到 dy_i/dx_i = 2x。

import torch

x = torch.arange(4.0, requires_grad=True)
y = x * x
y.backward(torch.ones_like(x))
print(x.grad)
