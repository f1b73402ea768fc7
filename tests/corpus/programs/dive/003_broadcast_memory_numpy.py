# title: 2.2.3-2.2.6 广播机制、运算的内存开销、Tensor和NumPy相互转换
# expect: match

import torch
import numpy as np

# 形状不同的张量相加：(1,3) 和 (2,1) 都被扩成 (2,3)
x = torch.arange(1, 4).view(1, 3)
print(x)
y = torch.arange(1, 3).view(2, 1)
print(y)
print(x + y)

# 运算会不会开辟新内存
x = torch.tensor([1, 2])
y = torch.tensor([5, 6])
id_before = id(y)
y = y + x
print(id(y) == id_before)  # False：y + x 的结果放在新的内存里，y指向了新对象

x = torch.tensor([1, 2])
y = torch.tensor([5, 6])
id_before = id(y)
y[:] = y + x
print(id(y) == id_before)  # True：y[:] = 写回原来的内存

x = torch.tensor([1, 2])
y = torch.tensor([5, 6])
id_before = id(y)
torch.add(x, y, out=y)  # 效果同 y += x 或 y.add_(x)
print(id(y) == id_before)  # True：out=y 也是写回y原来的内存
print(y)

# Tensor -> NumPy：numpy() 共用内存
a = torch.ones(4)
b = a.numpy()
print(a, b)

a += 1
print(a, b)
b += 1
print(a, b)

# NumPy -> Tensor：from_numpy() 也共用内存
a = np.ones(4)
b = torch.from_numpy(a)
print(a, b)

a += 1
print(a, b)
b += 1
print(a, b)

# torch.tensor() 会复制一份数据，之后互不影响
c = torch.tensor(a)
a += 1
print(a, c)

# 有显卡时把运算放到GPU上，没有就跳过
if torch.cuda.is_available():
    device = torch.device("cuda")          # GPU
    y = torch.ones_like(x, device=device)  # 创建时就指定放在显卡上
    x = x.to(device)                       # 也可以写成 .to("cuda")
    z = x + y
    print(z)
    print(z.to("cpu", torch.double))       # to() 能一次同时改设备和dtype
else:
    print('没有可用的GPU，跳过')
