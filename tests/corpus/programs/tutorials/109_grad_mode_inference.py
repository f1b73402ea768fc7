# title: grad modes: set_grad_enabled, enable_grad inside no_grad, inference_mode
# expect: match
import torch

x = torch.ones(2, 2, requires_grad=True)
with torch.no_grad():
    y = x * 2
    with torch.enable_grad():
        z = x * 3
print(y.requires_grad, z.requires_grad)
is_train = False
with torch.set_grad_enabled(is_train):
    a = x * 2
print(a.requires_grad)
torch.set_grad_enabled(True)
b = x * 2
print(b.requires_grad)
with torch.inference_mode():
    c = x * 5
print(c.requires_grad, c.is_inference())

@torch.no_grad()
def doubler(t):
    return t * 2

d = doubler(x)
print(d.requires_grad, torch.is_grad_enabled())
