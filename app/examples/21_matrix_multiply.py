# title: A linear layer by hand with @
# title_zh: 用 @ 手写线性层
# description: W @ x becomes an MvBackward0 node; W.grad is the outer product of the upstream gradient and x.
# description_zh: W @ x 对应 MvBackward0 节点；W.grad 是上游梯度与 x 的外积。

import torch

W = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], requires_grad=True)
b = torch.tensor([0.5, -0.5, 2.0], requires_grad=True)
x = torch.tensor([1.0, -1.0])
y = W @ x + b
loss = (y ** 2).sum()
loss.backward()
print("y =", y)
print("W.grad =", W.grad)
print("b.grad =", b.grad)
