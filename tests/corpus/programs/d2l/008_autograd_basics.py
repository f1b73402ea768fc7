# title: Automatic differentiation: backward, zeroing gradients, non-scalar outputs, detach
# expect: match

import torch

x = torch.arange(5.0)
print(x)
x.requires_grad_(True)  # same as torch.arange(5.0, requires_grad=True)
print(x.grad)  # None until backward is called

# y = 3 * x^T x, so dy/dx = 6x
y = 3 * torch.dot(x, x)
print(y)
y.backward()
print(x.grad)
print(x.grad == 6 * x)

# gradients accumulate: reset before computing a new one
x.grad.zero_()
y = x.sum()
y.backward()
print(x.grad)

# backward on a vector needs a reduction (or an explicit gradient argument)
x.grad.zero_()
y = x * x
y.sum().backward()
print(x.grad)

x.grad.zero_()
y = x * x
y.backward(gradient=torch.ones(len(y)))
print(x.grad)

# detach: treat u as a constant when differentiating z = u * x
x.grad.zero_()
y = x * x
u = y.detach()
z = u * x
z.sum().backward()
print(x.grad == u)

# y itself is still connected to x
x.grad.zero_()
y.sum().backward()
print(x.grad == 2 * x)

# a function of a matrix
W = torch.ones(2, 3, requires_grad=True)
out = (W ** 3).mean()
out.backward()
print(W.grad)
