# title: Leaf vs non-leaf tensors, retain_grad and gradient hooks
# expect: match

import torch

a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
b = a * a
b.retain_grad()
c = b.mean()
c.backward()

print(a.is_leaf, b.is_leaf, c.is_leaf)
print("a.grad", a.grad)
print("b.grad", b.grad)
print("b.retains_grad", b.retains_grad)

# a hook sees (and may replace) the gradient flowing into a tensor
seen = []
w = torch.tensor([0.5, -1.0], requires_grad=True)
h = w * 3


def log_grad(grad):
    seen.append(grad.clone())
    return grad * 10


handle = h.register_hook(log_grad)
(h ** 2).sum().backward()
print("seen by hook:", seen[0])
print("w.grad (scaled by the hook):", w.grad)
handle.remove()

w.grad.zero_()
h = w * 3
(h ** 2).sum().backward()
print("after removing the hook:", w.grad)

# requires_grad spreads from any input that needs it
p = torch.randn(2, 2)
q = torch.randn(2, 2)
r = torch.randn(2, 2, requires_grad=True)
print((p + q).requires_grad, (p + r).requires_grad)

# gradients of a shared input add up from both branches
u = torch.tensor(3.0, requires_grad=True)
branch1 = u * 2
branch2 = u ** 2
(branch1 + branch2).backward()
print(u.grad)

# grad of a non-leaf without retain_grad stays None
v = torch.ones(2, requires_grad=True)
mid = v + 1
(mid * mid).sum().backward()
print(mid.grad is None, v.grad)
