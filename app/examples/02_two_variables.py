# title: Two inputs, one output
# title_zh: 两个输入，一个输出
# description: The AddBackward0 node sends the same upstream gradient to both branches, so x gets 2x = 4 and y gets 3y^2 = 27.
# description_zh: AddBackward0 节点把同一个上游梯度传给两个分支，因此 x 得到 2x = 4，y 得到 3y^2 = 27。

import torch

x = torch.tensor(2.0, requires_grad=True)
y = torch.tensor(3.0, requires_grad=True)
z = x ** 2 + y ** 3
z.backward()
print("dz/dx =", x.grad)
print("dz/dy =", y.grad)
