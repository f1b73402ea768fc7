# title: autograd mechanics: no_grad decorator, inference_mode, set_grad_enabled, enable_grad
# expect: match
import torch

x = torch.ones(3, requires_grad=True)

@torch.no_grad()
def doubler(t):
    return t * 2

z = doubler(x)
print(z.requires_grad)

with torch.inference_mode():
    y = x * 2
print(y.requires_grad, y.is_inference())

torch.set_grad_enabled(False)
a = x * 3
torch.set_grad_enabled(True)
print(a.requires_grad)

with torch.set_grad_enabled(False):
    b = x * 4
with torch.no_grad():
    with torch.enable_grad():
        c = x * 5
print(b.requires_grad, c.requires_grad, torch.is_grad_enabled())

@torch.enable_grad()
def tripler(t):
    return t * 3

with torch.no_grad():
    d = tripler(x)
print(d.requires_grad)
d.sum().backward()
print(x.grad)
