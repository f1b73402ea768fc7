# title: 线性代数练习：转置、按轴求和与范数
# expect: match

import torch

A = torch.arange(20, dtype=torch.float32).reshape(4, 5)
B = torch.arange(20, 40, dtype=torch.float32).reshape(4, 5)

# 练习1：转置的转置等于原矩阵
print('(A^T)^T == A:', torch.equal(A.T.T, A))
# 练习2：转置的和等于和的转置
print('A^T + B^T == (A + B)^T:', torch.equal(A.T + B.T, (A + B).T))

# 练习3：任意方阵加上其转置总是对称的
M = torch.arange(9, dtype=torch.float32).reshape(3, 3)
Sym = M + M.T
print('对称:', torch.equal(Sym, Sym.T))

# 练习4：len(X)返回第0轴的长度
X = torch.arange(24).reshape(2, 3, 4)
print('len(X) =', len(X))

# 练习5：A / A.sum(axis=1) 会因形状不匹配而报错，需要keepdims
try:
    A / A.sum(axis=1)
except RuntimeError as e:
    print('形状不匹配，出错了')
print(A / A.sum(axis=1, keepdims=True))

# 练习6：对三维张量沿各轴求和后的形状
for axis in range(3):
    print(f'沿轴{axis}求和的形状:', X.sum(axis=axis).shape)

# 练习7：范数
Y = torch.arange(24, dtype=torch.float32).reshape(2, 3, 4)
print('Frobenius范数:', torch.linalg.norm(Y))
print('向量化后的L2范数:', torch.norm(Y.reshape(-1)))

# L1、L2与无穷范数
u = torch.tensor([1.0, -2.0, 3.0, -4.0])
print('L1范数:', torch.abs(u).sum())
print('L2范数:', torch.norm(u))
print('无穷范数:', torch.abs(u).max())

# 矩阵-矩阵乘法与逐元素乘法的区别
P = torch.ones(5, 2)
print('A @ P:\n', A @ P)
print('A * A 的形状:', (A * A).shape)
