# title: 2.3 自动求梯度：requires_grad、grad_fn 与 backward
# expect: match

import torch

# requires_grad=True：之后对x的运算都会被记录下来
x = torch.ones(2, 2, requires_grad=True)
print(x)
print(x.grad_fn)

# 乘个3
y = x * 3
print(y)
print(type(y.grad_fn))  # 直接print(y.grad_fn)会带内存地址，这里只看类型

# x是我们自己建的叶子结点；y是算出来的，不是叶子
print(x.is_leaf, y.is_leaf)

# 继续往下算
z = y * y + 1
out = z.mean()
print(z, out)

# requires_grad_() 可以事后打开梯度追踪
a = torch.randn(3, 3)  # 不写的话 requires_grad 默认是 False
a = ((a * 2) / (a + 3))
print(a.requires_grad)  # False
a.requires_grad_(True)
print(a.requires_grad)  # True
b = (a * a).sum()
print(b.grad_fn.name())
print(out.grad_fn.next_functions[0][0].name())

# out 是标量，直接 backward()
out.backward()  # 标量可以不传参数，相当于传入 torch.tensor(1.)
print(x.grad)   # out = mean(9x^2 + 1)，d(out)/dx = 18x / 4 = 4.5

# 再做一次反向传播，可以看到 x.grad 是在原来的基础上加上去的
out2 = x.sum()
out2.backward()
print(x.grad)

out3 = x.sum()
x.grad.data.zero_()
out3.backward()
print(x.grad)
