# title: 张量的创建：直接创建、依据数值创建、依据概率分布创建
# expect: match

import torch
import numpy as np

# ============================ 1. 直接创建 ============================
# torch.tensor()：把列表/ndarray复制一份变成张量
arr = np.ones((2, 3))
print("arr.dtype =", arr.dtype, "-> 转成张量后 dtype 不变")
t = torch.tensor(arr)
print(t)

# torch.from_numpy()：和ndarray用同一块内存，改一个另一个也变
arr = np.array([[1, 2, 3], [4, 5, 6]])
t = torch.from_numpy(arr)
print("arr =", arr)
print("t =", t)

arr[0, 0] = 0
print("改了arr之后 t =", t)

t[1, 2] = -1
print("改了t之后 arr =", arr)

# ============================ 2. 依据数值创建 ============================
out_t = torch.tensor([1])
t = torch.zeros((3, 3), out=out_t)
print(t, '\n', out_t)
print(id(t) == id(out_t))  # out参数：t和out_t是同一个张量

t = torch.zeros_like(torch.empty(2, 4))
print(t)

t = torch.full((3, 3), 7.)
print(t)

# arange 不包含end
t = torch.arange(2, 10, 2)
print(t)

# linspace 包含两端，第三个参数是一共几个数
t = torch.linspace(2, 10, 6)
print(t)

t = torch.logspace(0, 3, 4, base=10)
print(t)

# eye 可以不是方阵
t = torch.eye(3, 4)
print(t)

# ============================ 3. 依据概率分布创建 ============================
# torch.normal 的 mean/std 可以是张量也可以是标量
# 两个都是张量：逐元素对应
mean = torch.arange(1, 5, dtype=torch.float)
std = torch.arange(1, 5, dtype=torch.float)
t_normal = torch.normal(mean, std)
print("均值 {}，标准差 {}，采样结果 {}".format(mean, std, t_normal))

# 两个都是标量：这时必须给size
t_normal = torch.normal(0., 1., size=(4,))
print(t_normal)

# mean是张量、std是标量：std被所有元素共用
mean = torch.arange(1, 5, dtype=torch.float)
std = 1
t_normal = torch.normal(mean, std)
print(f"均值 {mean}，标准差 {std}，采样结果 {t_normal}")

# 标准正态分布、均匀分布、随机整数、随机排列、伯努利分布
print(torch.randn(2, 3))
print(torch.rand(2, 3))
print(torch.randint(0, 10, size=(2, 3)))
print(torch.randperm(6))
print(torch.bernoulli(torch.full((6,), 0.5)))
