# title: retain_grad() on an intermediate tensor
# title_zh: 对中间张量调用 retain_grad()
# description: Non-leaf tensors do not keep .grad; after h.retain_grad() the gradient flowing through h (2h) is stored on it.
# description_zh: 非叶子张量默认不保存 .grad；调用 h.retain_grad() 后，流经 h 的梯度（2h）会被保存下来。

import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
h = x * 3
h.retain_grad()
y = (h ** 2).sum()
y.backward()
print("h.grad =", h.grad)
print("x.grad =", x.grad)
