# title: Saving memory with in-place operations and converting to NumPy
# expect: match

import torch

X = torch.arange(6, dtype=torch.float32).reshape((2, 3))
Y = torch.tensor([[1.0, 1, 2], [3, 5, 8]])

# Y = Y + X allocates a fresh tensor for the result
before = id(Y)
Y = Y + X
print(id(Y) == before)

# slice assignment writes into an existing buffer
Z = torch.zeros_like(Y)
z_id = id(Z)
Z[:] = X + Y
print('same object after Z[:] = ...:', id(Z) == z_id)

# augmented assignment is also in place
before = id(X)
X += Y
print(id(X) == before)
print(X)

# out= argument of torch functions
out = torch.empty(2, 3)
out_id = id(out)
torch.mul(X, 2, out=out)
print(out, id(out) == out_id)

# conversion to NumPy shares memory with the tensor
A = X.numpy()
B = torch.tensor(A)
print(type(A), type(B))
C = torch.from_numpy(A)
A[0, 0] = -1.0
print('C sees the change:', C[0, 0].item())
print('B was copied:', B[0, 0].item())

# a one-element tensor converts to Python scalars
s = torch.tensor([2.75])
print(s, s.item(), float(s), int(s))
