# title: Tensor indexing, slicing, joining and arithmetic
# expect: match

import torch

tensor = torch.ones(4, 4)
print(f"First row: {tensor[0]}")
print(f"First column: {tensor[:, 0]}")
print(f"Last column: {tensor[..., -1]}")
tensor[:, 1] = 0
tensor[2, :] = 3
print(tensor)

# joining along an existing dimension and along a new one
t1 = torch.cat([tensor, tensor, tensor], dim=1)
print(t1.shape)
print(t1)
t2 = torch.stack([tensor, tensor], dim=0)
print(t2.shape)

# three ways to get the same matrix product
y1 = tensor @ tensor.T
y2 = tensor.matmul(tensor.T)
y3 = torch.rand_like(y1)
torch.matmul(tensor, tensor.T, out=y3)
print(y1)
print(torch.equal(y1, y2), torch.equal(y1, y3))

# three ways to get the element-wise product
z1 = tensor * tensor
z2 = tensor.mul(tensor)
z3 = torch.rand_like(tensor)
torch.mul(tensor, tensor, out=z3)
print(z1)
print(torch.equal(z1, z2), torch.equal(z1, z3))

# reduce to one number and pull it out as a Python float
agg = tensor.sum()
agg_item = agg.item()
print(agg_item, type(agg_item))

# in-place operations end with an underscore
print(f"{tensor} \n")
tensor.add_(5)
print(tensor)
tensor.mul_(0.5)
print(tensor)

# boolean masks and fancy indexing
m = torch.arange(12).reshape(3, 4)
print(m[m % 3 == 0])
print(m[[0, 2]])
print(m[:, [1, 3]])
print(m.view(-1)[5:9])
print(torch.chunk(m, 2, dim=1))
print(torch.split(m, [1, 2], dim=0)[1])
