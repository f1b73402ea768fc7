# title: 广播机制与索引切片
# expect: match

import torch

# 广播机制：形状不同的张量也可以按元素运算
a = torch.arange(4).reshape((4, 1))
b = torch.arange(3).reshape((1, 3))
print(a)
print(b)
print('a + b =\n', a + b)
print('a * b =\n', a * b)

# 标量与张量的广播
X = torch.arange(12, dtype=torch.float32).reshape((3, 4))
print(X * 0.5 + 1)

# 索引和切片：最后一行、第1到第2行
print('最后一行:', X[-1])
print('第1到2行:\n', X[1:3])
print('第二列:', X[:, 1])

# 通过索引写入单个元素
X[2, 1] = 42
print(X)

# 为多个元素赋相同的值
X[0:2, :] = 7
print(X)

# 按步长切片
Y = torch.arange(10)
print(Y[::2])
print(Y[1::3])

# 布尔索引
mask = Y > 5
print(mask)
print('大于5的元素:', Y[mask])

# 三维张量的广播
Z = torch.ones((2, 3, 4))
w = torch.tensor([1.0, 2.0, 3.0, 4.0])
print((Z * w).shape)
print((Z * w)[1])
