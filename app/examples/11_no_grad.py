# title: Switching off tracking with torch.no_grad()
# title_zh: 用 torch.no_grad() 关闭梯度跟踪
# description: z is computed inside torch.no_grad(), so it has no grad_fn and enters the graph as a constant; only the y path carries gradient.
# description_zh: z 在 torch.no_grad() 中计算，没有 grad_fn，作为常数进入计算图；只有 y 这条路径传递梯度。

import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x * 2
with torch.no_grad():
    z = x * 2
print(y.requires_grad, z.requires_grad)
loss = (y * z).sum()
loss.backward()
print(x.grad)
