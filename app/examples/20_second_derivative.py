# title: Second derivative with create_graph=True
# title_zh: 用 create_graph=True 求二阶导数
# description: create_graph=True makes dy_dx part of a new graph, so differentiating it again gives d2y/dx2 = 6x = 18.
# description_zh: create_graph=True 让 dy_dx 本身也成为计算图的一部分，再求一次导得到 d2y/dx2 = 6x = 18。

import torch

x = torch.tensor(3.0, requires_grad=True)
y = x ** 3
dy_dx = torch.autograd.grad(y, x, create_graph=True)[0]
d2y_dx2 = torch.autograd.grad(dy_dx, x)[0]
print("dy/dx =", dy_dx)
print("d2y/dx2 =", d2y_dx2)
