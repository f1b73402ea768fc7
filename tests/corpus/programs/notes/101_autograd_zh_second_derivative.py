# title: 自动求导笔记：叶子节点、grad_fn、二阶导数、detach 与 requires_grad_
# expect: match
import torch

x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x ** 2
print("y 的 grad_fn:", y.grad_fn)
print("x 是叶子节点吗？", x.is_leaf, "；y 是叶子节点吗？", y.is_leaf)
y.backward(torch.ones_like(y))
print("x 的梯度:", x.grad)
x.grad.zero_()
print("清零后:", x.grad)

# 二阶导数
x = torch.tensor(2.0, requires_grad=True)
y = x ** 3
grad1 = torch.autograd.grad(y, x, create_graph=True)[0]
print(f"一阶导数 dy/dx = {grad1.item():.1f}")
grad2 = torch.autograd.grad(grad1, x)[0]
print(f"二阶导数 d2y/dx2 = {grad2.item():.1f}")

# detach
a = torch.randn(3, requires_grad=True)
b = a * 2
c = b.detach()
print(c.requires_grad, b.requires_grad)
c.requires_grad_()
d = (c * c).sum()
d.backward()
print(c.grad is not None, a.grad)

# 梯度累加
w = torch.tensor(1.0, requires_grad=True)
for i in range(3):
    loss = w * 2
    loss.backward()
    print(f"第{i + 1}次 backward 后 w.grad = {w.grad}")
