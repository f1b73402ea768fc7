# title: Gradients accumulate
# title_zh: 梯度会累加
# description: A second backward adds to x.grad instead of replacing it, which is why training loops reset it with zero_().
# description_zh: 第二次 backward 会把梯度加到 x.grad 上而不是覆盖它，所以训练循环要用 zero_() 清零。

import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
y = (x ** 2).sum()
y.backward(retain_graph=True)
print("after one backward:", x.grad)
y.backward()
print("after two backwards:", x.grad)
x.grad.zero_()
print("after zero_():", x.grad)
