# title: More tensor math: broadcasting, reductions, shape changes and copies
# expect: match

import torch
import math

torch.manual_seed(1234)
r1 = torch.rand(2, 2)
print(r1)
torch.manual_seed(1234)
r2 = torch.rand(2, 2)
print(torch.equal(r1, r2))

ones = torch.ones(2, 3)
twos = ones * 2
threes = (ones + twos).pow(2)
print(twos)
print(threes)

# broadcasting a row across a batch
rand = torch.rand(2, 4)
doubled = rand * (torch.ones(1, 4) * 2)
print(doubled.shape)
a = torch.ones(4, 3, 2)
print((a * torch.rand(3, 1)).shape)
print((a * torch.rand(1, 2)).shape)

# common element-wise math
angles = torch.tensor([0, math.pi / 4, math.pi / 2, 3 * math.pi / 4])
print(torch.sin(angles))
print(torch.asin(torch.sin(angles)))
b = torch.tensor([-1.7, -0.2, 0.4, 2.6])
print(torch.abs(b), torch.ceil(b), torch.floor(b))
print(torch.clamp(b, -0.5, 0.5))

# comparisons and reductions
d = torch.tensor([[1., 2.], [3., 4.]])
e = torch.ones(1, 2)
print(torch.eq(d, e))
print(torch.max(d), torch.max(d).item())
print(torch.mean(d), torch.std(d), torch.prod(d))
print(torch.unique(torch.tensor([1, 2, 1, 3, 2, 3])))

# vector and matrix helpers
v1 = torch.tensor([1., 0., 0.])
v2 = torch.tensor([0., 1., 0.])
print(torch.linalg.cross(v2, v1))
m1 = torch.tensor([[2., 0.], [0., 3.]])
print(torch.matmul(m1, torch.tensor([[1.], [1.]])))
print(torch.det(m1))

# shape manipulation
x = torch.rand(3, 226, 226)
print(x.unsqueeze(0).shape)
print(torch.rand(1, 20).squeeze(0).shape)
print(x.reshape(3, -1).shape)
print(torch.rand(6, 20, 20).view(6 * 20 * 20).shape)

# assignment is aliasing, clone is a copy
p = torch.ones(2, 2)
q = p
p[0][1] = 561
print(q)
s = p.clone()
p[1][1] = -2
print(s)
print(torch.eq(p, s))
