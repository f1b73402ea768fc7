# title: Data manipulation: creating tensors and elementwise operations
# expect: match

import torch

# a row vector of 15 consecutive integers
v = torch.arange(15)
print(v)
print(v.shape)
print(v.numel())

# reshape into a matrix with 3 rows and 5 columns
M = v.reshape(3, 5)
print(M)
# let PyTorch infer one of the dimensions
print(v.reshape(-1, 3).shape)

print(torch.zeros((2, 2, 3)))
print(torch.ones((3, 2)))
# samples from a standard Gaussian; only the shape is printed
print(torch.randn(4, 2).shape)

# build a tensor from a nested Python list
grid = torch.tensor([[3, 1, 2], [0, 5, 4], [7, 6, 8]])
print(grid)

# elementwise arithmetic on same-shaped tensors
p = torch.tensor([1.0, 3, 5, 7])
q = torch.tensor([2, 2, 1, 2])
print(p + q, p - q, p * q, p / q, p ** q)
print(torch.exp(p))

# concatenate along rows and along columns
A = torch.arange(8, dtype=torch.float32).reshape((2, 4))
B = torch.tensor([[1.0, 0, 2, 2], [9, 8, 7, 6]])
print(torch.cat((A, B), dim=0))
print(torch.cat((A, B), dim=1))

# logical comparison gives a boolean tensor
print(A == B)
print(A.sum())
print(A.sum().item())
