# title: Jacobian-vector products with backward(v) and the torch.autograd.functional API
# expect: match

import torch

# keep doubling until the norm gets large, then ask for J^T v
x = torch.randn(3, requires_grad=True)
y = x * 2
steps = 0
while y.data.norm() < 1000:
    y = y * 2
    steps += 1
print("doublings:", steps)

v = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float)
y.backward(v)
print(x.grad)
# every entry of the Jacobian diagonal is the same power of two
print(torch.allclose(x.grad, v * 2 ** (steps + 1)))


def exp_adder(x, y):
    return 2 * x.exp() + 3 * y


inputs = (torch.rand(1), torch.rand(1))
jac = torch.autograd.functional.jacobian(exp_adder, inputs)
print(jac)
print(torch.allclose(jac[0], 2 * inputs[0].exp()))

inputs = (torch.rand(3), torch.rand(3))
jac = torch.autograd.functional.jacobian(exp_adder, inputs)
print(jac[0].shape, jac[1])


def do_some_doubling(x):
    y = x * 2
    while y.data.norm() < 1000:
        y = y * 2
    return y


inputs = torch.randn(3)
my_gradients = torch.tensor([0.1, 1.0, 0.0001])
out, vjp = torch.autograd.functional.vjp(do_some_doubling, inputs, v=my_gradients)
print(vjp / my_gradients)


def cube_sum(x):
    return x.pow(3).sum()


point = torch.tensor([1.0, -2.0, 0.5])
_, hvp = torch.autograd.functional.hvp(cube_sum, point, torch.ones(3))
print(hvp)
print(torch.autograd.functional.hessian(cube_sum, point))
