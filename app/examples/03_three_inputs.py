# title: Sum and product
# title_zh: 加法与乘法
# description: The multiplication node swaps its inputs on the way back: b receives 3 * c and c receives 3 * b, giving grads 3, 6 and 9.
# description_zh: 乘法节点在反向传播时交换输入：b 得到 3 * c，c 得到 3 * b，三个梯度分别是 3、6、9。

import torch

a = torch.tensor(2.0, requires_grad=True)
b = torch.tensor(3.0, requires_grad=True)
c = torch.tensor(2.0, requires_grad=True)
j = 3 * (a + b * c)
j.backward()
print("dj/da =", a.grad)
print("dj/db =", b.grad)
print("dj/dc =", c.grad)
