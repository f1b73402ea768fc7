# title: torch.autograd.functional jacobian, hessian, vjp, jvp, hvp
# expect: match
import torch
from torch.autograd.functional import jacobian, hessian, vjp, jvp, hvp

def exp_reducer(x):
    return x.exp().sum(dim=1)

inputs = torch.rand(2, 2)
J = jacobian(exp_reducer, inputs)
print(J.shape)

def exp_adder(x, y):
    return 2 * x.exp() + 3 * y

xs = (torch.rand(2), torch.rand(2))
Jx, Jy = jacobian(exp_adder, xs)
print(Jx, Jy, sep="\n")

def pow_reducer(x):
    return x.pow(3).sum()

H = hessian(pow_reducer, torch.rand(2, 2))
print(H.shape)

v = torch.ones(2)
out, vjp_val = vjp(exp_reducer, inputs, v)
print(out, vjp_val)
out2, jvp_val = jvp(exp_reducer, inputs, torch.ones(2, 2))
print(jvp_val)
x = torch.rand(3)
_, hv = hvp(pow_reducer, x, torch.ones(3))
print(torch.allclose(hv, 6 * x))
