# title: 自动微分：Python控制流的梯度计算
# expect: match

import torch

def f(a):
    b = a * 3
    while b.norm() < 500:
        b = b * 3
    if b.sum() > 0:
        c = b
    else:
        c = 50 * b
    return c

# 标量输入
a = torch.randn(size=(), requires_grad=True)
d = f(a)
d.backward()
# f是关于a的分段线性函数，所以 d = k * a，梯度为 d / a
print('梯度等于d/a:', bool(torch.allclose(a.grad, d / a)))

# 向量输入：此时d是向量，需要先求和再反向传播
a = torch.randn(size=(4,), requires_grad=True)
d = f(a)
d.sum().backward()
k = d / a
print('每个分量的比例相同:', bool(torch.allclose(k, k[0].expand(4))))
print('梯度与比例一致:', bool(torch.allclose(a.grad, k)))

# 练习：用自动微分画出 sin(x) 的导数，并与 cos(x) 比较
x = torch.linspace(-3.0, 3.0, 61, requires_grad=True)
y = torch.sin(x)
y.sum().backward()
print('导数等于cos(x):', bool(torch.allclose(x.grad, torch.cos(x.detach()))))

# 练习：第二次反向传播需要 retain_graph
x = torch.tensor(2.0, requires_grad=True)
y = x ** 3
y.backward(retain_graph=True)
print('第一次梯度:', x.grad)
y.backward()
print('累加后的梯度:', x.grad)
