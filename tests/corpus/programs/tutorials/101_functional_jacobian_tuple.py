# title: autograd.functional: jacobian, hessian, vjp, jvp, hvp of a two-input function
# expect: match
import torch
from torch.autograd.functional import jacobian, hessian, vjp, jvp, hvp, vhp

def exp_reducer(x):
    return x.exp().sum(dim=1)

def exp_adder(x, y):
    return 2 * x.exp() + 3 * y

inputs = torch.rand(2, 2)
J = jacobian(exp_reducer, inputs)
print(J.shape)
Jx, Jy = jacobian(exp_adder, (torch.rand(2), torch.rand(2)))
print(Jx, Jy)

def pow_reducer(x):
    return x.pow(3).sum()

H = hessian(pow_reducer, torch.tensor([1.0, 2.0]))
print(H)
v = torch.ones(2)
out, vjp_val = vjp(exp_reducer, inputs, v)
print(out.shape, vjp_val.shape)
out2, jvp_val = jvp(exp_reducer, inputs, torch.ones(2, 2))
print(jvp_val.shape)
_, hv = hvp(pow_reducer, torch.tensor([1.0, 2.0]), torch.tensor([1.0, 0.0]))
_, vh = vhp(pow_reducer, torch.tensor([1.0, 2.0]), torch.tensor([1.0, 0.0]))
print(hv, vh)
