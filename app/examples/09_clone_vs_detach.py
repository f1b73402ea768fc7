# title: clone() versus detach()
# title_zh: clone() 与 detach() 的区别
# description: clone() adds a CloneBackward0 node and passes gradients through; detach() has no grad_fn, so only the clone path reaches x.
# description_zh: clone() 会加入 CloneBackward0 节点并传递梯度；detach() 没有 grad_fn，所以只有 clone 这条路径的梯度回到 x。

import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
a = x.clone()
b = x.detach()
print("clone:", a.requires_grad, a.grad_fn.name())
print("detach:", b.requires_grad, b.grad_fn)
loss = (a * 2 + b * 3).sum()
loss.backward()
print(x.grad)
