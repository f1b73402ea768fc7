# title: 计算图与动态图机制：叶子结点、grad_fn 与 retain_grad
# expect: match

import torch

# 计算图：y = (x + w) * (w + 1)
#   a = x + w, b = w + 1, y = a * b
#   dy/dw = dy/da * da/dw + dy/db * db/dw = b * 1 + a * 1 = (w + 1) + (x + w)
w = torch.tensor([2.], requires_grad=True)
x = torch.tensor([3.], requires_grad=True)

a = torch.add(w, x)
a.retain_grad()  # 保存非叶子结点a的梯度
b = torch.add(w, 1)
y = torch.mul(a, b)

y.backward()
print(w.grad)  # (2 + 1) + (3 + 2) = 8

# 查看叶子结点：用户创建的结点称为叶子结点
print("是不是叶子 w/x/a/b/y:", w.is_leaf, x.is_leaf, a.is_leaf, b.is_leaf, y.is_leaf)

# 查看梯度：非叶子结点的梯度在反向传播后会被释放，除非调用了retain_grad()
print("梯度 w/x/a:", w.grad, x.grad, a.grad, " b和y没有保留梯度:", b.grad is None, y.grad is None)

# 查看 grad_fn：记录创建该张量时所用的方法
print("grad_fn:", w.grad_fn, x.grad_fn, a.grad_fn.name(), b.grad_fn.name(), y.grad_fn.name())

# 沿着grad_fn往回走，可以看到整张反向图
fn = y.grad_fn
print(type(fn).__name__, [type(f[0]).__name__ for f in fn.next_functions])

# ============================ 动态图 ============================
# 动态图：运算与搭建同时进行，可以用Python的控制流
x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
h = x
steps = 0
while h.norm() < 10:
    h = h * 2
    steps += 1
if h.sum() > 0:
    out = h.sum()
else:
    out = -h.sum()
out.backward()
print("循环了{}次，out={}".format(steps, out.item()))
print("x.grad =", x.grad)  # 每次乘2，梯度是 2**steps

# 每次前向都会重新搭一张图，图的形状可以不一样
for n in [1, 2, 3]:
    z = torch.tensor(1.5, requires_grad=True)
    r = z
    for _ in range(n):
        r = r * z
    r.backward()
    print("n={} : d(z^{})/dz = {}".format(n, n + 1, z.grad.item()))
