# title: Following grad_fn.next_functions back from d = 2*sin(a) + 1, and plotting the gradient
# expect: match

import torch
import math
import matplotlib.pyplot as plt

a = torch.linspace(0., 2. * math.pi, steps=25, requires_grad=True)
print(a)

b = torch.sin(a)
plt.plot(a.detach(), b.detach())
print(b)

c = 2 * b
print(c)
d = c + 1
print(d)
out = d.sum()
print(out)

# walk the recorded graph from d back towards the leaf
node = d.grad_fn
depth = 0
while node is not None:
    print("  " * depth + node.name())
    parents = [f for f, _ in node.next_functions if f is not None]
    node = parents[0] if parents else None
    depth += 1

print("c:", c.grad_fn.name())
print("b:", b.grad_fn.name())
print("a:", a.grad_fn)
print("a is a leaf:", a.is_leaf, "| d is a leaf:", d.is_leaf)

out.backward()
print(a.grad)
# d(out)/da = 2 cos(a)
print(torch.allclose(a.grad, 2 * torch.cos(a.detach()), atol=1e-6))

plt.plot(a.detach(), a.grad.detach())
plt.legend(["sin(a)", "d out / d a"])
plt.show()
