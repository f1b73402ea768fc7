# title: the error a learner hits: autograd.grad for an input the output does not use
# expect: match
import torch

x = torch.tensor(2.0, requires_grad=True)
z = torch.tensor(5.0, requires_grad=True)
y = x ** 3
(dx,) = torch.autograd.grad(y, x, retain_graph=True)
print(dx)
dx, dz = torch.autograd.grad(y, [x, z], allow_unused=True, retain_graph=True)
print(dx, dz)
dx, dz = torch.autograd.grad(y, [x, z])
