# title: Broadcasting in the backward pass
# title_zh: 反向传播中的广播
# description: a (3, 1) plus b (1, 2) gives a (3, 2) result; on the way back AddBackward0 sums the gradient over the broadcast dimensions.
# description_zh: 形状 (3, 1) 的 a 加上 (1, 2) 的 b 得到 (3, 2)；反向时 AddBackward0 会在广播的维度上把梯度求和。

import torch

a = torch.tensor([[1.0], [2.0], [3.0]], requires_grad=True)
b = torch.tensor([[10.0, 20.0]], requires_grad=True)
c = a + b
loss = c.sum()
loss.backward()
print(c.shape)
print(a.grad)
print(b.grad)
