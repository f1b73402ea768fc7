# title: 2.3 自动求梯度：对非标量backward传入权重、中断梯度追踪
# expect: match

import torch

# 对非标量调用backward，要传一个同形状的张量v，相当于对 sum(v * z) 求导
x = torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], requires_grad=True)
y = 3 * x
z = y.view(2, 3)
print(z)

# z 是 2x3 的矩阵，v 也得是 2x3
v = torch.tensor([[1.0, 0.5, 0.1], [0.01, 0.001, 0.0001]], dtype=torch.float)
z.backward(v)
print(x.grad)  # x.grad = 3 * v 拉平

# 用 torch.no_grad() 让一部分计算不被追踪
x = torch.tensor(2.0, requires_grad=True)
y1 = x ** 2
with torch.no_grad():
    y2 = x ** 3
y3 = y1 + y2

print(x.requires_grad)
print(y1, y1.requires_grad)  # True
print(y2, y2.requires_grad)  # False
print(y3, y3.requires_grad)  # True

y3.backward()
print(x.grad)  # 只有y1的梯度 2x = 4，y2被no_grad包裹，梯度不会回传

# y2没有grad_fn，对它调用backward会抛RuntimeError
try:
    y2.backward()
except RuntimeError as e:
    print('y2.backward() 报错:', type(e).__name__)

# .data：改数值但不让autograd知道
x = torch.ones(1, requires_grad=True)

print(x.data)  # .data 取出来的仍是Tensor
print(x.data.requires_grad)  # 只是它不再被autograd追踪

y = 5 * x
x.data *= 10  # 通过.data修改数值，autograd看不到这一步，梯度照常按 y = 5x 计算

y.backward()
print(x)  # x本身的值确实变成了10
print(x.grad)

# detach() 返回一个不追踪梯度的新张量
w = torch.randn(3, requires_grad=True)
u = (w * 2).detach()
print(u.requires_grad, u.grad_fn)
