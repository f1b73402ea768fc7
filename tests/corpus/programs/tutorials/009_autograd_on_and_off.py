# title: Switching autograd on and off: requires_grad, no_grad, enable_grad, detach
# expect: match

import torch

a = torch.ones(2, 3, requires_grad=True)
print(a)

b1 = 2 * a
print(b1)

a.requires_grad = False
b2 = 2 * a
print(b2)

a = torch.ones(2, 3, requires_grad=True) * 2
b = torch.ones(2, 3, requires_grad=True) * 3

c1 = a + b
print(c1)

with torch.no_grad():
    c2 = a + b
print(c2)

c3 = a * b
print(c3)


def add_tensors1(x, y):
    return x + y


@torch.no_grad()
def add_tensors2(x, y):
    return x + y


c1 = add_tensors1(a, b)
print(c1.requires_grad)
c2 = add_tensors2(a, b)
print(c2.requires_grad)

# enable_grad turns tracking back on inside a no_grad block
with torch.no_grad():
    with torch.enable_grad():
        c4 = a * b
    c5 = a * b
print(c4.requires_grad, c5.requires_grad)

x = torch.rand(5, requires_grad=True)
y = x.detach()
print(x.requires_grad, y.requires_grad)
# detach shares storage with the original
y[0] = 42.0
print(x[0].item())

# in-place ops on a leaf that requires grad are refused
leaf = torch.linspace(0., 1., steps=4, requires_grad=True)
try:
    leaf.sin_()
except RuntimeError:
    print("in-place op on a leaf requiring grad raised RuntimeError")

# inference mode is the stricter cousin of no_grad
with torch.inference_mode():
    z = leaf * 3
print(z.requires_grad, torch.is_inference_mode_enabled())
print(torch.is_grad_enabled())
