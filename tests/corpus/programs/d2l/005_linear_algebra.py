# title: Linear algebra: scalars, vectors, matrices, reductions and norms
# expect: match

import torch

x = torch.tensor(5.0)
y = torch.tensor(3.0)
print(x + y, x * y, x / y, x ** y)

v = torch.arange(6)
print(v, v[4], len(v), v.shape)

A = torch.arange(12).reshape(4, 3)
print(A)
print(A.T)

# a symmetric matrix equals its transpose
S = torch.tensor([[2, 7, 1], [7, 0, 5], [1, 5, 9]])
print(S == S.T)

T = torch.arange(24).reshape(2, 3, 4)
print(T)

A = torch.arange(12, dtype=torch.float32).reshape(4, 3)
B = A.clone()
print(A + B)
print(A * B)  # Hadamard product

# reductions
print(A.sum(), A.shape)
sum0 = A.sum(axis=0)
print(sum0, sum0.shape)
sum1 = A.sum(axis=1)
print(sum1, sum1.shape)
print(A.sum(axis=[0, 1]))
print(A.mean(), A.sum() / A.numel())
print(A.mean(axis=0), A.sum(axis=0) / A.shape[0])

# keep the reduced axis to use broadcasting afterwards
row_sums = A.sum(axis=1, keepdims=True)
print(row_sums)
print(A / row_sums)
print(A.cumsum(axis=0))

# products
u = torch.arange(3, dtype=torch.float32)
w = torch.ones(3, dtype=torch.float32)
print(u, w, torch.dot(u, w))
print(torch.sum(u * w))
print(A.shape, u.shape, torch.mv(A, u))
C = torch.ones(3, 2)
print(torch.mm(A, C))

# norms
r = torch.tensor([6.0, -8.0])
print(torch.norm(r))
print(torch.abs(r).sum())
print(torch.norm(torch.ones((3, 12))))
