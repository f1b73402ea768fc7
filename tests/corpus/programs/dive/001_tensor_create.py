# title: 2.2.1 创建Tensor
# expect: match

import torch

# torch.empty 只分配内存不初始化，里面是什么都有可能，所以只打印形状
x = torch.empty(4, 3)
print(x.size())

# [0, 1) 上均匀分布的随机数
x = torch.rand(4, 3)
print(x)

# 全0，类型指定为long（整数）
x = torch.zeros(4, 3, dtype=torch.long)
print(x)
print(x.dtype)

# 用Python列表里的数直接构造
x = torch.tensor([2.5, 7])
print(x)

# x.new_xxx / xxx_like：以已有的张量为模板再造一个
x = x.new_ones(4, 3, dtype=torch.float64)  # new_ones 得到的新张量沿用x的dtype/device，这里显式改成float64
print(x)

x = torch.randn_like(x, dtype=torch.float)  # 形状照抄x，但把类型换成float32
print(x)

# 看形状：.shape 和 .size() 是一回事
print(x.size())
print(x.shape)

# torch.Size 可以像元组一样拆包、取下标
rows, cols = x.size()
print('行数:', rows, '列数:', cols)
print(len(x.shape), x.shape[0] * x.shape[1], x.numel())

# 再试几个常见的构造函数
print(torch.ones(2, 3))
print(torch.eye(3))
print(torch.arange(1, 10, 2))
print(torch.linspace(0, 1, 6))
print(torch.normal(mean=0.0, std=torch.ones(5)))
print(torch.randperm(8))
